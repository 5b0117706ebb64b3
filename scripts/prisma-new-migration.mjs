#!/usr/bin/env node
// Authors a new migration from the changes in prisma/schema.prisma, like
// `prisma migrate dev --create-only --name <name>`, with Prisma's WebAssembly
// schema engine (no native engine, no download).
//
//   node scripts/prisma-new-migration.mjs <name> [--draft]
//
// The engine replays prisma/migrations in a temporary shadow database, diffs
// the result against schema.prisma and writes
// prisma/migrations/<timestamp>_<name>/migration.sql (+ migration_lock.toml).
// It works on a scratch database it creates and drops: give it any URL of a
// PostgreSQL server where the user may CREATE DATABASE, via SHADOW_DATABASE_URL
// or DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
// --draft writes a migration even when the schema has not changed (for
// hand-written SQL). Apply migrations with `node scripts/migrate.mjs`.
import { createMigration, DatabaseUnreachableError } from '../packages/db/src/schema-engine.mjs';

const args = process.argv.slice(2);
const draft = args.includes('--draft') || args.includes('--create-only');
const name = args.filter((a) => !a.startsWith('--')).join(' ');
if (!name || args.includes('--help') || args.includes('-h')) {
  console.error('Usage: node scripts/prisma-new-migration.mjs <name> [--draft]');
  process.exit(name ? 0 : 2);
}

const connectionString =
  process.env.SHADOW_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';

try {
  const started = Date.now();
  const result = await createMigration({ connectionString, name, draft });
  if (!result.name) {
    console.log('Already in sync: prisma/schema.prisma has no change that needs a migration. Nothing written.');
  } else {
    console.log(`Created prisma/migrations/${result.name}/migration.sql (${Date.now() - started} ms).`);
    console.log('Review it, then apply with: node scripts/migrate.mjs');
  }
} catch (error) {
  console.error(
    error instanceof DatabaseUnreachableError ? error.message : `Creating the migration failed: ${error?.message ?? error}`,
  );
  process.exitCode = 1;
}
