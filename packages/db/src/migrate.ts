// Applying migrations at run time (platform start, tests), with Prisma's schema
// engine compiled to WebAssembly: no native engine, no download, no Node flag.
// Imported as `@paas/db/migrate` only, so that `@paas/db` never loads the engine.
import {
  applyMigrations as applyWithWasmEngine,
  DatabaseUnreachableError,
  defaultMigrationsDir,
  START_POSTGRES_HINT,
} from './schema-engine.mjs';

export { DatabaseUnreachableError, defaultMigrationsDir, START_POSTGRES_HINT };

export interface ApplyMigrationsOptions {
  connectionString: string;
  /**
   * PostgreSQL schema to migrate (created when missing); default `public`, or
   * Prisma's `?schema=` in the URL.
   */
  schema?: string;
  /** Progress lines from the engine, e.g. "Applying `20250101000000_init`". */
  log?: (line: string) => void;
}

/**
 * Applies the pending migrations of prisma/migrations, as `prisma migrate
 * deploy` does (same engine code, same `_prisma_migrations` bookkeeping, so
 * both tools can be used on the same database). Creates the database when
 * missing, like `migrate deploy`. Idempotent: returns `applied: []` when
 * nothing is pending. Throws DatabaseUnreachableError (message names
 * host:port) when PostgreSQL does not answer.
 */
export async function applyMigrations(opts: ApplyMigrationsOptions): Promise<{ applied: string[] }> {
  return applyWithWasmEngine(opts);
}
