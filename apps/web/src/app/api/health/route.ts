import { NextResponse } from 'next/server';
import { webContext } from '@/server/context';

export const dynamic = 'force-dynamic';

/** Liveness plus the two dependencies a request needs; no secrets, no auth. */
export async function GET() {
  const checks: Record<string, 'ok' | 'down'> = {};
  try {
    const ctx = webContext();
    checks.database = await ctx.db.$queryRaw`SELECT 1`.then(
      () => 'ok' as const,
      () => 'down' as const,
    );
    checks.queue = await ctx.queue.queue.count().then(
      () => 'ok' as const,
      () => 'down' as const,
    );
  } catch {
    return NextResponse.json({ status: 'misconfigured' }, { status: 500 });
  }
  const ok = Object.values(checks).every((v) => v === 'ok');
  return NextResponse.json({ status: ok ? 'ok' : 'degraded', checks }, { status: ok ? 200 : 503 });
}
