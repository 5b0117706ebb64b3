import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Db } from '@paas/db';
import { signGithubPayload } from '@paas/github';
import { waitUntil } from './http-via-router';

export { signGithubPayload as signGithubPayloadForTests };

const require = createRequire(import.meta.url);

/** A real payload GitHub sent (from @octokit/webhooks-examples) of `event` (and `action`), to adjust and send. */
export function examplePayload(event: string, action?: string): Record<string, unknown> {
  const all = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];
  const example = all.find((e) => e.name === event)?.examples.find((x) => action === undefined || x.action === action);
  if (!example) throw new Error(`no ${event}${action ? `.${action}` : ''} example in @octokit/webhooks-examples`);
  return structuredClone(example);
}

// A real push payload pointed at the given repository, branch and commit: the shape our receiver must accept.
const examplePush = () => examplePayload('push');

export function pushPayload(opts: {
  repoUrl: string;
  branch: string;
  sha: string;
  message?: string;
  before?: string;
  /** GitHub's id and name of the repository (for apps connected through the GitHub App). */
  repository?: { id: number; fullName: string };
}) {
  const payload = examplePush();
  const repository = payload.repository as Record<string, unknown>;
  payload.ref = `refs/heads/${opts.branch}`;
  payload.before = opts.before ?? '0'.repeat(40);
  payload.after = opts.sha;
  payload.deleted = false;
  payload.created = false;
  payload.head_commit = { ...(payload.head_commit as object), id: opts.sha, message: opts.message ?? 'deploy' };
  for (const key of ['clone_url', 'git_url', 'ssh_url', 'html_url', 'url', 'svn_url']) repository[key] = opts.repoUrl;
  if (opts.repository) {
    repository.id = opts.repository.id;
    repository.full_name = opts.repository.fullName;
    repository.name = opts.repository.fullName.split('/')[1];
  }
  return payload;
}

export interface DeliveryOptions {
  url: string;
  secret: string;
  event: string;
  body: string;
  deliveryId?: string;
  signature?: string | null;
  contentType?: string;
}

/** POSTs a delivery exactly as GitHub does: raw JSON body, signature and delivery headers. */
export async function sendGithubDelivery(opts: DeliveryOptions) {
  const deliveryId = opts.deliveryId ?? randomUUID();
  const signature = opts.signature === undefined ? await signGithubPayload(opts.secret, opts.body) : opts.signature;
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? 'application/json',
    'user-agent': 'GitHub-Hookshot/test',
    'x-github-event': opts.event,
    'x-github-delivery': deliveryId,
    'x-github-hook-id': '1',
  };
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const res = await fetch(opts.url, { method: 'POST', headers, body: opts.body });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, deliveryId };
}

/**
 * The stored delivery once the worker's relay has acted on it (deployed,
 * ignored with a reason, or failed): the receiver only stores, so what a
 * delivery caused is read here, not from the receiver's answer.
 */
export async function waitForRelay(db: Db, deliveryId: string, timeoutMs = 30_000) {
  return waitUntil(
    `delivery ${deliveryId} to be relayed`,
    async () => {
      const row = await db.webhookDelivery.findUnique({ where: { deliveryId }, include: { deployments: true } });
      return row && row.status !== 'received' ? row : null;
    },
    timeoutMs,
    100,
  );
}
