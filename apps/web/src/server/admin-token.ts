import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { webContext } from './context';

/** The environment's admin token: it sets up the first owner and nothing else. */
export function isAdminToken(candidate: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(candidate), digest(webContext().env.PAAS_ADMIN_TOKEN));
}
