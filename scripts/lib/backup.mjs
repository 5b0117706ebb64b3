// `npm run backup -- <file> [--with-data]`: one archive (tar.gz, 0600) that is
// enough to bring a platform install back on another machine:
//
//   manifest.json   platform commit, schema, applied migrations, time, what is inside
//   database.dump   pg_dump --format=custom of the platform's schema
//   secrets.env     PAAS_SECRET_KEY (config vars are sealed with it: the dump is
//                   unreadable without it), GITHUB_WEBHOOK_SECRET, PAAS_ADMIN_TOKEN
//   data/git/       the app repositories `git push` lands in (their only copy)
//   data/configs/ groups/ templates/ routes/
//                   the local provider's own records (kilobytes): what AWS would
//                   keep for it (SSM parameters, Auto Scaling groups, launch
//                   templates, listener rules). The database names them; without
//                   them a deploy after a restore fails (config or group not found)
//   data/           with --with-data: the whole local provider data dir (images,
//                   logs, app homes); without it apps are redeployed after a restore
//
// Shared helpers for `restore` live here too. Secrets are never printed.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  linkSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fail, ROOT, STATE_DIR, say } from './steps.mjs';

/** A refusal or failure to report as is: thrown (not process.exit) so temp files are cleaned up on the way out. */
export class CommandError extends Error {}

/** Runs a command, turning CommandError into the platform script's red message and exit 1. */
export async function reportErrors(work) {
  try {
    await work();
  } catch (error) {
    if (error instanceof CommandError) fail(error.message);
    throw error;
  }
}

export const MANIFEST_FORMAT = 1;
/** The secrets the platform cannot work without; any other key of the secrets file is kept too. */
export const SECRET_KEYS = ['PAAS_SECRET_KEY', 'GITHUB_WEBHOOK_SECRET', 'PAAS_ADMIN_TOKEN'];
/** Parts of the data dir in every backup: small, and nothing else has them (the rest is rebuilt by deploying). */
const ALWAYS_KEPT = ['git', 'configs', 'groups', 'templates', 'routes'];
const DEFAULT_DATABASE_URL = 'postgresql://postgres:postgres@127.0.0.1:5432/paas';

/** `<file>` plus `--flag`s; anything else is a usage error. */
export function parseArgs(args, allowed, usage) {
  const flags = new Set();
  const files = [];
  for (const arg of args) {
    if (arg.startsWith('--')) {
      if (!allowed.includes(arg)) throw new CommandError(`unknown option ${arg}\n  usage: ${usage}`);
      flags.add(arg);
    } else files.push(arg);
  }
  if (files.length !== 1) throw new CommandError(`usage: ${usage}`);
  return { file: resolve(process.cwd(), files[0]), flags };
}

/** KEY=value lines of an env file, or null when there is none. */
export function readEnvFile(path) {
  if (!existsSync(path)) return null;
  const values = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) values[m[1]] = m[2];
  }
  return values;
}

/**
 * The platform's environment as `npm start` resolves it (defaults < secrets
 * file < real environment), without creating a secrets file: a new random key
 * would be the wrong one for any backup.
 */
export function resolvePlatformEnv() {
  // PAAS_SECRETS_FILE: another file than .paas/secrets.env, for an install whose
  // secrets come from its environment (the tests, a service manager) and must not touch this checkout's.
  const secretsPath = process.env.PAAS_SECRETS_FILE || join(STATE_DIR, 'secrets.env');
  const fileValues = readEnvFile(secretsPath);
  const env = {
    DATABASE_URL: DEFAULT_DATABASE_URL,
    PAAS_DATA_DIR: join(STATE_DIR, 'data'),
    ...fileValues,
    ...Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== '')),
  };
  return { env, secretsPath, fileValues };
}

/**
 * Where the platform's tables are: DATABASE_SCHEMA, else Prisma's `?schema=`,
 * else `public`. `pg` is for node-postgres (no `schema` parameter, which libpq
 * rejects); `libpqEnv` is for pg_dump/pg_restore, so no password appears in a
 * command line that `ps` shows.
 */
export function databaseTarget(env) {
  let url;
  try {
    url = new URL(env.DATABASE_URL);
  } catch {
    throw new CommandError('DATABASE_URL is not a valid PostgreSQL URL');
  }
  const schema = env.DATABASE_SCHEMA || url.searchParams.get('schema') || 'public';
  url.searchParams.delete('schema');
  const database = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
  const libpqEnv = {
    PGHOST: decodeURIComponent(url.hostname) || '127.0.0.1',
    PGPORT: url.port || '5432',
    PGDATABASE: database,
    ...(url.username ? { PGUSER: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}),
    ...(url.searchParams.get('sslmode') ? { PGSSLMODE: url.searchParams.get('sslmode') } : {}),
    ...(url.searchParams.get('options') ? { PGOPTIONS: url.searchParams.get('options') } : {}),
  };
  return {
    schema,
    database,
    pg: url.toString(),
    libpqEnv,
    shown: `${database} on ${libpqEnv.PGHOST}:${libpqEnv.PGPORT}${schema === 'public' ? '' : `, schema ${schema}`}`,
  };
}

export function quoteIdent(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

/** pg_dump, pg_restore and tar are outside node_modules: say how to get them instead of a bare ENOENT. */
export function requireTool(name) {
  const r = spawnSync(name, ['--version'], { encoding: 'utf8' });
  if (r.error) {
    const hint = name.startsWith('pg_')
      ? 'install the PostgreSQL client tools of the server’s major version or newer (Debian/Ubuntu: `apt-get install postgresql-client`; macOS: `brew install libpq`)'
      : `install ${name}`;
    throw new CommandError(`${name} was not found on PATH: ${hint}.`);
  }
  return r.stdout.trim();
}

/** Runs a tool, failing with its own error output (which never holds our secrets: they travel in env vars). */
export function runTool(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw new CommandError(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new CommandError(`${cmd} failed (${r.status ?? r.signal}):\n${(r.stderr || r.stdout || '').trim()}`);
  return r;
}

/** Applied migrations, oldest first; [] when the schema has no migrations table. */
export async function appliedMigrations(client, schema) {
  const table = await client.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', [
    schema,
    '_prisma_migrations',
  ]);
  if (table.rowCount === 0) return [];
  const rows = await client.query(
    `SELECT migration_name FROM ${quoteIdent(schema)}._prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return rows.rows.map((r) => r.migration_name);
}

export async function connect(connectionString) {
  let pg;
  try {
    ({ default: pg } = await import('pg'));
  } catch {
    // A fresh clone on a new machine: restore runs before anything was installed.
    throw new CommandError('the dependencies are not installed yet: run `npm ci` in this checkout first.');
  }
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new CommandError(`PostgreSQL is not reachable (${error.message}). Check DATABASE_URL.`);
  }
  return client;
}

function platformCommit() {
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export const backup = (args) => reportErrors(() => runBackup(args));

async function runBackup(args) {
  const usage = 'npm run backup -- <file.tar.gz> [--with-data]';
  const { file, flags } = parseArgs(args, ['--with-data'], usage);
  const withData = flags.has('--with-data');
  if (existsSync(file)) throw new CommandError(`${file} exists: backups never overwrite a file. Choose another name.`);
  if (!existsSync(dirname(file))) throw new CommandError(`${dirname(file)} does not exist.`);
  const pgDumpVersion = requireTool('pg_dump');
  requireTool('tar');

  const { env, secretsPath, fileValues } = resolvePlatformEnv();
  // The values the platform runs with (environment over file), plus whatever else the file holds.
  const secrets = { ...fileValues };
  for (const key of SECRET_KEYS) if (env[key]) secrets[key] = env[key];
  if (!secrets.PAAS_SECRET_KEY) {
    throw new CommandError(
      `no PAAS_SECRET_KEY in the environment or ${secretsPath}: without the key that sealed the config vars a backup cannot be restored. Run the backup with the platform's environment.`,
    );
  }

  const target = databaseTarget(env);
  const client = await connect(target.pg);
  let migrations;
  try {
    migrations = await appliedMigrations(client, target.schema);
  } finally {
    await client.end();
  }
  if (migrations.length === 0)
    throw new CommandError(`${target.shown} holds no platform tables (no applied migrations): nothing to back up.`);

  const staging = mkdtempSync(join(tmpdir(), 'paas-backup-'));
  const partial = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    say(`Dumping ${target.shown}…`);
    // The whole database when the platform has it to itself (`public`); only its schema when it shares one.
    const schemaArgs = target.schema === 'public' ? [] : [`--schema=${target.schema}`];
    runTool(
      'pg_dump',
      ['--format=custom', '--no-owner', '--no-privileges', ...schemaArgs, `--file=${join(staging, 'database.dump')}`],
      {
        env: { ...process.env, ...target.libpqEnv },
      },
    );

    const secretLines = Object.entries(secrets).map(([k, v]) => `${k}=${v}`);
    writeFileSync(
      join(staging, 'secrets.env'),
      `# Restored from a backup. Keep private; PAAS_SECRET_KEY must stay with the database it sealed.\n${secretLines.join('\n')}\n`,
      { mode: 0o600 },
    );

    const dataDir = resolve(env.PAAS_DATA_DIR);
    const dataEntries = !existsSync(dataDir)
      ? []
      : withData
        ? readdirSync(dataDir)
        : readdirSync(dataDir).filter((name) => ALWAYS_KEPT.includes(name));
    const manifest = {
      format: MANIFEST_FORMAT,
      createdAt: new Date().toISOString(),
      platformCommit: platformCommit(),
      pgDump: pgDumpVersion,
      database: { name: target.database, schema: target.schema },
      migrations,
      secrets: Object.keys(secrets), // names only
      data: { included: withData ? 'all' : 'essential', entries: dataEntries },
    };
    writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });

    // The archive is created 0600 before a byte is written, then linked in place:
    // never readable by others, never half-written under its final name, never over an existing file.
    const fd = openSync(partial, 'wx', 0o600);
    try {
      // data/ in the archive whatever the data dir is called: tar reaches it through a link, stores `data/…`.
      if (dataEntries.length > 0) symlinkSync(dataDir, join(staging, 'data'));
      const names = ['manifest.json', 'database.dump', 'secrets.env', ...dataEntries.map((e) => `data/${e}`)];
      const r = spawnSync('tar', ['-czf', '-', '-C', staging, ...names], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      // A running platform writes logs while tar reads them (GNU tar exits 1): that copy is still usable.
      if (r.error || (r.status !== 0 && !(r.status === 1 && /changed as we read it/.test(r.stderr)))) {
        throw new CommandError(`tar failed (${r.error?.message ?? r.status}):\n${r.stderr?.trim() ?? ''}`);
      }
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(partial, file);
    } catch (error) {
      if (error.code === 'EEXIST') throw new CommandError(`${file} appeared while the backup ran: not overwritten.`);
      throw error;
    }
    say(
      `Backup written to ${file} (0600): ${migrations.length} migrations, ${manifest.secrets.length} secrets, data: ${manifest.data.included}.`,
    );
    say('It holds the encryption key and tokens: store it like a password (encrypted, off this machine).');
    if (!withData) {
      say(
        'Images, logs and app processes are not included (--with-data adds them): after a restore each app is deployed again from its commit.',
      );
    }
  } finally {
    rmSync(partial, { force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}
