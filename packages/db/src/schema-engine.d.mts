// Types for schema-engine.mjs (plain JavaScript so that plain `node` scripts can use it).
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';

export declare const repoRoot: string;
export declare const defaultSchemaPath: string;
export declare const defaultMigrationsDir: string;

/** Instantiates the WebAssembly schema engine once per process (no Node flag needed). */
export declare function loadSchemaEngine(): Promise<typeof import('@prisma/schema-engine-wasm')>;

/** How to start PostgreSQL on this project's machines (Debian/Ubuntu). */
export declare const START_POSTGRES_HINT: string;

/** Thrown when the PostgreSQL server does not answer; the message names host:port. */
export declare class DatabaseUnreachableError extends Error {
  constructor(host: string, port: number, cause?: unknown);
  readonly host: string;
  readonly port: number;
  /** `host:port` (or the socket path) as shown in the message. */
  readonly address: string;
}

export declare function connectionTarget(connectionString: string): {
  host: string;
  port: number;
  database: string | undefined;
  user: string | undefined;
};
export declare function withDatabase(connectionString: string, database: string): string;
export declare function splitSchemaParam(connectionString: string): { connectionString: string; schema: string | undefined };
export declare function quoteIdent(name: string): string;

export declare function readMigrationsList(migrationsDir?: string, shadowDbInitScript?: string): Promise<MigrationList>;

export interface EngineOptions {
  connectionString: string;
  /** PostgreSQL schema to work in; created by the engine when missing. */
  schema?: string;
  /** Defaults to prisma/schema.prisma at the repo root. */
  schemaPath?: string;
  log?: (line: string) => void;
}

export declare function withSchemaEngine<T>(
  opts: EngineOptions,
  fn: (engine: SchemaEngine, ctx: { datamodels: [string, string][] | undefined }) => Promise<T>,
): Promise<T>;

export interface ApplyMigrationsOptions extends EngineOptions {
  /** Defaults to prisma/migrations at the repo root. */
  migrationsDir?: string;
}

export declare function applyMigrations(opts: ApplyMigrationsOptions): Promise<{ applied: string[] }>;

export declare function migrationSlug(name: string): string;

export interface CreateMigrationOptions {
  /** Any URL of the server: a temporary database is created there (and dropped); the named database is not used. */
  connectionString: string;
  name?: string;
  /** Write a migration even when there is no schema change (`--create-only` semantics). */
  draft?: boolean;
  schemaPath?: string;
  migrationsDir?: string;
  log?: (line: string) => void;
}

export declare function createMigration(
  opts: CreateMigrationOptions,
): Promise<{ name: string | null; path: string | null; script: string | null }>;
