import { z } from 'zod';

// What a builder and the platform tell each other through the artifacts
// bucket, under apps/<app>/builds/<build>/: the platform writes request.json;
// the builder rewrites `log` as it grows and writes result.json once, last.
export const buildRequestSchema = z.object({
  buildId: z.string(),
  app: z.object({ id: z.string(), name: z.string() }),
  /** Without a credential: one, if the URL had it, is in Parameter Store under gitCredentialsParameter. */
  repoUrl: z.string(),
  ref: z.string(),
  definition: z.string(),
  gitCredentialsParameter: z.string().nullable(),
  /**
   * The commit's tarball (GitHub's API), fetched instead of cloning repoUrl;
   * then gitCredentialsParameter holds the Authorization header it takes.
   */
  archiveUrl: z.string().nullable().default(null),
});
export type BuildRequest = z.infer<typeof buildRequestSchema>;

export const buildResultSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('succeeded'),
    commitSha: z.string().regex(/^[0-9a-f]{40}$/),
    processes: z.record(z.string(), z.string()),
    stack: z.string(),
  }),
  z.object({ state: z.literal('failed'), error: z.string() }),
]);
export type BuildResult = z.infer<typeof buildResultSchema>;

export function parseBuildResult(text: string | null): BuildResult | null {
  if (text === null) return null;
  try {
    const parsed = buildResultSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : { state: 'failed', error: 'the builder wrote a result the platform cannot read' };
  } catch {
    return { state: 'failed', error: 'the builder wrote a result the platform cannot read' };
  }
}

/** Splits credentials off a repository URL: they go to Parameter Store, never into the bucket or user data. */
export function splitRepoCredentials(repoUrl: string): { url: string; credentials: string | null } {
  try {
    const u = new URL(repoUrl);
    if (!u.username && !u.password) return { url: repoUrl, credentials: null };
    const credentials = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    u.username = '';
    u.password = '';
    return { url: u.toString(), credentials };
  } catch {
    return { url: repoUrl, credentials: null };
  }
}
