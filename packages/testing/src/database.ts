// A fresh PostgreSQL schema per test (file), migrated with the real
// migrations, in the `test` database. Tests need PostgreSQL: when it is not
// reachable this throws, it never skips.
import { randomBytes } from 'node:crypto';
import { createDb, type Db } from '@paas/db';
import { applyMigrations, DatabaseUnreachableError, START_POSTGRES_HINT } from '@paas/db/migrate';
import pg from 'pg';

export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  /**
   * Connection URL of the test database, pointing at the test schema both for
   * Prisma (`?schema=`, understood by createDb/applyMigrations) and for plain
   * pg/psql clients (`options=-c search_path=…`): hand it to a child process
   * as DATABASE_URL.
   */
  url: string;
  /** The PostgreSQL schema holding this test's tables. */
  schema: string;
  /** Prisma client bound to the schema. */
  db: Db;
  /** Disconnects `db` and drops the schema (CASCADE). Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named schema in the database of TEST_DATABASE_URL
 * (default postgresql://postgres@127.0.0.1:5432/test), applies every
 * migration in it and returns a client for it.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const baseUrl = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const schema = `test_${Date.now().toString(36)}_${randomBytes(5).toString('hex')}`;

  await migrate(baseUrl, schema);

  const db = createDb({ connectionString: baseUrl, schema });
  let dropped: Promise<void> | undefined;
  const drop = () => {
    dropped ??= (async () => {
      await db.$disconnect();
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      } finally {
        await client.end();
      }
    })();
    return dropped;
  };
  return { url: schemaUrl(baseUrl, schema), schema, db, drop };
}

async function migrate(baseUrl: string, schema: string): Promise<void> {
  // Migrations take a database-wide advisory lock (as `prisma migrate deploy`
  // does, 10 s timeout): many test workers starting at once can queue on it.
  for (let attempt = 1; ; attempt++) {
    try {
      await applyMigrations({ connectionString: baseUrl, schema });
      return;
    } catch (error) {
      if (error instanceof DatabaseUnreachableError) {
        throw new Error(
          `PostgreSQL is not reachable at ${error.address}, and the database tests need it ` +
            `(TEST_DATABASE_URL, default ${DEFAULT_TEST_DATABASE_URL}). ` +
            `Start it with \`${START_POSTGRES_HINT}\`, or set TEST_DATABASE_URL to a running server.\n` +
            `Cause: ${(error.cause as Error | undefined)?.message ?? error.message}`,
          { cause: error },
        );
      }
      if (attempt < 4 && /advisory lock/i.test(String((error as Error)?.message))) continue;
      throw error;
    }
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function schemaUrl(baseUrl: string, schema: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('schema', schema);
  const option = `-c search_path=${quoteIdent(schema)}`;
  const existing = url.searchParams.get('options');
  url.searchParams.set('options', existing ? `${existing} ${option}` : option);
  return url.toString();
}
