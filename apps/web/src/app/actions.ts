'use server';

import {
  addDomain,
  type Caller,
  cancelDeployment,
  connectRepository,
  createApp,
  createCloudAccount,
  type Permission,
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
import { actionGuard, authorizePlatform } from '@/server/caller';
import { cloudSettings, webContext } from '@/server/context';
import { publicUrls } from '@/server/public-urls';
import { type ActionResult, attempt } from './action-result';

/** The same check as the REST API's, then the change; a refusal is shown like any other error. */
function guarded<T>(permission: Permission, appName: string | null, work: (caller: Caller) => Promise<T>) {
  return attempt(async () => work(await actionGuard(permission, appName ?? undefined)));
}

/** A change to what the whole install shares: the platform team's admins only. */
function platformGuarded<T>(permission: Permission, _app: null, work: (caller: Caller) => Promise<T>) {
  return attempt(async () => {
    const caller = await actionGuard(permission);
    authorizePlatform(caller, permission);
    return work(caller);
  });
}

export async function scaleProcessType(appName: string, type: string, quantity: number): Promise<ActionResult<number>> {
  return guarded(
    'app.scale',
    appName,
    async ({ actor }) => (await updateFormation(webContext(), appName, type, { quantity }, actor)).formation.quantity,
  );
}

/** A new size rolls out as a release; the answer is that deployment's id. */
export async function resizeProcessType(appName: string, type: string, size: string): Promise<ActionResult<string | null>> {
  return guarded(
    'app.scale',
    appName,
    async ({ actor }) => (await updateFormation(webContext(), appName, type, { size }, actor)).deployment?.id ?? null,
  );
}

/** Target tracking within min/max (null: back to a fixed quantity); the input is checked like the API's. */
export async function setAutoscaling(appName: string, type: string, autoscaling: unknown): Promise<ActionResult<null>> {
  return guarded('app.scale', appName, async ({ actor }) => {
    await updateFormation(webContext(), appName, type, { autoscaling }, actor);
    return null;
  });
}

export async function deployApp(appName: string, ref: string): Promise<ActionResult<string>> {
  const input = ref.trim() === '' ? {} : { ref: ref.trim() };
  return guarded(
    'app.deploy',
    appName,
    async ({ actor }) => (await requestDeploy(webContext(), appName, input, actor, 'dashboard')).id,
  );
}

export async function rollbackTo(appName: string, version: number): Promise<ActionResult<string>> {
  return guarded(
    'app.rollback',
    appName,
    async ({ actor }) => (await requestRollback(webContext(), appName, { version }, actor, 'dashboard')).id,
  );
}

export async function changeConfig(appName: string, patch: Record<string, string | null>): Promise<ActionResult<string | null>> {
  return guarded(
    'config.write',
    appName,
    async ({ actor }) => (await updateConfig(webContext(), appName, patch, actor)).deployment?.id ?? null,
  );
}

export async function cancelDeploymentAction(appName: string, deploymentId: string): Promise<ActionResult> {
  return guarded('deployment.cancel', appName, async ({ actor }) => {
    await cancelDeployment(webContext(), appName, deploymentId, actor);
    return undefined;
  });
}

export async function deleteAppAction(appName: string): Promise<ActionResult> {
  return guarded('app.delete', appName, async ({ actor }) => {
    await requestAppDeletion(webContext(), appName, actor);
    return undefined;
  });
}

export async function addAppDomain(appName: string, hostname: string): Promise<ActionResult<string>> {
  const ctx = webContext();
  return guarded(
    'domain.write',
    appName,
    async ({ actor }) => (await addDomain({ ...ctx, baseDomain: ctx.env.PAAS_DOMAIN }, appName, { hostname }, actor)).hostname,
  );
}

export async function removeAppDomain(appName: string, hostname: string): Promise<ActionResult<string>> {
  return guarded(
    'domain.write',
    appName,
    async ({ actor }) => (await removeDomain(webContext(), appName, hostname, actor)).hostname,
  );
}

export async function addCloudAccount(form: {
  name: string;
  region: string;
  roleArn: string;
  externalId: string;
}): Promise<ActionResult<string>> {
  const ctx = webContext();
  const input = {
    name: form.name.trim(),
    provider: 'aws',
    region: form.region.trim(),
    ...(form.roleArn.trim() ? { roleArn: form.roleArn.trim(), externalId: form.externalId } : {}),
  };
  return guarded(
    'cloudAccount.write',
    null,
    async ({ actor, teamId }) => (await createCloudAccount({ ...ctx, cloud: cloudSettings(ctx.env), teamId }, input, actor)).name,
  );
}

/** The web health check's path and interval; empty fields keep the defaults. */
export async function changeHealthCheck(
  appName: string,
  form: { path: string; intervalSeconds: string },
): Promise<ActionResult<string>> {
  const healthCheck = {
    ...(form.path.trim() ? { path: form.path.trim() } : {}),
    ...(form.intervalSeconds.trim() ? { intervalSeconds: Number(form.intervalSeconds) } : {}),
  };
  return guarded(
    'app.settings',
    appName,
    async ({ actor }) => (await updateAppSettings(webContext(), appName, { healthCheck }, actor)).name,
  );
}

export async function syncGithub(): Promise<ActionResult> {
  return platformGuarded('github.manage', null, async () => {
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
  const ctx = webContext();
  return guarded(
    'app.settings',
    appName,
    async ({ actor }) =>
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
  return platformGuarded('github.manage', null, async ({ actor }) => {
    await redeliverDelivery(webContext(), deliveryId, actor);
    return undefined;
  });
}

/** Review apps on or off, with config overrides as `KEY=value` lines (`KEY=` removes the var in review apps). */
export async function changeReviewApps(appName: string, enabled: boolean, overrides: string): Promise<ActionResult<string>> {
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
  return guarded(
    'app.settings',
    appName,
    async ({ actor }) => (await updateAppSettings(webContext(), appName, { reviewApps }, actor)).name,
  );
}

/** The directory of the repository the app builds from ('' for the root). */
export async function changeRootDir(appName: string, rootDir: string): Promise<ActionResult<string>> {
  return guarded(
    'app.settings',
    appName,
    async ({ actor }) => (await updateAppSettings(webContext(), appName, { rootDir: rootDir.trim() }, actor)).rootDir,
  );
}

/** The cloud account the app builds and runs in: only before its first build. */
export async function moveApp(appName: string, cloudAccount: string): Promise<ActionResult<string>> {
  return guarded(
    'app.settings',
    appName,
    async ({ actor }) => (await updateAppSettings(webContext(), appName, { cloudAccount }, actor)).cloudAccount,
  );
}

/** A new webhook secret of the app's own, shown once with the URL to deliver to. */
export async function makeAppWebhookSecret(
  appName: string,
  host: string,
): Promise<ActionResult<{ secret: string; url: string }>> {
  const ctx = webContext();
  return guarded('app.settings', appName, async ({ actor }) => {
    const { secret } = await rotateAppWebhookSecret(ctx, appName, actor);
    const { webhookUrl } = publicUrls(ctx.env, { headers: new Headers({ host }), url: `http://${host}/` });
    return { secret, url: `${webhookUrl}/apps/${appName}` };
  });
}

/** A new app: from a repository, or (no URL) one that takes git push to the platform. */
export async function createAppAction(form: { name: string; repoUrl: string; branch: string }): Promise<ActionResult<string>> {
  return guarded('app.create', null, async ({ actor, teamId }) => {
    const ctx = webContext();
    const input = {
      name: form.name.trim(),
      ...(form.repoUrl.trim() ? { repoUrl: form.repoUrl.trim() } : {}),
      ...(form.branch.trim() ? { branch: form.branch.trim() } : {}),
    };
    return (await createApp({ db: ctx.db, cloud: cloudSettings(ctx.env), teamId }, input, actor)).name;
  });
}
