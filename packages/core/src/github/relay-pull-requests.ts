import type { App, Tx } from '@paas/db';
import { z } from 'zod';
import { APP_NAME_MAX } from '../apps/app-input';
import { lockApp } from '../apps/lock-app';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { SecretBox } from '../crypto/secret-box';
import { createDeploy } from '../deployments/create-deploy';
import { requestCancel } from '../deployments/request-cancel';
import { LIVE_STATES } from '../deployments/steps-machine';
import { ignored, noteForApp as note, type RelayBatch, type RelayedDelivery } from '../webhooks/relay-outcome';

const pullRequestEvent = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({
    head: z.object({ ref: z.string(), sha: z.string().regex(/^[0-9a-f]{40}$/), repo: z.object({ id: z.number() }).nullable() }),
    base: z.object({ ref: z.string(), repo: z.object({ id: z.number() }) }),
  }),
});

const DEPLOYS = new Set(['opened', 'reopened', 'synchronize']);

/**
 * Review apps: for an app that opts in, a pull request against its branch
 * from the same repository gets an app of its own (its own hostname, the
 * parent's config with the review overrides, one web process of the smallest
 * size), deployed at the pull request's head on open and on every push, and
 * removed when the pull request closes. A pull request from a fork is
 * recorded and never deployed: its code is not the repository owners'.
 */
export async function relayPullRequests(tx: Tx, secrets: SecretBox, deliveries: RelayedDelivery[], batch: RelayBatch) {
  for (const d of deliveries) {
    const parsed = pullRequestEvent.safeParse(d.payload);
    if (!parsed.success) {
      batch.outcomes.set(d.id, { status: 'failed', result: 'not a usable pull_request payload' });
      continue;
    }
    const { action, number, pull_request: pr } = parsed.data;
    const parents = await tx.app.findMany({
      where: {
        githubRepoId: BigInt(pr.base.repo.id),
        branch: pr.base.ref,
        parentAppId: null,
        deletingAt: null,
        // Signed with an app's own secret: that app only.
        ...(d.scopeAppId ? { id: d.scopeAppId } : {}),
      },
    });
    const withReviewApps = parents.filter((p) => p.reviewApps);
    for (const p of parents.filter((x) => !x.reviewApps)) note(batch, d.id, p.id, 'review apps are off for this app');
    if (withReviewApps.length === 0) {
      batch.outcomes.set(d.id, ignored(`no app with review apps deploys pull requests into ${pr.base.ref}`));
      continue;
    }
    if (pr.head.repo?.id !== pr.base.repo.id) {
      const why = `pull request #${number} comes from a fork: review apps never deploy forks`;
      for (const p of withReviewApps) note(batch, d.id, p.id, why);
      batch.outcomes.set(d.id, ignored(why));
      continue;
    }
    const results: string[] = [];
    for (const parent of withReviewApps) {
      if (DEPLOYS.has(action)) results.push(await deployReviewApp(tx, secrets, batch, d, parent, number, pr.head));
      else if (action === 'closed') results.push(await removeReviewApp(tx, batch, d, parent, number));
      else note(batch, d.id, parent.id, `pull_request.${action} changes no review app`);
    }
    batch.outcomes.set(
      d.id,
      results.length > 0
        ? { status: 'processed', result: results.join('; ') }
        : ignored(`pull_request.${action} changes no review app`),
    );
  }
}

async function deployReviewApp(
  tx: Tx,
  secrets: SecretBox,
  batch: RelayBatch,
  d: RelayedDelivery,
  parent: App,
  number: number,
  head: { ref: string; sha: string },
): Promise<string> {
  await lockApp(tx, parent.id);
  let review = await tx.app.findUnique({
    where: { parentAppId_pullRequestNumber: { parentAppId: parent.id, pullRequestNumber: number } },
  });
  if (review?.deletingAt) return `review app ${review.name} is being removed`;
  if (!review) review = await createReviewApp(tx, secrets, parent, number, head.ref);
  else if (review.branch !== head.ref) review = await tx.app.update({ where: { id: review.id }, data: { branch: head.ref } });
  const inFlight = await tx.deployment.findFirst({
    where: { appId: review.id, kind: 'deploy', commitSha: head.sha, state: { in: [...LIVE_STATES] }, cancelRequestedAt: null },
    select: { id: true },
  });
  if (inFlight) {
    note(batch, d.id, review.id, `${head.sha.slice(0, 7)} is already deploying`);
    return `${review.name}: ${head.sha.slice(0, 7)} is already deploying`;
  }
  const { deployment, deliver } = await createDeploy(tx, {
    appId: review.id,
    ref: head.sha,
    commitSha: head.sha,
    trigger: 'github',
    webhookDeliveryId: d.id,
    description: `Pull request #${number} at ${head.sha.slice(0, 7)}`,
  });
  batch.wake.push(...deliver);
  note(batch, d.id, review.id, `deploying ${head.sha.slice(0, 7)} (deployment ${deployment.id})`);
  note(batch, d.id, parent.id, `review app ${review.name} deploying ${head.sha.slice(0, 7)}`);
  return `${review.name} deploying ${head.sha.slice(0, 7)}`;
}

async function createReviewApp(tx: Tx, secrets: SecretBox, parent: App, number: number, branch: string): Promise<App> {
  const suffix = `-pr-${number}`;
  const name = `${parent.name.slice(0, APP_NAME_MAX - suffix.length).replace(/-+$/, '')}${suffix}`;
  const review = await tx.app.create({
    data: {
      name,
      teamId: parent.teamId,
      cloudAccountId: parent.cloudAccountId,
      repoUrl: parent.repoUrl,
      repoKey: parent.repoKey,
      branch,
      rootDir: parent.rootDir,
      githubRepoId: parent.githubRepoId,
      githubInstallationId: parent.githubInstallationId,
      healthCheck: parent.healthCheck ?? {},
      parentAppId: parent.id,
      pullRequestNumber: number,
      // The smallest footprint: one web process of the smallest size.
      processTypes: { create: [{ type: 'web', quantity: 1, instanceSize: 'small' }] },
    },
  });
  // The parent's config, then the review overrides (a null override removes a var).
  const vars = await tx.configVar.findMany({ where: { appId: parent.id } });
  const overrides = parent.reviewConfigEnc
    ? (JSON.parse(secrets.open(parent.reviewConfigEnc)) as Record<string, string | null>)
    : {};
  const config = new Map(vars.map((v) => [v.key, v.valueEnc]));
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) config.delete(key);
    else config.set(key, secrets.seal(value));
  }
  if (config.size > 0) {
    await tx.configVar.createMany({ data: [...config].map(([key, valueEnc]) => ({ appId: review.id, key, valueEnc })) });
  }
  await recordAuditEvent(tx, {
    teamId: parent.teamId,
    actor: { type: 'github' },
    action: 'app.review.create',
    targetType: 'app',
    targetId: review.id,
    appName: review.name,
    data: { name, parent: parent.name, pullRequest: number },
  });
  return review;
}

async function removeReviewApp(tx: Tx, batch: RelayBatch, d: RelayedDelivery, parent: App, number: number): Promise<string> {
  const review = await tx.app.findUnique({
    where: { parentAppId_pullRequestNumber: { parentAppId: parent.id, pullRequestNumber: number } },
  });
  if (!review) return `pull request #${number} had no review app`;
  if (!review.deletingAt) {
    await tx.app.update({ where: { id: review.id }, data: { deletingAt: new Date() } });
    const live = await tx.deployment.findMany({
      where: { appId: review.id, state: { in: [...LIVE_STATES] } },
      select: { id: true },
    });
    await requestCancel(
      tx,
      { appId: review.id, state: { in: [...LIVE_STATES] } },
      { code: 'canceled', message: 'The pull request was closed' },
    );
    batch.wake.push(...live.map((x) => x.id));
    batch.destroy.push(review.id);
    await recordAuditEvent(tx, {
      teamId: review.teamId,
      actor: { type: 'github' },
      action: 'app.delete',
      targetType: 'app',
      targetId: review.id,
      appName: review.name,
      data: { name: review.name, reason: `pull request #${number} closed` },
    });
  }
  note(batch, d.id, parent.id, `review app ${review.name} removed: pull request #${number} closed`);
  return `${review.name} removed`;
}
