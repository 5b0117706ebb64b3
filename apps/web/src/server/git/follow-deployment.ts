import 'server-only';
import { isLive } from '@paas/core';
import { webContext } from '../context';

const POLL_MS = 400;

/**
 * A deployment's progress as lines for a terminal: each step as it starts and
 * the build log as it grows, until the deployment ends or `signal` aborts (the
 * client went away; the deployment goes on).
 */
export async function* followDeployment(
  deploymentId: string,
  signal: AbortSignal,
): AsyncGenerator<string, { state: string; error: string | null; version: number | null }> {
  const { db } = webContext();
  let step = '';
  let logAt = 0;
  for (;;) {
    const d = await db.deployment.findUniqueOrThrow({
      where: { id: deploymentId },
      select: { state: true, step: true, error: true, buildId: true, release: { select: { version: true } } },
    });
    if (d.buildId) {
      const build = await db.build.findUnique({ where: { id: d.buildId }, select: { log: true } });
      if (build && build.log.length > logAt) {
        yield build.log.slice(logAt);
        logAt = build.log.length;
      }
    }
    if (d.step !== step && isLive(d.state)) {
      step = d.step;
      yield `-----> ${step}\n`;
    }
    if (!isLive(d.state) || signal.aborted) {
      return { state: d.state, error: d.error, version: d.release?.version ?? null };
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
