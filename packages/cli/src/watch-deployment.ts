import { setTimeout as sleep } from 'node:timers/promises';
import { seg } from './api.js';
import type { Context } from './context.js';
import { CliError, EXIT } from './errors.js';
import { sanitizeLine } from './output.js';

export interface Deployment {
  id: string;
  kind: 'deploy' | 'rollback' | 'config' | 'resize';
  state: 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'canceled';
  step: string;
  description: string | null;
  ref: string | null;
  commitSha: string | null;
  errorCode: string | null;
  error: string | null;
  release?: { version: number } | null;
  waitingForTurn?: boolean;
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);
const POLL_MS = 1_000;

const STEP_LABELS: Record<string, string> = {
  build: 'Building',
  release: 'Making the release',
  launch: 'Launching the new processes',
  await_healthy: 'Waiting for the new processes to be healthy',
  route: 'Switching traffic to them',
  retire: 'Retiring the previous processes',
};

function label(d: Deployment): string {
  if (d.waitingForTurn) return "Waiting for the app's earlier deployment to finish";
  return STEP_LABELS[d.step] ?? d.step;
}

/**
 * Follows a deployment until it ends: its build log as it is written (a deploy,
 * for people), then each step. Answers the finished deployment; Ctrl-C stops
 * watching (the deployment goes on).
 */
export async function watchDeployment(ctx: Context, app: string, first: Deployment): Promise<Deployment> {
  const api = ctx.api();
  const path = `/api/v1/apps/${seg(app)}/deployments/${seg(first.id)}`;
  const stopped = () =>
    new CliError(
      `stopped watching; deployment ${first.id} goes on (see \`paas releases -a ${app}\`)`,
      EXIT.interrupted,
      'interrupted',
    );
  let shown = '';
  if (first.kind === 'deploy' && !ctx.out.json) {
    let endsWithNewline = true;
    await api.stream(
      `${path}/log?follow=1`,
      (text) => {
        ctx.out.text(text);
        if (text !== '') endsWithNewline = text.endsWith('\n');
      },
      ctx.signal,
    );
    if (!endsWithNewline) ctx.out.line();
    shown = STEP_LABELS.build as string;
  }
  for (;;) {
    if (ctx.signal.aborted) throw stopped();
    const { deployment } = await api.get<{ deployment: Deployment }>(path);
    if (TERMINAL.has(deployment.state)) return deployment;
    const now = label(deployment);
    if (now !== shown) {
      ctx.out.line(`-----> ${sanitizeLine(now)}`);
      shown = now;
    }
    try {
      await sleep(POLL_MS, undefined, { signal: ctx.signal });
    } catch {
      throw stopped();
    }
  }
}

/** Exit code 1 for a deployment that did not succeed, with why. */
export function ensureSucceeded(d: Deployment): void {
  if (d.state === 'succeeded') return;
  const why = d.error ?? d.errorCode ?? 'no reason given';
  throw new CliError(`deployment ${d.id} ${d.state}: ${why}`, EXIT.failed, d.errorCode ?? `deployment_${d.state}`);
}
