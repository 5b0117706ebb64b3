import type { App, Tx } from '@paas/db';
import { lockApp } from '../apps/lock-app';
import { recordAuditEvent } from '../audit/record-audit-event';
import { createDeploy } from '../deployments/create-deploy';
import { LIVE_STATES } from '../deployments/steps-machine';
import { type PushEvent, parsePushEvent } from './push-event';
import { ignored, noteForApp, type RelayBatch, type RelayedDelivery } from './relay-outcome';

// Heroku, Render and Vercel honour a marker like this in the head commit.
const SKIP_DEPLOY = /\[(skip deploy|deploy skip|no deploy)\]/i;

interface Candidate {
  delivery: RelayedDelivery;
  push: PushEvent & { branch: string };
}

/**
 * Turns the push deliveries of one relay batch into deployments. A push that
 * cannot deploy (a tag, a deleted branch, `[skip deploy]`, no app tracking the
 * branch) is recorded as ignored with the reason. Of several pushes to one app
 * in the batch (a burst), only the newest deploys; the others are recorded as
 * superseded by it, so a burst never starts builds nobody will run. A push of
 * the commit a deployment of the app is already rolling out, or of the commit
 * it already runs, adds nothing.
 * Every app of the pushed repository gets a line saying what the push meant for it.
 */
export async function relayPushes(tx: Tx, deliveries: RelayedDelivery[], batch: RelayBatch): Promise<void> {
  const appsOfRepo = new Map<string, App[]>();
  const perApp = new Map<string, { app: App; candidates: Candidate[] }>();

  for (const delivery of deliveries) {
    const push = parsePushEvent(delivery.payload);
    if (!push) {
      batch.outcomes.set(delivery.id, { status: 'failed', result: 'not a usable push payload' });
      continue;
    }
    const key = `${push.repositoryId}\n${push.repoKeys.join(' ')}`;
    let apps = appsOfRepo.get(key);
    if (!apps) {
      // Apps connected to the repository match by its id (a rename keeps it);
      // the others by the URL they were given.
      const connected = push.repositoryId === null ? [] : [{ githubRepoId: push.repositoryId }];
      apps = await tx.app.findMany({
        where: { deletingAt: null, OR: [...connected, { githubRepoId: null, repoKey: { in: push.repoKeys } }] },
      });
      appsOfRepo.set(key, apps);
    }
    // A delivery signed with an app's own secret speaks for that app only.
    if (delivery.scopeAppId) apps = apps.filter((a) => a.id === delivery.scopeAppId);
    const reason = whyNotDeploy(push);
    if (reason) {
      batch.outcomes.set(delivery.id, ignored(reason));
      for (const app of apps) noteForApp(batch, delivery.id, app.id, reason);
      continue;
    }
    const branch = push.branch as string;
    const tracking = apps.filter((a) => a.branch === branch);
    for (const app of apps) {
      if (app.branch !== branch) noteForApp(batch, delivery.id, app.id, `branch ${branch} pushed; the app deploys ${app.branch}`);
    }
    if (tracking.length === 0) {
      batch.outcomes.set(delivery.id, ignored(`no app tracks ${push.repository ?? 'this repository'} on branch ${branch}`));
      continue;
    }
    for (const app of tracking) {
      const entry = perApp.get(app.id) ?? { app, candidates: [] };
      entry.candidates.push({ delivery, push: { ...push, branch } });
      perApp.set(app.id, entry);
    }
  }

  const created = new Map<string, number>();
  for (const { app, candidates } of perApp.values()) {
    const newest = newestPush(candidates);
    for (const c of candidates) {
      if (c !== newest)
        noteForApp(batch, c.delivery.id, app.id, `superseded by ${newest.push.commitSha.slice(0, 7)}, pushed in the same burst`);
    }
    const { push, delivery } = newest;
    // Under the app's lock, so two relays at once cannot both miss the other's deployment.
    await lockApp(tx, app.id);
    const inFlight = await tx.deployment.findFirst({
      where: {
        appId: app.id,
        kind: 'deploy',
        commitSha: push.commitSha,
        state: { in: [...LIVE_STATES] },
        cancelRequestedAt: null,
      },
      select: { id: true },
    });
    if (inFlight) {
      noteForApp(batch, delivery.id, app.id, `${push.commitSha.slice(0, 7)} is already deploying (deployment ${inFlight.id})`);
      continue;
    }
    // The branch moved back to what already runs (say, a force-push): nothing to deploy.
    const live = await tx.release.findFirst({
      where: { appId: app.id, status: 'active' },
      orderBy: { version: 'desc' },
      select: { version: true, build: { select: { commitSha: true } } },
    });
    if (live?.build.commitSha === push.commitSha) {
      noteForApp(batch, delivery.id, app.id, `${push.commitSha.slice(0, 7)} is already live (v${live.version})`);
      continue;
    }
    const firstLine = push.commitMessage?.split('\n')[0];
    const { deployment, deliver } = await createDeploy(tx, {
      appId: app.id,
      ref: push.commitSha,
      commitSha: push.commitSha,
      commitMessage: push.commitMessage,
      parentCommitSha: push.parentCommitSha,
      trigger: 'github',
      webhookDeliveryId: delivery.id,
      description: `Push ${push.commitSha.slice(0, 7)}${firstLine ? `: ${firstLine.slice(0, 120)}` : ''}`,
    });
    batch.wake.push(...deliver);
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor: { type: 'github', id: delivery.deliveryId },
      action: 'deployment.create',
      targetType: 'app',
      targetId: app.id,
      appName: app.name,
      data: { deployment: deployment.id, commit: push.commitSha, branch: push.branch },
    });
    noteForApp(batch, delivery.id, app.id, `deploying ${push.commitSha.slice(0, 7)} (deployment ${deployment.id})`);
    created.set(delivery.id, (created.get(delivery.id) ?? 0) + 1);
  }

  for (const { candidates } of perApp.values()) {
    for (const { delivery } of candidates) {
      if (batch.outcomes.has(delivery.id)) continue;
      const n = created.get(delivery.id);
      const notes = [...(batch.appNotes.get(delivery.id)?.values() ?? [])];
      batch.outcomes.set(delivery.id, { status: 'processed', result: n ? `${n} deployment(s)` : (notes[0] ?? 'nothing to do') });
    }
  }
}

function whyNotDeploy(push: PushEvent): string | null {
  if (push.ref.startsWith('refs/tags/')) return `tag ${push.ref.slice('refs/tags/'.length)} pushed: tags do not deploy`;
  if (push.deleted) return `branch ${push.branch ?? push.ref} deleted`;
  if (!push.branch) return `${push.ref} is not a branch`;
  if (push.commitMessage && SKIP_DEPLOY.test(push.commitMessage)) return '[skip deploy] in the head commit message';
  return null;
}

/**
 * The push that moved the branch last: one whose commit no other push in the
 * burst moved away from (each push names the head it moved from as `before`),
 * the latest received among those when the chain does not tell.
 */
function newestPush(candidates: Candidate[]): Candidate {
  const movedFrom = new Set(candidates.map((c) => c.push.parentCommitSha).filter((s): s is string => s !== null));
  const heads = candidates.filter((c) => !movedFrom.has(c.push.commitSha));
  return (heads.length > 0 ? heads : candidates).at(-1) as Candidate;
}
