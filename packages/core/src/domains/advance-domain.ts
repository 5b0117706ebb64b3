import type { CoreContext } from '../context';
import { isAppError } from '../errors';
import type { AppRef, CloudProvider, DnsRecord } from '../ports/cloud-provider';
import { deliver } from '../queue-delivery';
import { isRetryableError } from '../retryable';
import { appHostnames } from './app-hostnames';

/** ACM (and any DNS-validated certificate) gives up after 72 h without the records. */
const VALIDATION_WINDOW_MS = 72 * 3600_000;

export type AdvanceDomainResult = { type: 'active' | 'failed' | 'removed' | 'skipped' } | { type: 'waiting'; retryInMs: number };

/**
 * A custom domain's state machine, separate from deployments: request the
 * certificate (idempotent by its id), record and publish its DNS records,
 * look again later without holding a worker until it is issued (or 72 h
 * pass), then serve it and add the hostname to the app's rule. Removal runs
 * the other way. Safe to repeat and to race: every cloud call is idempotent.
 */
export async function advanceDomain(ctx: CoreContext, domainId: string): Promise<AdvanceDomainResult> {
  const domain = await ctx.db.domain.findUnique({
    where: { id: domainId },
    include: { certificate: true, app: { include: { cloudAccount: true } } },
  });
  if (!domain) return { type: 'skipped' };
  const cloud = ctx.clouds.forAccount(domain.app.cloudAccount);
  const app: AppRef = { id: domain.app.id, name: domain.app.name, teamId: domain.app.teamId };
  try {
    if (domain.status === 'removing') return await remove(ctx, cloud, app, domain);
    if (domain.status !== 'pending' || !domain.certificate) return { type: 'skipped' };
    const cert = domain.certificate;
    let ref = cert.providerRef;
    if (!ref) {
      ({ certificateRef: ref } = await cloud.requestCertificate({ app, certificateId: cert.id, hostname: domain.hostname }));
      await ctx.db.certificate.update({ where: { id: cert.id }, data: { providerRef: ref, status: 'pending_validation' } });
    }
    const info = await cloud.describeCertificate(ref);
    const target = await cloud.domainTarget(app);
    const records: DnsRecord[] = [
      ...info.validationRecords,
      ...(target ? [{ name: domain.hostname, type: target.type, value: target.value }] : []),
    ];
    if (JSON.stringify(records) !== JSON.stringify(cert.validationRecords)) {
      if (info.validationRecords.length > 0) await cloud.publishValidationRecords(ref);
      await ctx.db.certificate.update({ where: { id: cert.id }, data: { validationRecords: records as object[] } });
    }
    if (info.state === 'failed')
      return await fail(ctx, domain.id, cert.id, `the certificate could not be issued: ${info.reason ?? 'no reason given'}`);
    if (info.state === 'pending_validation') {
      if (ctx.now().getTime() - cert.requestedAt.getTime() > VALIDATION_WINDOW_MS) {
        return await fail(
          ctx,
          domain.id,
          cert.id,
          'the DNS validation record was not found within 72 hours; remove the domain and add it again',
          'expired',
        );
      }
      return await later(ctx, domain.id, pollDelay(ctx, cert.requestedAt));
    }
    await cloud.attachCertificate(app, ref);
    await ctx.db.$transaction([
      ctx.db.certificate.update({ where: { id: cert.id }, data: { status: 'issued', issuedAt: cert.issuedAt ?? ctx.now() } }),
      ctx.db.domain.update({ where: { id: domain.id }, data: { status: 'active', error: null, nextCheckAt: null } }),
    ]);
    await cloud.setHostnames(app, await appHostnames(ctx.db, cloud, app));
    ctx.log.info('domain is served', { app: app.name, hostname: domain.hostname });
    return { type: 'active' };
  } catch (error) {
    if (isRetryableError(error)) return later(ctx, domain.id, 5_000);
    const message = isAppError(error) ? error.message : String(error);
    if (domain.status === 'removing') {
      ctx.log.error('could not remove a domain; trying again later', { hostname: domain.hostname, error: message });
      return later(ctx, domain.id, 60_000);
    }
    return fail(ctx, domain.id, domain.certificateId, message);
  }
}

type LoadedDomain = {
  id: string;
  hostname: string;
  certificateId: string | null;
  certificate: { id: string; providerRef: string | null } | null;
};

async function remove(ctx: CoreContext, cloud: CloudProvider, app: AppRef, domain: LoadedDomain): Promise<AdvanceDomainResult> {
  // The hostname leaves the rule first, then its certificate the listener, then the certificate goes.
  const others = (await appHostnames(ctx.db, cloud, app)).filter((h) => h !== domain.hostname);
  await cloud.setHostnames(app, others);
  const ref = domain.certificate?.providerRef;
  if (ref) {
    await cloud.detachCertificate(app, ref);
    await cloud.deleteCertificate(ref);
  }
  await ctx.db.$transaction(async (tx) => {
    await tx.domain.deleteMany({ where: { id: domain.id } });
    if (domain.certificateId) await tx.certificate.deleteMany({ where: { id: domain.certificateId } });
  });
  return { type: 'removed' };
}

/** Often at first (DNS is often already right), then every few minutes. */
function pollDelay(ctx: CoreContext, requestedAt: Date): number {
  const age = ctx.now().getTime() - requestedAt.getTime();
  return age < 3600_000 ? ctx.timings.domainPollMs : Math.max(ctx.timings.domainPollMs, 5 * 60_000);
}

async function later(ctx: CoreContext, domainId: string, delayMs: number): Promise<AdvanceDomainResult> {
  const at = new Date(ctx.now().getTime() + delayMs);
  await ctx.db.domain.update({ where: { id: domainId }, data: { nextCheckAt: at } });
  await deliver(ctx.log, 'a domain check', () =>
    ctx.queue.advanceDomain(domainId, { key: `${domainId}.${at.getTime()}`, delayMs }),
  );
  return { type: 'waiting', retryInMs: delayMs };
}

async function fail(
  ctx: CoreContext,
  domainId: string,
  certificateId: string | null,
  error: string,
  certificateStatus: 'failed' | 'expired' = 'failed',
): Promise<AdvanceDomainResult> {
  await ctx.db.domain.update({ where: { id: domainId }, data: { status: 'failed', error, nextCheckAt: null } });
  if (certificateId) await ctx.db.certificate.updateMany({ where: { id: certificateId }, data: { status: certificateStatus } });
  ctx.log.warn('domain failed', { domain: domainId, error });
  return { type: 'failed' };
}
