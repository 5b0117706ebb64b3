import type { Db } from '@paas/db';
import { AppError } from '../errors';
import type { JobQueue } from '../ports/job-queue';
import type { Logger } from '../ports/logger';
import { deliver } from '../queue-delivery';

/** Asks a worker to read the App's installations from GitHub again. */
export async function requestGithubSync(deps: { db: Db; queue: JobQueue; log: Logger }) {
  const app = await deps.db.githubApp.findFirst({ select: { id: true } });
  if (!app) throw new AppError('not_found', 'there is no GitHub App yet: create it first (dashboard → GitHub)');
  await deliver(deps.log, 'a GitHub sync', () => deps.queue.syncGithub({ key: `sync.${Date.now()}` }));
}
