#!/usr/bin/env node
// Applies pending migrations from prisma/migrations, like `prisma migrate
// deploy` (same schema engine, compiled to WebAssembly; same
// `_prisma_migrations` table, so both tools stay interchangeable).
//
//   DATABASE_URL=postgresql://user@host:5432/db [DATABASE_SCHEMA=name] node scripts/migrate.mjs
//
// DATABASE_SCHEMA (or Prisma's `?schema=` in the URL) selects a PostgreSQL
// schema, created when missing; default `public`. The database itself is
// created when missing, as `migrate deploy` does. Exits 1 with a message
// when PostgreSQL cannot be reached.
import {
  applyMigrations,
  connectionTarget,
  DatabaseUnreachableError,
  splitSchemaParam,
} from '../packages/db/src/schema-engine.mjs';

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  console.error(
    'DATABASE_URL is not set. Example: DATABASE_URL=postgresql://postgres@127.0.0.1:5432/paas node scripts/migrate.mjs',
  );
  process.exit(1);
}
const schema = process.env.DATABASE_SCHEMA || undefined;

let target;
try {
  const { host, port, database } = connectionTarget(connectionString);
  const shownSchema = schema ?? splitSchemaParam(connectionString).schema;
  target = `${database} on ${host}:${port}${shownSchema ? `, schema ${shownSchema}` : ''}`;
} catch (error) {
  console.error(`DATABASE_URL is not a valid PostgreSQL URL: ${error.message}`);
  process.exit(1);
}

try {
  const started = Date.now();
  const { applied } = await applyMigrations({ connectionString, schema });
  const ms = Date.now() - started;
  if (applied.length === 0) {
    console.log(`No pending migrations to apply (${target}, ${ms} ms).`);
  } else {
    console.log(`Applied ${applied.length} migration${applied.length > 1 ? 's' : ''} to ${target} (${ms} ms):`);
    for (const name of applied) console.log(`  ${name}`);
  }
} catch (error) {
  if (error instanceof DatabaseUnreachableError) console.error(error.message);
  else console.error(`Migrating ${target} failed: ${error?.message ?? error}`);
  process.exitCode = 1;
}
