import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { createTestDatabase, DEFAULT_TEST_DATABASE_URL, type TestDatabase } from '../src/database';

const baseUrl = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;

async function schemaExists(schema: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    return rows.length === 1;
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  let testDb: TestDatabase | undefined;
  afterEach(async () => {
    await testDb?.drop();
    testDb = undefined;
  });

  test('makes a migrated schema of its own, and drop() removes it', async () => {
    testDb = await createTestDatabase();
    expect(testDb.schema).toMatch(/^test_[a-z0-9_]+$/);
    expect(await schemaExists(testDb.schema)).toBe(true);

    const team = await testDb.db.team.create({ data: { slug: 'acme', name: 'Acme' } });
    expect(await testDb.db.team.findUnique({ where: { id: team.id } })).toMatchObject({ slug: 'acme' });

    // The URL reaches the same schema from plain pg (search_path) …
    const client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    const { rows } = await client.query('SELECT slug FROM "Team"');
    await client.end();
    expect(rows).toEqual([{ slug: 'acme' }]);

    const { schema } = testDb;
    await testDb.drop();
    await testDb.drop(); // idempotent
    testDb = undefined;
    expect(await schemaExists(schema)).toBe(false);
  });

  test('two test databases do not see each other', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      await a.db.team.create({ data: { slug: 'only-in-a', name: 'A' } });
      expect(await b.db.team.count()).toBe(0);
      expect(await a.db.team.count()).toBe(1);
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
  });

  test('fails with a clear message when PostgreSQL is not reachable (never skips)', async () => {
    const saved = process.env.TEST_DATABASE_URL;
    process.env.TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:1/test';
    try {
      await expect(createTestDatabase()).rejects.toThrow(/PostgreSQL is not reachable at 127\.0\.0\.1:1\b.*start it with/is);
    } finally {
      if (saved === undefined) delete process.env.TEST_DATABASE_URL;
      else process.env.TEST_DATABASE_URL = saved;
    }
  });
});
