import { NextResponse } from 'next/server';
import { webContext } from '@/server/context';

export const dynamic = 'force-dynamic';

const CHECK_TIMEOUT_MS = 2_000;

const within = <T>(work: Promise<T>) =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS))]);

/**
 * Liveness plus the two dependencies, answered within a few seconds whatever
 * is down; no secrets, no auth. Without Postgres nothing works (503); without
 * Redis the API still answers from Postgres and the queue catches up later,
 * so that is `degraded` with 200 (a load balancer must keep sending traffic).
 */
export async function GET() {
  const checks: Record<string, 'ok' | 'down'> = {};
  try {
    const ctx = webContext();
    const [database, queue] = await Promise.all([
      within(ctx.db.$queryRaw`SELECT 1`).then(
        () => 'ok' as const,
        () => 'down' as const,
      ),
      within(ctx.queue.ping()).then(
        () => 'ok' as const,
        () => 'down' as const,
      ),
    ]);
    checks.database = database;
    checks.queue = queue;
  } catch {
    return NextResponse.json({ status: 'misconfigured' }, { status: 500 });
  }
  const status = checks.database === 'down' ? 'down' : checks.queue === 'down' ? 'degraded' : 'ok';
  return NextResponse.json({ status, checks }, { status: status === 'down' ? 503 : 200 });
}
