import { z } from 'zod';
import { repoUrlCandidates } from '../apps/repo-url';

// Only the fields a deploy needs; GitHub's payload has many more.
const pushSchema = z.object({
  ref: z.string(),
  before: z.string().optional(),
  after: z.string(),
  deleted: z.boolean().optional(),
  head_commit: z.object({ id: z.string(), message: z.string().optional() }).nullable().optional(),
  repository: z.record(z.string(), z.unknown()),
});

export interface PushEvent {
  /** The full ref pushed (refs/heads/… or refs/tags/…). */
  ref: string;
  branch: string | null;
  commitSha: string;
  /** The branch head this push moved from (all zeros for a new branch). */
  parentCommitSha: string | null;
  commitMessage: string | null;
  deleted: boolean;
  repoKeys: string[];
  repository: string | null;
  /** GitHub's id of the repository: apps connected to it match by this, whatever its name now. */
  repositoryId: bigint | null;
}

const ZERO_SHA = /^0{40}$/;

/** Returns null when the payload is not a usable push (the caller answers 400). */
export function parsePushEvent(payload: unknown): PushEvent | null {
  const parsed = pushSchema.safeParse(payload);
  if (!parsed.success) return null;
  const p = parsed.data;
  const branch = p.ref.startsWith('refs/heads/') ? p.ref.slice('refs/heads/'.length) : null;
  const fullName = p.repository.full_name;
  return {
    ref: p.ref,
    branch,
    commitSha: p.after,
    parentCommitSha: p.before && /^[0-9a-f]{40}$/.test(p.before) && !ZERO_SHA.test(p.before) ? p.before : null,
    commitMessage: p.head_commit?.message ?? null,
    deleted: p.deleted === true || ZERO_SHA.test(p.after),
    repoKeys: repoUrlCandidates(p.repository),
    repository: typeof fullName === 'string' ? fullName : null,
    repositoryId: typeof p.repository.id === 'number' && Number.isSafeInteger(p.repository.id) ? BigInt(p.repository.id) : null,
  };
}
