import type { Db } from '@paas/db';
import { check, type DoctorCheck, errorMessage, withTimeout } from './check';

const START_POSTGRES =
  'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (Debian/Ubuntu) or docker compose up -d postgres';
const MIGRATE = 'npm run db:migrate';

interface MigrationRow {
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * PostgreSQL answers and holds every migration this version ships: the
 * directory names of prisma/migrations against the rows of
 * `_prisma_migrations`, the bookkeeping `prisma migrate deploy` and our wasm
 * runner share. A missing one means code newer than its tables.
 */
export async function checkPostgres(
  deps: { db: Db; timeoutMs: number },
  expected: string[] | null,
): Promise<{ check: DoctorCheck; reachable: boolean }> {
  const title = 'PostgreSQL';
  let rows: MigrationRow[];
  try {
    rows = await withTimeout(
      deps.db.$queryRawUnsafe<MigrationRow[]>(
        'SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
      ),
      deps.timeoutMs,
      'PostgreSQL',
    );
  } catch (error) {
    const message = errorMessage(error);
    if (/_prisma_migrations.*does not exist|relation .* does not exist/i.test(message)) {
      return {
        reachable: true,
        check: check(
          'postgres',
          title,
          'fail',
          'PostgreSQL answers, but no migration was ever applied to this database.',
          MIGRATE,
        ),
      };
    }
    return {
      reachable: false,
      check: check(
        'postgres',
        title,
        'fail',
        `PostgreSQL is not reachable with DATABASE_URL (${firstLine(message)}).`,
        `Check DATABASE_URL (and DATABASE_SCHEMA) in the platform's environment, and that PostgreSQL runs: ${START_POSTGRES}`,
      ),
    };
  }
  const applied = new Set(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => r.migration_name));
  const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null).map((r) => r.migration_name);
  if (failed.length > 0) {
    return {
      reachable: true,
      check: check(
        'postgres',
        title,
        'fail',
        `A migration started and did not finish: ${failed.join(', ')}. The database may be half-migrated.`,
        `Fix what the migration's error says, then mark it: npx prisma migrate resolve --rolled-back ${failed[0]}, and run ${MIGRATE}`,
      ),
    };
  }
  if (expected === null) {
    return {
      reachable: true,
      check: check(
        'postgres',
        title,
        'warn',
        `PostgreSQL answers (${applied.size} migrations applied), but this install has no prisma/migrations directory to compare with.`,
        'Run the platform from its repository or image, where prisma/migrations ships with the code',
      ),
    };
  }
  const missing = expected.filter((name) => !applied.has(name));
  if (missing.length > 0) {
    return {
      reachable: true,
      check: check(
        'postgres',
        title,
        'fail',
        `${missing.length} of ${expected.length} migrations are not applied: ${missing.join(', ')}.`,
        MIGRATE,
      ),
    };
  }
  // Rows this code does not know: the database was migrated by a newer version (a rollback of the code).
  const known = new Set(expected);
  const unknown = [...applied].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    return {
      reachable: true,
      check: check(
        'postgres',
        title,
        'warn',
        `Every migration is applied, and ${unknown.length} this version does not know (${unknown.join(', ')}): the database was migrated by a newer version.`,
        'Run the newest version of the platform, the one that migrated this database',
      ),
    };
  }
  return {
    reachable: true,
    check: check('postgres', title, 'ok', `PostgreSQL answers; all ${expected.length} migrations are applied.`),
  };
}

/** The driver's own words: Prisma wraps them as "…Message: `<reason>`" under a line naming its call. */
function firstLine(text: string): string {
  const driver = /Message: `([^`]+)`/.exec(text)?.[1];
  return (driver ?? text.split('\n').find((l) => l.trim() !== '') ?? text).trim().slice(0, 300);
}
