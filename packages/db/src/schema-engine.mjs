// Prisma's schema engine (the thing behind `prisma migrate …`) compiled to
// WebAssembly, driven over `pg` through @prisma/adapter-pg. No native engine,
// no download, no experimental Node flag.
//
// Plain JavaScript on purpose: scripts/migrate.mjs and
// scripts/prisma-new-migration.mjs run it under plain `node`, and
// src/migrate.ts re-exports it for TypeScript callers (types in
// schema-engine.d.mts).
//
// Loading: `@prisma/schema-engine-wasm`'s main entry does
// `import * as wasm from "./schema_engine_bg.wasm"` (an ESM wasm import, which
// Node 20 only allows behind --experimental-wasm-modules). The package also
// exports its wasm-bindgen glue as `@prisma/schema-engine-wasm/schema_engine_bg`,
// so we instantiate the .wasm bytes ourselves with that glue as the import
// object, exactly what the main entry does, and it works everywhere
// (node, tsx, Vitest workers).
//
// Differences from @prisma/adapter-pg's defaults, to behave like the native
// engine that `prisma migrate deploy` / `migrate dev` use:
//   - a migration script is sent as ONE simple query (like the native engine's
//     `simple_query(script)`), so PostgreSQL runs it as one implicit
//     transaction, instead of PrismaPg's executeScript splitting it on `;`
//     (non-atomic, and wrong for `;` inside strings or function bodies);
//   - every connection sets its search_path to the schema (default public), as
//     the native engine does (`?schema=`), so unqualified migration SQL lands
//     in that schema;
//   - the shadow database is created on a URL pointing at it (PrismaPg 7.10's
//     connectToShadowDb keeps the `connectionString`, which overrides its
//     `database` option, so its "shadow" pool would talk to the main database);
//   - columns of PostgreSQL's internal one-byte type "char" (OID 18, in catalog
//     queries of the schema describer) are read as text: PrismaPg 7.10 rejects
//     them ("Column type 'char' could not be deserialized"), which breaks every
//     command that describes a database (diff, migrate dev).

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const defaultSchemaPath = path.join(repoRoot, 'prisma', 'schema.prisma');
export const defaultMigrationsDir = path.join(repoRoot, 'prisma', 'migrations');

const NO_FILTERS = Object.freeze({ externalTables: [], externalEnums: [] });
const LOCKFILE_NAME = 'migration_lock.toml';
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

// ─── Loading the wasm engine ─────────────────────────────────────────────────

let enginePromise;
let instances = 0;
/** @returns {Promise<typeof import('@prisma/schema-engine-wasm')>} */
export function loadSchemaEngine() {
  enginePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    // The package's exports map has no ./package.json nor the .wasm: find it
    // next to the resolved main file.
    const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm'));
    const wasmPath = path.join(dir, 'schema_engine_bg.wasm');
    // The glue keeps per-instance state (memory views): a new instance (after
    // a panic) needs its own copy of the module.
    const glue =
      instances++ === 0
        ? await import('@prisma/schema-engine-wasm/schema_engine_bg')
        : await import(`${pathToFileURL(path.join(dir, 'schema_engine_bg.js')).href}?instance=${instances}`);
    // The engine reports Rust panics through this global before trapping.
    globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: '',
      set_message(message) {
        this.message = `RuntimeError: ${message}`;
      },
    };
    // The engine arms timers it never clears (e.g. the 10 s timeout around
    // `pg_advisory_lock`), which would keep a finished process alive for 10 s:
    // hand it unref'd timers. Pending queries keep the process alive anyway.
    const imports = { ...glue };
    for (const name of Object.keys(imports)) {
      if (name.startsWith('__wbg_setTimeout_')) {
        imports[name] = (callback, ms) => {
          const timer = setTimeout(callback, ms >>> 0);
          timer.unref?.();
          return timer;
        };
      }
    }
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': imports });
    glue.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    return glue;
  })();
  enginePromise.catch(() => {
    enginePromise = undefined;
  });
  return enginePromise;
}

// ─── Connections ─────────────────────────────────────────────────────────────

export const START_POSTGRES_HINT = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

export class DatabaseUnreachableError extends Error {
  constructor(host, port, cause) {
    const where = formatHostPort(host, port);
    super(
      `PostgreSQL is not reachable at ${where} (${describeError(cause)}). ` +
        `PostgreSQL must be running and accept connections there: start it with \`${START_POSTGRES_HINT}\` ` +
        '(Debian/Ubuntu) or `docker compose up -d postgres`, or point the connection URL at a running server.',
      { cause },
    );
    this.name = 'DatabaseUnreachableError';
    this.host = host;
    this.port = port;
    this.address = where;
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOENT', // unix socket path missing
  '57P03', // the database system is starting up / shutting down
]);

function describeError(error) {
  if (error instanceof AggregateError && error.errors?.length) return describeError(error.errors[0]);
  if (error && typeof error === 'object') return error.message || error.code || String(error);
  return String(error);
}

function formatHostPort(host, port) {
  if (host?.startsWith('/')) return `${host}/.s.PGSQL.${port}`;
  return host?.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Where a connection string points, as pg understands it. */
export function connectionTarget(connectionString) {
  const client = new pg.Client({ connectionString });
  return { host: client.host, port: client.port, database: client.database, user: client.user };
}

function isUnreachable(error) {
  if (error instanceof AggregateError) return error.errors.some(isUnreachable);
  const code = error?.code;
  return UNREACHABLE_CODES.has(code) || /timeout expired|Connection terminated unexpectedly/i.test(error?.message ?? '');
}

/** Opens and closes one connection; throws DatabaseUnreachableError with host:port when the server does not answer. */
async function probe(connectionString) {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    if (isUnreachable(error)) throw new DatabaseUnreachableError(client.host, client.port, error);
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The same URL on another database (query parameters kept). */
export function withDatabase(connectionString, database) {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** `"name"` with embedded quotes doubled. */
export function quoteIdent(name) {
  if (!name || name.includes('\0')) throw new Error(`Invalid PostgreSQL identifier: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Prisma's own convention: `?schema=name` in the URL. pg does not know it, so
 * it is removed and returned separately.
 */
export function splitSchemaParam(connectionString) {
  let url;
  try {
    url = new URL(connectionString);
  } catch {
    return { connectionString, schema: undefined };
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema === undefined) return { connectionString, schema };
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), schema };
}

function charColumnsAsText(result) {
  for (const res of Array.isArray(result) ? result : [result]) {
    for (const field of res?.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  }
  return result;
}

function patchQuery(target) {
  const query = target.query.bind(target);
  target.query = (...args) => {
    // Callback-style calls (pg.Pool#query uses them on its clients) are left alone.
    if (typeof args.at(-1) === 'function' || typeof args[0]?.submit === 'function') return query(...args);
    return query(...args).then(charColumnsAsText);
  };
}

/** A pool whose results never contain PostgreSQL's "char" type (see header). */
function createPool(connectionString, schema) {
  // Like the native engine: `SET search_path` to the schema (default public) on
  // every new connection, before the pool hands it out.
  const setSearchPath = `SET search_path TO ${quoteIdent(schema ?? 'public')}`;
  class SearchPathClient extends pg.Client {
    connect(callback) {
      const connected = super.connect().then(() => super.query(setSearchPath));
      if (typeof callback !== 'function') return connected.then(() => undefined);
      connected.then(
        () => callback(null),
        (error) => callback(error),
      );
    }
  }
  const pool = new pg.Pool({ connectionString, connectionTimeoutMillis: 10_000, max: 4, Client: SearchPathClient });
  pool.on('error', () => {}); // idle client errors surface on the next query instead
  patchQuery(pool);
  const connect = pool.connect.bind(pool);
  const patched = new WeakSet();
  pool.connect = (...args) => {
    if (typeof args[0] === 'function') return connect(...args);
    return connect().then((client) => {
      if (!patched.has(client)) {
        patched.add(client);
        patchQuery(client);
      }
      return client;
    });
  };
  return pool;
}

/** PrismaPg's adapter, with the migration script sent whole (see header). */
async function connectAdapter(pool, schema) {
  const adapter = await new PrismaPg(pool, schema ? { schema } : undefined).connect();
  adapter.executeScript = async (script) => {
    try {
      await pool.query(script);
    } catch (error) {
      adapter.onError(error); // PrismaPg's own error mapping; throws
    }
  };
  return adapter;
}

/**
 * A migration-aware driver adapter factory over pg pools this module owns.
 * `close()` ends every pool and drops any shadow database still around.
 */
function createAdapterFactory({ connectionString, schema }) {
  const mainPool = createPool(connectionString, schema);
  const shadows = new Map(); // name -> pool
  const dropShadow = async (name) => {
    const pool = shadows.get(name);
    if (!pool) return;
    shadows.delete(name);
    await pool.end().catch(() => {});
    await mainPool.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
  };
  const factory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connectAdapter(mainPool, schema),
    async connectToShadowDb() {
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      await mainPool.query(`CREATE DATABASE ${quoteIdent(name)}`);
      const pool = createPool(withDatabase(connectionString, name), schema);
      shadows.set(name, pool);
      const adapter = await connectAdapter(pool, schema);
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await dropShadow(name);
      };
      return adapter;
    },
  };
  return {
    factory: bindMigrationAwareSqlAdapterFactory(factory),
    async close() {
      for (const name of [...shadows.keys()]) await dropShadow(name).catch(() => {});
      await mainPool.end().catch(() => {});
    },
  };
}

/** A connection to a maintenance database of the server (`postgres`, else `template1`), like Prisma's admin connection. */
async function connectAdmin(connectionString) {
  let lastError;
  for (const adminDb of ['postgres', 'template1']) {
    const client = new pg.Client({ connectionString: withDatabase(connectionString, adminDb), connectionTimeoutMillis: 10_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      if (isUnreachable(error)) throw new DatabaseUnreachableError(client.host, client.port, error);
      lastError = error;
    }
  }
  throw new Error(`Could not connect to the \`postgres\` or \`template1\` database: ${describeError(lastError)}`, {
    cause: lastError,
  });
}

/** Creates the database named in the URL if it does not exist (what `prisma migrate deploy` does too). */
async function ensureDatabase(connectionString, log) {
  try {
    await probe(connectionString);
    return false;
  } catch (error) {
    if (error?.code !== '3D000') throw error; // 3D000: invalid_catalog_name (database does not exist)
  }
  const { database } = connectionTarget(connectionString);
  const admin = await connectAdmin(connectionString);
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
    log?.(`Created database ${database}.`);
    return true;
  } catch (error) {
    if (error?.code === '42P04') return false; // duplicate_database: created meanwhile
    throw new Error(`Database ${database} does not exist and could not be created: ${describeError(error)}`, { cause: error });
  } finally {
    await admin.end().catch(() => {});
  }
}

// ─── Migrations directory ────────────────────────────────────────────────────

/**
 * The migrations directory as the engine wants it; the same reading as the
 * Prisma CLI (every subdirectory, its migration.sql, sorted by name).
 * @returns {Promise<import('@prisma/schema-engine-wasm').MigrationList>}
 */
export async function readMigrationsList(migrationsDir = defaultMigrationsDir, shadowDbInitScript = '') {
  const baseDir = path.resolve(migrationsDir);
  const lockfile = {
    path: LOCKFILE_NAME,
    content: await readFile(path.join(baseDir, LOCKFILE_NAME), 'utf8').catch(() => null),
  };
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const content = await readFile(path.join(baseDir, entry.name, 'migration.sql'), 'utf8').then(
      (value) => ({ tag: 'ok', value }),
      (error) => ({ tag: 'error', value: error.message }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: 'migration.sql', content } });
  }
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return { baseDir, lockfile, shadowDbInitScript, migrationDirectories };
}

async function readSchemaFiles(schemaPath) {
  if (!schemaPath || !existsSync(schemaPath)) return undefined;
  return [[path.resolve(schemaPath), await readFile(schemaPath, 'utf8')]];
}

// ─── Running the engine ──────────────────────────────────────────────────────

function engineLogger(log) {
  return (line) => {
    if (!log) return;
    try {
      const { level, fields } = JSON.parse(line);
      if (level === 'INFO' && fields?.message && !/^(Starting schema-engine-wasm|Analysis run in)/.test(fields.message)) {
        log(String(fields.message));
      }
    } catch {
      // not JSON: ignore
    }
  };
}

function engineError(error) {
  if (error instanceof WebAssembly.RuntimeError) {
    // A Rust panic: this instance is unusable from now on; the next call
    // instantiates a fresh one.
    enginePromise = undefined;
    const registry = globalThis.PRISMA_WASM_PANIC_REGISTRY;
    if (registry?.message && !error.message.includes(registry.message)) error.message += `\n${registry.message}`;
    if (registry) registry.message = '';
  }
  return error;
}

/**
 * Runs `fn` with a schema engine connected to the given database (and schema,
 * which the engine creates when missing). Everything is closed afterwards.
 */
export async function withSchemaEngine({ connectionString, schema, schemaPath = defaultSchemaPath, log }, fn) {
  const { SchemaEngine } = await loadSchemaEngine();
  const datamodels = await readSchemaFiles(schemaPath);
  const { factory, close } = createAdapterFactory({ connectionString, schema });
  let engine;
  try {
    engine = await SchemaEngine.new({ datamodels }, engineLogger(log), factory);
    return await fn(engine, { datamodels });
  } catch (error) {
    throw engineError(error);
  } finally {
    try {
      engine?.free();
    } catch {
      // already unusable (panic)
    }
    await close();
  }
}

/**
 * Applies pending migrations like `prisma migrate deploy`: same engine code
 * path (applyMigrations), same `_prisma_migrations` table and checksums.
 */
export async function applyMigrations(opts) {
  const { log, migrationsDir = defaultMigrationsDir, schemaPath = defaultSchemaPath } = opts;
  const split = splitSchemaParam(opts.connectionString);
  const connectionString = split.connectionString;
  const schema = opts.schema ?? split.schema;
  if (schema !== undefined && !/^[^"\0]{1,63}$/.test(schema)) {
    // The engine interpolates the name in `CREATE SCHEMA "<name>"` unescaped.
    throw new Error(`Invalid schema name ${JSON.stringify(schema)}: 1 to 63 characters, no double quote.`);
  }
  await ensureDatabase(connectionString, log);
  const migrationsList = await readMigrationsList(migrationsDir);
  const { appliedMigrationNames } = await withSchemaEngine({ connectionString, schema, schemaPath, log }, (engine) =>
    engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
  );
  return { applied: appliedMigrationNames };
}

// Replacements applied before accents are stripped, as the CLI's slugify does
// (its defaults plus the common entries of its transliteration table).
const SLUG_REPLACEMENTS = [
  ['&', ' and '],
  ['\u{1F984}', ' unicorn '],
  ['\u2665', ' love '],
  ['\u00DF', 'ss'],
  ['\u1E9E', 'Ss'],
  ['\u00E4', 'ae'],
  ['\u00C4', 'Ae'],
  ['\u00F6', 'oe'],
  ['\u00D6', 'Oe'],
  ['\u00FC', 'ue'],
  ['\u00DC', 'Ue'],
  ['\u00E6', 'ae'],
  ['\u00C6', 'AE'],
  ['\u00F8', 'o'],
  ['\u00D8', 'O'],
  ['\u00F0', 'd'],
  ['\u00D0', 'D'],
  ['\u0111', 'd'],
  ['\u0110', 'D'],
  ['\u00FE', 'th'],
  ['\u00DE', 'TH'],
];

/** The CLI's name for `migrate dev --name <name>`: slugify(name, { separator: '_' }), cut at 200 characters. */
export function migrationSlug(name) {
  let slug = name;
  for (const [from, to] of SLUG_REPLACEMENTS) slug = slug.replaceAll(from, to);
  return slug
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z\d]+)/g, '$1 $2')
    .toLowerCase()
    .replace(/([a-z\d]+)'([ts])(\s|$)/g, '$1$2$3')
    .replace(/[^a-z\d]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
}

/**
 * Authors a new migration like `prisma migrate dev --create-only`: the engine
 * replays the migrations directory in a temporary shadow database and diffs
 * it against the Prisma schema (devDiagnostic + createMigration, the calls
 * `migrate dev` makes). Works against a temporary database of its own, which
 * it drops, so no real database is touched; the new migration is then
 * applied there once as a check.
 *
 * @returns {Promise<{ name: string | null; path: string | null; script: string | null }>}
 */
export async function createMigration(opts) {
  const { name, draft = false, log, migrationsDir = defaultMigrationsDir, schemaPath = defaultSchemaPath } = opts;
  const { connectionString: serverUrl } = splitSchemaParam(opts.connectionString);
  const admin = await connectAdmin(serverUrl);
  const tempDb = `paas_new_migration_${randomUUID().replaceAll('-', '')}`;
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(tempDb)}`);
    try {
      return await withSchemaEngine(
        { connectionString: withDatabase(serverUrl, tempDb), schemaPath, log },
        async (engine, { datamodels }) => {
          if (!datamodels) throw new Error(`Prisma schema not found at ${schemaPath}`);
          const schemaFiles = { files: datamodels.map(([p, content]) => ({ path: p, content })) };
          const migrationsList = await readMigrationsList(migrationsDir);
          // Bring the scratch database up to date first (as `migrate dev` applies
          // pending migrations before creating one): devDiagnostic then checks it
          // for drift against the history replayed in a shadow database, which
          // leaves that schema in the engine's cache, where createMigration (which
          // cannot open a shadow database itself in the wasm build) finds it.
          await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
          const { action } = await engine.devDiagnostic({ migrationsList, filters: NO_FILTERS });
          if (action.tag === 'reset') throw new Error(`The migrations directory cannot be replayed: ${action.reason}`);
          const out = await engine.createMigration({
            draft,
            migrationName: migrationSlug(name ?? ''),
            migrationsList,
            schema: schemaFiles,
            filters: NO_FILTERS,
          });
          if (out.migrationScript === null) return { name: null, path: null, script: null };
          // Written exactly as the CLI does (packages/migrate: writeMigrationScript / writeMigrationLockfile).
          const dir = path.join(migrationsList.baseDir, out.generatedMigrationName);
          if (existsSync(dir)) throw new Error(`The migration directory already exists at ${dir}`);
          await mkdir(dir, { recursive: true, mode: 0o777 });
          await writeFile(path.join(dir, `migration.${out.extension}`), out.migrationScript, 'utf8');
          await writeFile(
            path.join(migrationsList.baseDir, LOCKFILE_NAME),
            `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${out.connectorType}"\n`,
            'utf8',
          );
          // Check that the history, new migration included, applies cleanly (what `migrate dev` does next).
          try {
            await engine.applyMigrations({ migrationsList: await readMigrationsList(migrationsDir), filters: NO_FILTERS });
          } catch (error) {
            throw new Error(
              `The migration was written to ${dir} but failed to apply on a scratch database; edit or delete it:\n${describeError(error)}`,
              { cause: error },
            );
          }
          return { name: out.generatedMigrationName, path: dir, script: out.migrationScript };
        },
      );
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(tempDb)} WITH (FORCE)`).catch(async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(tempDb)}`);
      });
    }
  } finally {
    await admin.end().catch(() => {});
  }
}
