import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AppRef } from '@paas/core';
import type { LocalContext } from '../context';
import { localNames } from '../names';
import { stopPids } from '../process/stop-processes';
import { findUserProcesses } from '../process/user-processes';
import { readJsonFile, writeJsonAtomic } from '../state/atomic-file';
import { withLock } from '../state/file-lock';
import type { AppUserRecord } from '../state/records';

const run = promisify(execFile);

// Apps run as users of their own, far from the ids people and daemons use, so
// an app can read neither the platform's processes (their environment holds
// the database URL and keys) nor another app's files.
const UID_RANGE = ['-K', 'SYS_UID_MIN=20000', '-K', 'SYS_UID_MAX=59999', '-K', 'SYS_GID_MIN=20000', '-K', 'SYS_GID_MAX=59999'];

export interface AppIdentity {
  /** null: run as the platform's own user (isolation `none`). */
  user: AppUserRecord | null;
  home: string;
  tmp: string;
}

/**
 * The user, home and tmp directory an app's builds and processes use, made on
 * first need. Idempotent: a user that already exists (a record lost in a
 * crash) is looked up, not created twice.
 */
export async function ensureAppIdentity(ctx: LocalContext, app: AppRef): Promise<AppIdentity> {
  const appId = localNames.appId(app.id);
  const home = ctx.layout.home(appId);
  const tmp = join(home, 'tmp');
  if (ctx.isolation === 'none') {
    await mkdir(tmp, { recursive: true, mode: 0o700 });
    return { user: null, home, tmp };
  }
  const known = await readJsonFile<AppUserRecord>(ctx.layout.user(appId));
  if (known !== null) return { user: known, home, tmp };

  return withLock(ctx.layout.lock(`user-${appId}`), { waitMs: ctx.lockWaitMs }, async () => {
    const again = await readJsonFile<AppUserRecord>(ctx.layout.user(appId));
    if (again !== null) return { user: again, home, tmp };
    const name = localNames.appUser(appId);
    let user = await lookupUser(name);
    if (user === null) {
      await run('useradd', [
        '--system',
        '--user-group',
        '--no-create-home',
        '--home-dir',
        home,
        '--shell',
        '/usr/sbin/nologin',
        '--comment',
        `paas app ${app.name}`,
        ...UID_RANGE,
        name,
      ]).catch(async (error: unknown) => {
        // Another process may have created it between our lookup and useradd.
        if ((await lookupUser(name)) === null) throw error;
      });
      user = await lookupUser(name);
      if (user === null) throw new Error(`user ${name} was not created`);
    }
    for (const dir of [home, tmp]) {
      await mkdir(dir, { recursive: true });
      await chown(dir, user.uid, user.gid);
      await chmod(dir, 0o700);
    }
    await writeJsonAtomic(ctx.layout.user(appId), user, 0o600);
    ctx.log.info('app user created', { app: app.name, user: name });
    return { user, home, tmp };
  });
}

/**
 * Deletes the app's user and home. Its processes should be stopped already;
 * any still running as the user (one that escaped its process group, or was
 * mid-exec when the stop looked for it) is killed first, since userdel
 * refuses a user with processes and the app is going away.
 */
export async function removeAppIdentity(ctx: LocalContext, appId: string): Promise<void> {
  const record = await readJsonFile<AppUserRecord>(ctx.layout.user(appId));
  if (record !== null && ctx.isolation === 'users' && (await lookupUser(record.name)) !== null) {
    await deleteUser(ctx, record);
  }
  await rm(ctx.layout.home(appId), { recursive: true, force: true });
  await rm(ctx.layout.user(appId), { force: true });
}

/**
 * Deletes app users whose home is in this data dir but that no record names:
 * a platform killed between useradd and writing the record leaves one behind.
 */
export async function removeUnrecordedAppUsers(ctx: LocalContext): Promise<void> {
  if (ctx.isolation !== 'users') return;
  const { stdout } = await run('getent', ['passwd']);
  for (const line of stdout.split('\n')) {
    const [name, , uid, gid, , home] = line.split(':');
    if (!name?.startsWith('paas-') || !home?.startsWith(`${ctx.layout.homes}/`)) continue;
    await deleteUser(ctx, { name, uid: Number(uid), gid: Number(gid) });
  }
}

// userdel also refuses while a killed process is a zombie its parent has not reaped yet.
const USERDEL_TRIES = 20;
const USERDEL_RETRY_MS = 100;

async function deleteUser(ctx: LocalContext, record: AppUserRecord): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const stray = await findUserProcesses(record.uid);
    if (stray.length > 0) {
      ctx.log.warn("stopping processes still running as a deleted app's user", { user: record.name, pids: stray });
      await stopPids(stray, 0);
    }
    try {
      await run('userdel', [record.name]);
      return;
    } catch (error) {
      if ((await lookupUser(record.name)) === null) return; // another teardown got there first
      if (attempt >= USERDEL_TRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, USERDEL_RETRY_MS));
    }
  }
}

/** Hands a directory to the app's user (a build's output tree). */
export async function giveToApp(identity: AppIdentity, path: string, mode = 0o700): Promise<void> {
  await mkdir(path, { recursive: true });
  if (identity.user !== null) await chown(path, identity.user.uid, identity.user.gid);
  await chmod(path, mode);
}

async function lookupUser(name: string): Promise<AppUserRecord | null> {
  try {
    const { stdout } = await run('getent', ['passwd', name]);
    const [, , uid, gid] = stdout.trim().split(':');
    return { name, uid: Number(uid), gid: Number(gid) };
  } catch {
    return null;
  }
}
