import type { Db } from '@paas/db';
import type { CloudInventoryRegistry } from '../ports/cloud-provider';

/**
 * Whether the platform serves this host name: an app's default host name on
 * its cloud, or a custom domain that is ready. A TLS proxy asks this before
 * it requests a certificate on demand, so a stranger's Host header cannot
 * make the server ask a CA for certificates (and hit its rate limits).
 */
export async function servesHostname(deps: { db: Db; clouds: CloudInventoryRegistry }, input: string): Promise<boolean> {
  const hostname = input.trim().toLowerCase().replace(/\.$/, '');
  if (hostname.length === 0 || hostname.length > 253) return false;
  const domain = await deps.db.domain.findUnique({ where: { hostname }, select: { status: true } });
  if (domain) return domain.status === 'active';
  const label = hostname.split('.')[0] ?? '';
  const app = await deps.db.app.findUnique({ where: { name: label }, include: { cloudAccount: true } });
  if (!app || app.deletingAt) return false;
  return deps.clouds.forAccount(app.cloudAccount).defaultHostnames(app.name).includes(hostname);
}
