import { type Db, Prisma } from '@paas/db';
import { appTransaction } from '../apps/app-transaction';
import { recordAuditEvent } from '../audit/record-audit-event';
import { isUniqueViolation } from '../db-errors';
import { createDeploy } from '../deployments/create-deploy';
import { deploymentJobKey } from '../deployments/job-keys';
import { AppError } from '../errors';
import type { JobQueue } from '../ports/job-queue';
import type { Logger } from '../ports/logger';
import { deliver } from '../queue-delivery';
import { isJsonbSafe } from './jsonb-safe';
import { parsePushEvent } from './push-event';

export type DeliveryOutcome =
  | { status: 'duplicate' }
  | { status: 'ignored'; reason: string }
  | { status: 'accepted'; deployments: string[] };

export interface DeliveryInput {
  deliveryId: string;
  event: string;
  /** Already verified against the webhook secret and parsed by the edge. */
  payload: unknown;
  /** The exact bytes that were signed, kept with the delivery. */
  rawBody?: Uint8Array;
}

const SHA = /^[0-9a-f]{40}$/;

/**
 * Records a verified GitHub delivery and, for a push to an app's tracked branch,
 * the deployments of that exact commit, in one transaction; then asks the
 * worker to start them. GitHub does not retry, so what is acknowledged must be
 * in Postgres first: if the queue is down, the reconciler delivers later.
 */
export async function receiveGithubDelivery(
  deps: { db: Db; queue: JobQueue; log: Logger },
  input: DeliveryInput,
): Promise<DeliveryOutcome> {
  const push = input.event === 'push' ? parsePushEvent(input.payload) : null;
  if (input.event === 'push' && (!push || (!push.deleted && !SHA.test(push.commitSha)))) {
    throw new AppError('malformed_request', 'push payload lacks ref, after (a commit SHA) or repository');
  }
  const payload = input.payload as Record<string, unknown>;
  const action = typeof payload.action === 'string' ? payload.action : null;

  let result: { outcome: DeliveryOutcome; deploymentIds: string[]; deliver: string[] };
  try {
    result = await appTransaction(deps.db, async (tx) => {
      const delivery = await tx.webhookDelivery.create({
        data: {
          deliveryId: input.deliveryId,
          event: input.event,
          action,
          repository: push?.repository ?? null,
          ref: push?.branch ?? null,
          headCommit: push?.commitSha ?? null,
          ...(input.rawBody ? { rawBody: Buffer.from(input.rawBody) } : {}),
          // JSON that jsonb refuses is kept as raw bytes only (Prisma.DbNull: SQL NULL).
          payload: isJsonbSafe(input.payload) ? (input.payload as object) : Prisma.DbNull,
        },
      });
      const ignore = async (reason: string) => {
        await tx.webhookDelivery.update({
          where: { id: delivery.id },
          data: { status: 'ignored', result: reason, processedAt: new Date() },
        });
        return { outcome: { status: 'ignored', reason } as DeliveryOutcome, deploymentIds: [], deliver: [] };
      };

      if (input.event === 'ping') return ignore('ping');
      if (!push) return ignore(`event "${input.event}" is not handled`);
      if (push.deleted) return ignore('branch deleted');
      if (!push.branch) return ignore('not a branch push');

      const apps = await tx.app.findMany({ where: { repoKey: { in: push.repoKeys }, branch: push.branch, deletingAt: null } });
      if (apps.length === 0) return ignore(`no app tracks ${push.repository ?? 'this repository'} on branch ${push.branch}`);

      const ids: string[] = [];
      const toDeliver: string[] = [];
      for (const app of apps) {
        const firstLine = push.commitMessage?.split('\n')[0];
        const { deployment, deliver: wake } = await createDeploy(tx, {
          appId: app.id,
          ref: push.commitSha,
          commitSha: push.commitSha,
          commitMessage: push.commitMessage,
          parentCommitSha: push.parentCommitSha,
          trigger: 'github',
          webhookDeliveryId: delivery.id,
          description: `Push ${push.commitSha.slice(0, 7)}${firstLine ? `: ${firstLine.slice(0, 120)}` : ''}`,
        });
        toDeliver.push(...wake);
        await recordAuditEvent(tx, {
          teamId: app.teamId,
          actor: { type: 'github', id: input.deliveryId },
          action: 'deployment.create',
          targetType: 'app',
          targetId: app.id,
          data: { deployment: deployment.id, commit: push.commitSha, branch: push.branch },
        });
        ids.push(deployment.id);
      }
      await tx.webhookDelivery.update({
        where: { id: delivery.id },
        data: { status: 'processed', result: `${ids.length} deployment(s)`, processedAt: new Date() },
      });
      return { outcome: { status: 'accepted', deployments: ids } as DeliveryOutcome, deploymentIds: ids, deliver: toDeliver };
    });
  } catch (error) {
    // X-GitHub-Delivery is reused on redelivery: the first one won.
    if (isUniqueViolation(error)) return { status: 'duplicate' };
    throw error;
  }

  for (const id of result.deliver) {
    await deliver(deps.log, 'a deployment', () => deps.queue.advanceDeployment(id, { key: deploymentJobKey.start(id) }));
  }
  return result.outcome;
}
