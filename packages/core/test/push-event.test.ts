import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parsePushEvent } from '../src/webhooks/push-event';

// Real payloads GitHub sent, as published by @octokit/webhooks-examples.
const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];
const pushExamples = examples.find((e) => e.name === 'push')?.examples ?? [];

describe('push event', () => {
  it('reads branch, commit and repository from real GitHub push payloads', () => {
    expect(pushExamples.length).toBeGreaterThan(0);
    for (const payload of pushExamples) {
      const push = parsePushEvent(payload);
      expect(push).not.toBeNull();
      expect(push?.commitSha).toBe(payload.after);
      expect(push?.repoKeys.length).toBeGreaterThan(0);
    }
  });

  it('marks deletions and tag pushes', () => {
    const base = { repository: { clone_url: 'https://github.com/a/b.git' } };
    expect(parsePushEvent({ ...base, ref: 'refs/heads/main', after: '0'.repeat(40), deleted: true })?.deleted).toBe(true);
    expect(parsePushEvent({ ...base, ref: 'refs/tags/v1', after: 'a'.repeat(40) })?.branch).toBeNull();
    expect(parsePushEvent({ ...base, ref: 'refs/heads/feature/x', after: 'a'.repeat(40) })?.branch).toBe('feature/x');
  });

  it('returns null when required fields are missing', () => {
    expect(parsePushEvent({ ref: 'refs/heads/main' })).toBeNull();
    expect(parsePushEvent('nope')).toBeNull();
  });
});

describe('push chain', () => {
  const base = { ref: 'refs/heads/main', after: 'b'.repeat(40), repository: { clone_url: 'https://github.com/a/b.git' } };
  it('keeps the head the push moved from, which orders late deliveries', () => {
    expect(parsePushEvent({ ...base, before: 'a'.repeat(40) })?.parentCommitSha).toBe('a'.repeat(40));
    expect(parsePushEvent({ ...base, before: '0'.repeat(40) })?.parentCommitSha).toBeNull();
    expect(parsePushEvent({ ...base, before: 'not-a-sha' })?.parentCommitSha).toBeNull();
    expect(parsePushEvent(base)?.parentCommitSha).toBeNull();
  });
});
