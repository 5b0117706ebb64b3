// `npm run restore -- <file> [--force]`: an archive of `npm run backup` back
// into an empty database. Every check runs before anything changes, so a
// refusal leaves the database, the secrets file and the data dir as they were:
//   - the database (its schema) must hold no tables;
//   - a secrets file or PAAS_SECRET_KEY already here must hold the backup's
//     key: config vars are sealed with it, a database and a key only work as a pair;
//   - the backup must not be from a newer platform (a migration this checkout lacks).
// Then: pg_restore in one transaction, the secrets file, migrations forward,
// the data dir, and what to do next.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  appliedMigrations,
  CommandError,
  connect,
  databaseTarget,
  MANIFEST_FORMAT,
  parseArgs,
  quoteIdent,
  readEnvFile,
  reportErrors,
  requireTool,
  resolvePlatformEnv,
  runTool,
} from './backup.mjs';
import { ROOT, say } from './steps.mjs';

export const restore = (args) => reportErrors(() => runRestore(args));

async function runRestore(args) {
  const usage = 'npm run restore -- <file.tar.gz> [--force]';
  const { file, flags } = parseArgs(args, ['--force'], usage);
  const force = flags.has('--force');
  if (!existsSync(file)) throw new CommandError(`${file} does not exist.`);
  requireTool('pg_restore');
  requireTool('tar');

  const unpacked = mkdtempSync(join(tmpdir(), 'paas-restore-'));
  try {
    // The data dir part stays in the archive until the end: it can be large, and tar puts it in place with its owners.
    const listing = runTool('tar', ['-tzf', file]).stdout.split('\n');
    const parts = ['manifest.json', 'database.dump', 'secrets.env'];
    if (!parts.every((p) => listing.includes(p))) {
      throw new CommandError(`${file} is not a platform backup (no manifest.json, database.dump and secrets.env inside).`);
    }
    runTool('tar', ['-xzf', file, '-C', unpacked, ...parts]);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'));
    if (manifest.format !== MANIFEST_FORMAT) {
      throw new CommandError(`${file} is a backup of format ${manifest.format}; this platform reads format ${MANIFEST_FORMAT}.`);
    }
    const backupSecrets = readEnvFile(join(unpacked, 'secrets.env'));
    say(
      `Backup of ${manifest.createdAt}, platform ${manifest.platformCommit?.slice(0, 12) ?? 'unknown'}, ${manifest.migrations.length} migrations, data: ${manifest.data.included}.`,
    );

    // A backup from a newer platform has tables this code does not know: running it would misread them.
    const known = new Set(
      readdirSync(join(ROOT, 'prisma/migrations'), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name),
    );
    const unknown = manifest.migrations.filter((m) => !known.has(m));
    if (unknown.length > 0) {
      throw new CommandError(
        `this backup is from a newer platform (commit ${manifest.platformCommit ?? 'unknown'}): it has migrations this checkout lacks (${unknown.join(', ')}). Update this checkout first.`,
      );
    }

    const { env, secretsPath, fileValues } = resolvePlatformEnv();
    // pg_restore puts the tables back in the schema they were dumped from; a platform set to another one would not find them.
    const configured = databaseTarget(env);
    const schemaSet = Boolean(env.DATABASE_SCHEMA || new URL(env.DATABASE_URL).searchParams.get('schema'));
    const target = schemaSet ? configured : databaseTarget({ ...env, DATABASE_SCHEMA: manifest.database.schema });
    if (target.schema !== manifest.database.schema) {
      throw new CommandError(
        `the backup's tables are in schema "${manifest.database.schema}" but this platform is set to use "${target.schema}" (DATABASE_SCHEMA or ?schema= in DATABASE_URL): restore with DATABASE_SCHEMA=${manifest.database.schema}.`,
      );
    }

    // The key: the environment wins over the file when the platform starts, so both must agree with the backup.
    if (process.env.PAAS_SECRET_KEY && process.env.PAAS_SECRET_KEY !== backupSecrets.PAAS_SECRET_KEY) {
      throw new CommandError(
        'PAAS_SECRET_KEY in the environment is not the key of this backup: the platform would start with it and could not read the restored config vars (they are sealed with the backup’s key). Unset it, or set it to the backup’s.',
      );
    }
    const keyDiffers = fileValues?.PAAS_SECRET_KEY && fileValues.PAAS_SECRET_KEY !== backupSecrets.PAAS_SECRET_KEY;
    if (keyDiffers && !force) {
      throw new CommandError(
        `${secretsPath} holds another PAAS_SECRET_KEY than this backup. The key must match the database: the backup's config vars can only be read with its own key, and anything sealed with the current key would be lost. Nothing was changed. Use --force to replace the file (the current one is kept beside it).`,
      );
    }

    const dataDir = resolve(env.PAAS_DATA_DIR);
    const dataEntries = manifest.data.entries;
    const clashes = dataEntries.filter((e) => existsSync(join(dataDir, e)) && readdirSyncSafe(join(dataDir, e)).length > 0);
    if (clashes.length > 0 && !force) {
      throw new CommandError(
        `${dataDir} already has ${clashes.join(', ')}: restoring the backup's would mix two installs. Nothing was changed. Use --force to replace them.`,
      );
    }

    await ensureDatabase(target);
    const client = await connect(target.pg);
    try {
      const tables = await client.query(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S')",
        [target.schema],
      );
      if (tables.rowCount > 0) {
        const migrations = await appliedMigrations(client, target.schema);
        const what =
          migrations.length > 0 ? `a platform install (${migrations.length} migrations applied)` : `${tables.rowCount} tables`;
        if (!force) {
          throw new CommandError(
            `${target.shown} is not empty: it holds ${what}. A restore goes into an empty database only; nothing was changed. Point DATABASE_URL at a new database, or use --force to DELETE everything in it first.`,
          );
        }
        say(`--force: deleting everything in ${target.shown}`);
        await client.query(`DROP SCHEMA ${quoteIdent(target.schema)} CASCADE`);
      }
      // pg_restore creates a named schema itself; `public` must be there already, as in any new database.
      if (target.schema === 'public') await client.query('CREATE SCHEMA IF NOT EXISTS public');
    } finally {
      await client.end();
    }

    say(`Restoring the database into ${target.shown}…`);
    // One transaction: a failure leaves the database empty, not half restored.
    runTool(
      'pg_restore',
      [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        `--dbname=${target.libpqEnv.PGDATABASE}`,
        join(unpacked, 'database.dump'),
      ],
      { env: { ...process.env, ...target.libpqEnv } },
    );

    if (fileValues === null || !sameValues(fileValues, backupSecrets)) {
      if (fileValues !== null) {
        const kept = `${secretsPath}.before-restore-${new Date().toISOString().replaceAll(':', '-')}`;
        renameSync(secretsPath, kept);
        say(`The secrets file there before is kept as ${kept}.`);
      }
      mkdirSync(dirname(secretsPath), { recursive: true, mode: 0o700 });
      writeFileSync(secretsPath, readFileSync(join(unpacked, 'secrets.env')), { mode: 0o600, flag: 'wx' });
      say(`Wrote ${secretsPath} (0600): the backup's encryption key, webhook secret and admin token.`);
    }

    say('Applying migrations newer than the backup, if any…');
    const migrateEnv = { ...process.env, DATABASE_URL: env.DATABASE_URL };
    if (target.schema !== 'public') migrateEnv.DATABASE_SCHEMA = target.schema;
    runTool(process.execPath, [join(ROOT, 'scripts/migrate.mjs')], { env: migrateEnv, stdio: ['ignore', 'inherit', 'pipe'] });

    if (dataEntries.length > 0) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      for (const entry of dataEntries) rmSync(join(dataDir, entry), { recursive: true, force: true });
      runTool('tar', ['-xzf', file, '-C', dataDir, '--strip-components=1', 'data']);
      say(`Restored ${dataEntries.join(', ')} into ${dataDir}.`);
    }

    const redeploy = manifest.data.included === 'all' ? [] : await appsToRedeploy(target);
    const lines = ['', 'Restored. Next:'];
    if (target.schema !== 'public' && !schemaSet) lines.push(`  export DATABASE_SCHEMA=${target.schema}`);
    lines.push('  npm start');
    if (redeploy.length > 0) {
      lines.push(
        '',
        'The backup has no images or app processes of the local provider (no --with-data), so these apps do not run',
        'until they are deployed again; each one is rebuilt from the commit it ran:',
        ...redeploy.map((a) => `  paas deploy -a ${a.name}${a.commit ? ` --ref ${a.commit}` : ''}   (release v${a.version})`),
        '(or POST /api/v1/apps/<name>/deploys with {"ref": "<commit>"}, or Deploy in the dashboard).',
      );
    } else if (manifest.data.included === 'all') {
      lines.push('Apps come back on start: the data dir (images, server groups, routes) was restored with the database.');
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }
}

function sameValues(a, b) {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

function readdirSyncSafe(path) {
  try {
    return readdirSync(path);
  } catch {
    return ['(a file)'];
  }
}

/** Creates the database when missing, as `npm start` and `prisma migrate deploy` do. */
async function ensureDatabase(target) {
  const admin = new URL(target.pg);
  admin.pathname = '/postgres';
  const client = await connect(admin.toString());
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [target.database]);
    if (exists.rowCount === 0) {
      say(`Creating database ${target.database}`);
      await client.query(`CREATE DATABASE ${quoteIdent(target.database)}`);
    }
  } finally {
    await client.end();
  }
}

/** Apps on the local provider with an active release: their processes lived in the data dir, not in the backup. */
async function appsToRedeploy(target) {
  const client = await connect(target.pg);
  const s = quoteIdent(target.schema);
  try {
    const { rows } = await client.query(
      `SELECT a.name, r.version, b."commitSha" AS commit
         FROM ${s}."App" a
         JOIN ${s}."CloudAccount" c ON c.id = a."cloudAccountId"
         JOIN ${s}."Release" r ON r."appId" = a.id AND r.status = 'active'
         JOIN ${s}."Build" b ON b.id = r."buildId"
        WHERE c.provider = 'local' AND a."deletingAt" IS NULL
        ORDER BY a.name`,
    );
    return rows;
  } finally {
    await client.end();
  }
}
