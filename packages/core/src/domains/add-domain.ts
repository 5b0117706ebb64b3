import type { Db } from '@paas/db';
import { appTransaction } from '../apps/app-transaction';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { isUniqueViolation } from '../db-errors';
import { AppError, notFound } from '../errors';
import type { JobQueue } from '../ports/job-queue';
import type { Logger } from '../ports/logger';
import { deliver } from '../queue-delivery';
import { parseHostname } from './domain-input';

const MAX_DOMAINS_PER_APP = 20;

/**
 * POST a custom domain: recorded with the certificate it needs, in one
 * transaction; the domain's own reconciler requests the certificate, shows
 * and (where it can) publishes the DNS records, and starts serving the
 * hostname once the certificate is issued.
 */
export async function addDomain(
  deps: { db: Db; queue: JobQueue; log: Logger; baseDomain: string },
  appName: string,
  input: unknown,
  actor: Actor,
) {
  const hostname = parseHostname(input, deps.baseDomain);
  try {
    const domain = await appTransaction(deps.db, async (tx) => {
      const app = await tx.app.findUnique({ where: { name: appName } });
      if (!app || app.deletingAt) throw notFound('app', appName);
      if ((await tx.domain.count({ where: { appId: app.id } })) >= MAX_DOMAINS_PER_APP) {
        throw new AppError('validation_failed', `an app can have at most ${MAX_DOMAINS_PER_APP} custom domains`);
      }
      const certificate = await tx.certificate.create({
        data: { cloudAccountId: app.cloudAccountId, domainNames: [hostname], status: 'requested' },
      });
      const created = await tx.domain.create({
        data: { appId: app.id, hostname, certificateId: certificate.id, nextCheckAt: new Date() },
      });
      await recordAuditEvent(tx, {
        teamId: app.teamId,
        actor,
        action: 'domain.add',
        targetType: 'app',
        targetId: app.id,
        appName: app.name,
        data: { hostname },
      });
      return created;
    });
    await deliver(deps.log, 'a domain check', () => deps.queue.advanceDomain(domain.id, { key: `${domain.id}.added` }));
    return domain;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError(
        'conflict',
        // Which app is not said: it may belong to another team.
        `${hostname} is already added to an app (a hostname serves one app): remove it there first, or use another hostname`,
        { details: { hostname } },
      );
    throw error;
  }
}
