import type { Db } from '@paas/db';
import { notFound } from '../errors';
import type { CloudInventoryRegistry, DnsRecord } from '../ports/cloud-provider';

export interface DomainView {
  hostname: string;
  status: 'pending' | 'active' | 'failed' | 'removing';
  certificate: 'requested' | 'pending_validation' | 'issued' | 'failed' | 'expired' | null;
  /** What the domain's owner must publish: the certificate's validation records, then where to point the name. */
  dnsRecords: DnsRecord[];
  error: string | null;
}

/** The app's custom domains as the database knows them (the API never calls the cloud). */
export async function listDomains(deps: { db: Db; clouds?: CloudInventoryRegistry }, appName: string): Promise<DomainView[]> {
  const app = await deps.db.app.findUnique({ where: { name: appName } });
  if (!app) throw notFound('app', appName);
  const domains = await deps.db.domain.findMany({
    where: { appId: app.id },
    include: { certificate: true },
    orderBy: { createdAt: 'asc' },
  });
  return domains.map((d) => {
    const stored = (d.certificate?.validationRecords ?? []) as unknown as DnsRecord[];
    return {
      hostname: d.hostname,
      status: d.status,
      certificate: d.certificate?.status ?? null,
      dnsRecords: stored,
      error: d.error,
    };
  });
}
