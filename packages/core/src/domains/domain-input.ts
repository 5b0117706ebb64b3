import { validationError } from '../errors';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A custom domain: a full hostname of two labels or more, no wildcard, no IP
 * address, not under the platform's own base domain (those are the apps'
 * default hostnames and share its certificate).
 */
export function parseHostname(input: unknown, baseDomain: string): string {
  if (typeof input !== 'object' || input === null || typeof (input as { hostname?: unknown }).hostname !== 'string') {
    throw validationError('send {"hostname": "www.example.com"}');
  }
  const hostname = (input as { hostname: string }).hostname.trim().toLowerCase().replace(/\.$/, '');
  const labels = hostname.split('.');
  if (hostname.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels.at(-1) ?? '')) {
    throw validationError(`"${hostname}" is not a valid hostname: use a full name such as www.example.com`, { hostname });
  }
  if (hostname === baseDomain || hostname.endsWith(`.${baseDomain}`)) {
    throw validationError(`${hostname} is under the platform's own domain ${baseDomain}; add a domain you own`, { hostname });
  }
  return hostname;
}
