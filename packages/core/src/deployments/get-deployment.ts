import type { Db } from '@paas/db';
import { findApp } from '../apps/find-app';
import { notFound } from '../errors';
import { isPlatformId } from '../ids';
import { deploymentSummary } from './deployment-summary';
import { parseStepData } from './step-data';
import { type DeploymentStep, isTerminal, stepsFor } from './steps-machine';

export async function findDeployment(db: Db, appName: string, deploymentId: string) {
  const app = await findApp(db, appName);
  // The build log can be a megabyte: it is read piece by piece (readBuildLog), never with the row.
  const d = isPlatformId(deploymentId)
    ? await db.deployment.findFirst({
        where: { id: deploymentId, appId: app.id },
        include: { build: { omit: { log: true } }, release: { select: { version: true } } },
      })
    : null;
  if (!d) throw notFound('deployment', deploymentId);
  return d;
}

type StepState = 'pending' | 'running' | 'waiting' | 'done' | 'failed' | 'canceled';

/** One deployment with each step's state and timings, and the build it carries. */
export async function getDeployment(deps: { db: Db }, appName: string, deploymentId: string) {
  const d = await findDeployment(deps.db, appName, deploymentId);
  const data = parseStepData(d.stepData);
  const current = d.step as DeploymentStep;
  const steps = stepsFor(d.kind).map((name) => {
    const timing = data[name];
    const startedAt = timing?.startedAt ?? null;
    const finishedAt = timing?.finishedAt ?? null;
    let state: StepState = finishedAt ? 'done' : 'pending';
    if (name === current && (d.state === 'failed' || d.state === 'canceled')) state = d.state;
    else if (name === current && !isTerminal(d.state)) {
      state = d.state === 'waiting' ? 'waiting' : d.state === 'queued' ? 'pending' : 'running';
    }
    return {
      name,
      state,
      startedAt,
      finishedAt,
      durationMs: startedAt && finishedAt ? Date.parse(finishedAt) - Date.parse(startedAt) : null,
      note: finishedAt ? null : (timing?.note ?? null),
    };
  });
  return {
    ...deploymentSummary(d),
    release: d.release ? { version: d.release.version } : null,
    build: d.build
      ? { id: d.build.id, status: d.build.status, ref: d.build.ref, commitSha: d.build.commitSha, error: d.build.error }
      : null,
    waitingForTurn: d.state === 'queued' && current !== 'build',
    steps,
  };
}

/**
 * The build log from `offset` (characters): what the worker copied into
 * Postgres so far. Only the part after `offset` is read, so a follower polling
 * a long log does not fetch it whole each time. `complete` once the build can
 * write nothing more.
 */
export async function readBuildLog(deps: { db: Db }, appName: string, deploymentId: string, offset = 0) {
  const d = await findDeployment(deps.db, appName, deploymentId);
  if (!d.build) {
    const text = `No build: this ${d.kind} reuses the build of an earlier release.\n`;
    return { text: offset === 0 ? text : '', offset: text.length, complete: true };
  }
  // A deploy of a commit built before shares that build: say so above its log.
  // Shared means an earlier deployment made it (a new deploy writes its build
  // row just before its own deployment row, so timestamps cannot tell).
  const shared = (await deps.db.deployment.count({ where: { buildId: d.build.id, createdAt: { lt: d.createdAt } } })) > 0;
  // Fixed text: its length is part of every offset a follower sends back.
  const note = shared ? `-----> This deploy reuses build ${d.build.id}, made earlier; its log follows\n` : '';
  const from = Math.max(0, offset - note.length);
  const [row] = await deps.db.$queryRaw<{ length: number; text: string }[]>`
    SELECT length("log")::int AS "length", substr("log", ${from + 1}::int) AS "text" FROM "Build" WHERE "id" = ${d.build.id}::uuid`;
  const head = offset < note.length ? note.slice(offset) : '';
  const finished = !['pending', 'building'].includes(d.build.status) || isTerminal(d.state);
  return { text: head + (row?.text ?? ''), offset: note.length + (row?.length ?? 0), complete: finished };
}
