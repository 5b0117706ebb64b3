import type { Db } from '@paas/db';
import type { SecretBox } from './crypto/secret-box';
import type { EngineTimings } from './deployments/engine-timings';
import type { PlatformLinks } from './links';
import type { CloudRegistry } from './ports/cloud-provider';
import type { GithubApi } from './ports/github';
import type { JobQueue } from './ports/job-queue';
import type { Logger } from './ports/logger';

// Everything a use case touches comes in through here, so the domain imports
// no SDK and tests wire real Postgres, Redis and a real provider.
export interface CoreContext {
  db: Db;
  clouds: CloudRegistry;
  queue: JobQueue;
  secrets: SecretBox;
  /** GitHub's API: source tarballs, deployments and statuses of apps connected through the GitHub App. */
  github: GithubApi;
  /** The dashboard's and apps' public addresses, for links GitHub shows. */
  links: PlatformLinks;
  timings: EngineTimings;
  log: Logger;
  now(): Date;
}
