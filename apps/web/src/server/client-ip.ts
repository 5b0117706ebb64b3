import 'server-only';

/**
 * The address a request came from. Next's server appends the socket's peer to
 * X-Forwarded-For, so the rightmost entry is the one a client cannot forge;
 * behind PAAS_TRUSTED_PROXIES (a TLS proxy in front of the dashboard), the
 * rightmost entry that is not one of them.
 */
export function clientIp(headers: Headers, trustedProxies: readonly string[] = []): string | null {
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalize(hops[i] as string);
    if (!trustedProxies.includes(hop) || i === 0) return hop;
  }
  return null;
}

function normalize(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
