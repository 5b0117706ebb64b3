import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDb, type Db } from '../src/index';
import { applyMigrations, defaultMigrationsDir } from '../src/migrate';

// Real PostgreSQL (never skipped): TEST_DATABASE_URL, default the local `test` database.
const baseUrl = process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';
const schema = `test_migrate_${randomBytes(6).toString('hex')}`;

const migrationNames = readdirSync(defaultMigrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const modelNames = [
  ...readFileSync(path.join(defaultMigrationsDir, '..', 'schema.prisma'), 'utf8').matchAll(/^model\s+(\w+)/gm),
].map((m) => m[1] as string);

let admin: pg.Client;
let db: Db | undefined;
let firstRun: { applied: string[] };

beforeAll(async () => {
  // Applying first also checks the clear "PostgreSQL is not reachable" error path.
  firstRun = await applyMigrations({ connectionString: baseUrl, schema });
  admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin?.end();
}, 30_000);

describe('applyMigrations', () => {
  test('applies every migration to a fresh schema, which it creates', async () => {
    expect(migrationNames.length).toBeGreaterThan(0);
    expect(firstRun.applied).toEqual(migrationNames);

    const { rows: tables } = await admin.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    const tableNames = tables.map((t) => t.table_name).sort();
    expect(tableNames).toEqual([...modelNames, '_prisma_migrations'].sort());

    const { rows: enums } = await admin.query<{ typname: string }>(
      `SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = $1 AND t.typtype = 'e'`,
      [schema],
    );
    expect(enums.map((e) => e.typname)).toContain('Role');
  });

  test('records each migration in _prisma_migrations as `prisma migrate deploy` does', async () => {
    const { rows } = await admin.query(
      `SELECT id, migration_name, checksum, finished_at, started_at, rolled_back_at, logs, applied_steps_count
       FROM "${schema}"._prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    for (const row of rows) {
      // Prisma's checksum: SHA-256 (hex) of the migration.sql file.
      const sql = readFileSync(path.join(defaultMigrationsDir, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  test('is idempotent: a second run applies nothing', async () => {
    const second = await applyMigrations({ connectionString: baseUrl, schema });
    expect(second.applied).toEqual([]);
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM "${schema}"._prisma_migrations`);
    expect(rows[0].n).toBe(migrationNames.length);
  }, 60_000);

  test('also reads the schema from Prisma-style `?schema=` URLs', async () => {
    const url = new URL(baseUrl);
    url.searchParams.set('schema', schema);
    expect((await applyMigrations({ connectionString: url.toString() })).applied).toEqual([]);
  }, 60_000);
});

describe('createDb', () => {
  test('round trip: Team, CloudAccount, App', async () => {
    db = createDb({ connectionString: baseUrl, schema });
    const team = await db.team.create({ data: { slug: 'acme', name: 'Acme' } });
    const account = await db.cloudAccount.create({
      data: { teamId: team.id, name: 'local', provider: 'local', region: 'local', authMethod: 'none' },
    });
    const app = await db.app.create({
      data: {
        teamId: team.id,
        cloudAccountId: account.id,
        name: 'hello-world',
        repoUrl: 'https://github.com/acme/hello-world.git',
        repoKey: 'github.com/acme/hello-world',
        branch: 'main',
      },
    });

    const read = await db.app.findUniqueOrThrow({
      where: { name: 'hello-world' },
      include: { team: true, cloudAccount: true },
    });
    expect(read.id).toBe(app.id);
    expect(read.team.slug).toBe('acme');
    expect(read.cloudAccount).toMatchObject({ provider: 'local', authMethod: 'none', settings: {} });
    expect(read.configVersion).toBe(0);
    expect(read.createdAt).toBeInstanceOf(Date);

    // The rows live in the test schema, not in `public`.
    const { rows } = await admin.query(`SELECT name FROM "${schema}"."App"`);
    expect(rows).toEqual([{ name: 'hello-world' }]);
  }, 30_000);
});
