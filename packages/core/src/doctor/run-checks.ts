import type { Db } from '@paas/db';
import { createSecretBox, parseSecretKey, type SecretBox } from '../crypto/secret-box';
import type { GithubApi } from '../ports/github';
import { check, type DoctorCheck, errorMessage, worstStatus } from './check';
import { type CloudAccountRow, checkCloudAccounts, type DoctorClouds, loadCloudAccounts } from './check-cloud-accounts';
import { checkDisk, type DiskProbe } from './check-disk';
import { checkDns, type Resolve } from './check-dns';
import { checkEncryptionKey } from './check-encryption-key';
import { checkGithubApp } from './check-github-app';
import { checkPostgres } from './check-postgres';
import { checkRedis, type RedisProbe } from './check-redis';
import { findMigrationsDir, migrationNames, nodeDisk, nodeResolve } from './node-system';

export interface DoctorDeps {
  db: Db;
  redis: RedisProbe;
  clouds: DoctorClouds;
  github: Pick<GithubApi, 'listInstallations'>;
  env: {
    PAAS_SECRET_KEY?: string | undefined;
    PAAS_DATA_DIR: string;
    PAAS_DOMAIN?: string | undefined;
    PAAS_CLOUD: 'local' | 'aws';
    GITHUB_API_URL: string;
  };
  /** prisma/migrations; default: found from the working directory. */
  migrationsDir?: string | null;
  disk?: DiskProbe;
  resolve?: Resolve;
  /** Per probe; the default keeps the whole check-up within a page load. */
  timeoutMs?: number;
}

export interface DoctorReport {
  status: 'ok' | 'warn' | 'fail';
  checks: DoctorCheck[];
}

/**
 * `paas doctor`: every check of an install, each with the fix of what is
 * wrong. Never throws for what it finds: a broken dependency is a failed
 * check, and the checks that need it say they were not run.
 */
export async function runDoctor(deps: DoctorDeps): Promise<DoctorReport> {
  const timeoutMs = deps.timeoutMs ?? 5_000;
  const expected = await migrationNames(deps.migrationsDir === undefined ? findMigrationsDir() : deps.migrationsDir);
  const [postgres, redis, disk] = await Promise.all([
    checkPostgres({ db: deps.db, timeoutMs }, expected),
    checkRedis({ redis: deps.redis, timeoutMs }),
    checkDisk({ dataDir: deps.env.PAAS_DATA_DIR, disk: deps.disk ?? nodeDisk }),
  ]);
  const db = postgres.reachable ? deps.db : null;
  const checks: DoctorCheck[] = [postgres.check, redis];
  checks.push(
    await guarded('encryption-key', 'Encryption key', () => checkEncryptionKey({ db, secretKey: deps.env.PAAS_SECRET_KEY })),
  );
  checks.push(disk);
  if (!db) {
    // Which App, which accounts: only the database knows.
    const skipped = 'Not checked: it needs the database (see PostgreSQL above).';
    checks.push(check('github-app', 'GitHub App', 'warn', skipped));
    checks.push(check('cloud-accounts', 'Cloud accounts', 'warn', skipped));
    checks.push(check('dns', 'DNS', 'warn', skipped));
    return report(checks);
  }
  checks.push(
    await guarded('github-app', 'GitHub App', () =>
      checkGithubApp({
        db,
        secrets: secretBox(deps.env.PAAS_SECRET_KEY),
        github: deps.github,
        githubApiUrl: deps.env.GITHUB_API_URL,
        timeoutMs,
      }),
    ),
  );
  let accounts: CloudAccountRow[] = [];
  try {
    accounts = await loadCloudAccounts(db);
  } catch (error) {
    checks.push(check('cloud-accounts', 'Cloud accounts', 'fail', `The accounts could not be read: ${errorMessage(error)}`));
    return report(checks);
  }
  const cloudChecks = await checkCloudAccounts({
    accounts,
    clouds: deps.clouds,
    dataDir: deps.env.PAAS_DATA_DIR,
    defaultCloud: deps.env.PAAS_CLOUD,
    timeoutMs,
  }).catch((error) => [check('cloud-accounts', 'Cloud accounts', 'fail', errorMessage(error))]);
  checks.push(...cloudChecks);
  checks.push(
    ...(await checkDns({
      db,
      accounts,
      clouds: deps.clouds,
      domain: deps.env.PAAS_DOMAIN,
      defaultCloud: deps.env.PAAS_CLOUD,
      resolve: deps.resolve ?? nodeResolve,
      timeoutMs,
    }).catch((error) => [check('dns', 'DNS', 'fail', errorMessage(error))])),
  );
  return report(checks);
}

const report = (checks: DoctorCheck[]): DoctorReport => ({ status: worstStatus(checks), checks });

function secretBox(key: string | undefined): SecretBox | null {
  try {
    return key ? createSecretBox(parseSecretKey(key)) : null;
  } catch {
    return null;
  }
}

/** A check that throws (the database going away mid-way) is a failed check, not a failed command. */
async function guarded(id: string, title: string, run: () => Promise<DoctorCheck>): Promise<DoctorCheck> {
  try {
    return await run();
  } catch (error) {
    return check(id, title, 'fail', `The check could not finish: ${errorMessage(error)}`);
  }
}
