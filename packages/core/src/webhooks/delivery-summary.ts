import { AppError } from '../errors';
import { parsePushEvent } from './push-event';

const SHA = /^[0-9a-f]{40}$/;

/** What a delivery's list shows without reading its payload. */
export interface DeliverySummary {
  action: string | null;
  repository: string | null;
  repositoryId: bigint | null;
  installationId: bigint | null;
  ref: string | null;
  headCommit: string | null;
}

/**
 * Reads the few fields a delivery is listed and matched by, and refuses a
 * delivery of an event we act on that lacks what acting needs (the edge answers
 * 400, so a broken sender learns at once instead of from a silent no-op).
 */
export function summarizeDelivery(event: string, payload: Record<string, unknown>): DeliverySummary {
  const action = typeof payload.action === 'string' ? payload.action : null;
  const repo = payload.repository as { full_name?: unknown; id?: unknown } | undefined;
  const repository = typeof repo?.full_name === 'string' ? repo.full_name : null;
  const repositoryId = githubId(repo?.id);
  const installationId = githubId((payload.installation as { id?: unknown } | undefined)?.id);
  const ids = { repositoryId, installationId };
  if (event !== 'push') return { action, repository, ...ids, ref: null, headCommit: null };
  const push = parsePushEvent(payload);
  if (!push || (!push.deleted && !SHA.test(push.commitSha))) {
    throw new AppError('malformed_request', 'push payload lacks ref, after (a commit SHA) or repository');
  }
  return { action, repository: push.repository, ...ids, ref: push.branch ?? push.ref, headCommit: push.commitSha };
}

/** GitHub's numeric ids (repositories, installations) outgrow 32 bits; they are kept as bigint. */
export function githubId(value: unknown): bigint | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? BigInt(value) : null;
}
