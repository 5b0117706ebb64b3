import { validationError } from '../errors';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Top-level domains are alphabetic (or xn--…), so the last label starts with a
// letter. This also refuses every IPv4 spelling a URL parser reads as an
// address (127.0.0.1, 127.0.0.0x1, 0177.0.0.1, 2130706433): their last part is a number.
const TOP_LABEL = /^[a-z]/;
// Checked before lower-casing, which maps some non-ASCII letters to ASCII
// (U+212A KELVIN SIGN becomes k): the name must be the one the user typed.
const ASCII = /^\p{ASCII}*$/u;

const notAHostname = (hostname: string) =>
  validationError(`"${hostname}" is not a valid hostname: use a full name such as www.example.com`, { hostname });

/**
 * A custom domain: a full hostname of two labels or more, no wildcard, no IP
 * address, not under the platform's own base domain (those are the apps'
 * default hostnames and share its certificate).
 */
export function parseHostname(input: unknown, baseDomain: string): string {
  if (typeof input !== 'object' || input === null || typeof (input as { hostname?: unknown }).hostname !== 'string') {
    throw validationError('send {"hostname": "www.example.com"}');
  }
  const typed = (input as { hostname: string }).hostname.trim();
  if (!ASCII.test(typed)) throw notAHostname(typed);
  const hostname = typed.toLowerCase().replace(/\.$/, '');
  const labels = hostname.split('.');
  if (hostname.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !TOP_LABEL.test(labels.at(-1) ?? '')) {
    throw notAHostname(hostname);
  }
  if (hostname === baseDomain || hostname.endsWith(`.${baseDomain}`)) {
    throw validationError(`${hostname} is under the platform's own domain ${baseDomain}; add a domain you own`, { hostname });
  }
  return hostname;
}
