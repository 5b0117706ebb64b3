'use server';

import {
  addDomain,
  cancelDeployment,
  connectRepository,
  createCloudAccount,
  isAppError,
  redeliverDelivery,
  removeDomain,
  requestAppDeletion,
  requestDeploy,
  requestGithubSync,
  requestRollback,
  rotateAppWebhookSecret,
  updateAppSettings,
  updateConfig,
  updateFormation,
} from '@paas/core';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { isAdminToken, SESSION_COOKIE, sessionValue } from '@/server/auth';
import { cloudSettings, webContext } from '@/server/context';
import { publicUrls } from '@/server/public-urls';
import { requireSession } from '@/server/session';

// Every dashboard change goes through the same use case as the REST API; the
// result is a value the page shows (errors carry the use case's message).
export type ActionResult<T = undefined> = { ok: true; value: T } | { ok: false; error: string };

async function attempt<T>(work: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: error.message };
    throw error;
  }
}

export async function signIn(_prev: { error?: string } | undefined, form: FormData): Promise<{ error?: string }> {
  const token = String(form.get('token') ?? '').trim();
  if (!token || !isAdminToken(token)) return { error: 'That token is not valid.' };
  const jar = await cookies();
  jar.set(SESSION_COOKIE, sessionValue(), { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60 * 60 * 24 * 7 });
  redirect('/');
}

export async function signOut(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect('/login');
}

export async function scaleProcessType(appName: string, type: string, quantity: number): Promise<ActionResult<number>> {
  const actor = await requireSession();
  return attempt(async () => (await updateFormation(webContext(), appName, type, { quantity }, actor)).formation.quantity);
}

/** A new size rolls out as a release; the answer is that deployment's id. */
export async function resizeProcessType(appName: string, type: string, size: string): Promise<ActionResult<string | null>> {
  const actor = await requireSession();
  return attempt(async () => (await updateFormation(webContext(), appName, type, { size }, actor)).deployment?.id ?? null);
}

export async function deployApp(appName: string, ref: string): Promise<ActionResult<string>> {
  const actor = await requireSession();
  const input = ref.trim() === '' ? {} : { ref: ref.trim() };
  return attempt(async () => (await requestDeploy(webContext(), appName, input, actor, 'dashboard')).id);
}

export async function rollbackTo(appName: string, version: number): Promise<ActionResult<string>> {
  const actor = await requireSession();
  return attempt(async () => (await requestRollback(webContext(), appName, { version }, actor, 'dashboard')).id);
}

export async function changeConfig(appName: string, patch: Record<string, string | null>): Promise<ActionResult<string | null>> {
  const actor = await requireSession();
  return attempt(async () => (await updateConfig(webContext(), appName, patch, actor)).deployment?.id ?? null);
}

export async function cancelDeploymentAction(appName: string, deploymentId: string): Promise<ActionResult> {
  const actor = await requireSession();
  return attempt(async () => {
    await cancelDeployment(webContext(), appName, deploymentId, actor);
    return undefined;
  });
}

export async function deleteAppAction(appName: string): Promise<ActionResult> {
  const actor = await requireSession();
  return attempt(async () => {
    await requestAppDeletion(webContext(), appName, actor);
    return undefined;
  });
}

export async function addAppDomain(appName: string, hostname: string): Promise<ActionResult<string>> {
  const actor = await requireSession();
  const ctx = webContext();
  return attempt(
    async () => (await addDomain({ ...ctx, baseDomain: ctx.env.PAAS_DOMAIN }, appName, { hostname }, actor)).hostname,
  );
}

export async function removeAppDomain(appName: string, hostname: string): Promise<ActionResult<string>> {
  const actor = await requireSession();
  return attempt(async () => (await removeDomain(webContext(), appName, hostname, actor)).hostname);
}

export async function addCloudAccount(form: {
  name: string;
  region: string;
  roleArn: string;
  externalId: string;
}): Promise<ActionResult<string>> {
  const actor = await requireSession();
  const ctx = webContext();
  const input = {
    name: form.name.trim(),
    provider: 'aws',
    region: form.region.trim(),
    ...(form.roleArn.trim() ? { roleArn: form.roleArn.trim(), externalId: form.externalId } : {}),
  };
  return attempt(async () => (await createCloudAccount({ ...ctx, cloud: cloudSettings(ctx.env) }, input, actor)).name);
}

/** The web health check's path and interval; empty fields keep the defaults. */
export async function changeHealthCheck(
  appName: string,
  form: { path: string; intervalSeconds: string },
): Promise<ActionResult<string>> {
  const actor = await requireSession();
  const healthCheck = {
    ...(form.path.trim() ? { path: form.path.trim() } : {}),
    ...(form.intervalSeconds.trim() ? { intervalSeconds: Number(form.intervalSeconds) } : {}),
  };
  return attempt(async () => (await updateAppSettings(webContext(), appName, { healthCheck }, actor)).name);
}

export async function syncGithub(): Promise<ActionResult> {
  await requireSession();
  return attempt(async () => {
    await requestGithubSync(webContext());
    return undefined;
  });
}

/** `repositoryId` null disconnects the app from GitHub (pushes match its URL again). */
export async function connectAppRepository(
  appName: string,
  repositoryId: number | null,
  branch: string,
): Promise<ActionResult<string>> {
  const actor = await requireSession();
  const ctx = webContext();
  return attempt(
    async () =>
      (
        await connectRepository(
          { db: ctx.db, githubUrl: ctx.env.GITHUB_URL },
          appName,
          { repositoryId, ...(branch ? { branch } : {}) },
          actor,
        )
      ).name,
  );
}

/** Relays a failed or ignored GitHub delivery again, from the bytes GitHub sent. */
export async function redeliver(deliveryId: string): Promise<ActionResult> {
  const actor = await requireSession();
  return attempt(async () => {
    await redeliverDelivery(webContext(), deliveryId, actor);
    return undefined;
  });
}

/** Review apps on or off, with config overrides as `KEY=value` lines (`KEY=` removes the var in review apps). */
export async function changeReviewApps(appName: string, enabled: boolean, overrides: string): Promise<ActionResult<string>> {
  const actor = await requireSession();
  const config: Record<string, string | null> = {};
  for (const line of overrides
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const at = line.indexOf('=');
    if (at <= 0) return { ok: false, error: `"${line}" is not KEY=value` };
    const value = line.slice(at + 1);
    config[line.slice(0, at).trim()] = value === '' ? null : value;
  }
  const reviewApps = { enabled, ...(Object.keys(config).length > 0 ? { config } : {}) };
  return attempt(async () => (await updateAppSettings(webContext(), appName, { reviewApps }, actor)).name);
}

/** The directory of the repository the app builds from ('' for the root). */
export async function changeRootDir(appName: string, rootDir: string): Promise<ActionResult<string>> {
  const actor = await requireSession();
  return attempt(async () => (await updateAppSettings(webContext(), appName, { rootDir: rootDir.trim() }, actor)).rootDir);
}

/** A new webhook secret of the app's own, shown once with the URL to deliver to. */
export async function makeAppWebhookSecret(
  appName: string,
  host: string,
): Promise<ActionResult<{ secret: string; url: string }>> {
  const actor = await requireSession();
  const ctx = webContext();
  return attempt(async () => {
    const { secret } = await rotateAppWebhookSecret(ctx, appName, actor);
    const { webhookUrl } = publicUrls(ctx.env, { headers: new Headers({ host }), url: `http://${host}/` });
    return { secret, url: `${webhookUrl}/apps/${appName}` };
  });
}
