import { type AppRef, notFound, type TrafficInfo, type TrafficInput, validationError } from '@paas/core';
import type { LocalContext } from '../context';
import { safeName } from '../state/layout';
import { readGroup } from '../supervisor/group-store';
import { changeRoute, readRoute } from './route-store';

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function normalizeHostname(hostname: string): string {
  return hostname.trim().toLowerCase().replace(/\.$/, '');
}

async function assertLiveGroup(ctx: LocalContext, app: AppRef, ref: string): Promise<void> {
  const group = await readGroup(ctx, safeName(ref, 'server group'));
  if (group === null || group.destroyed) throw notFound('server group', ref);
  if (group.app.id !== app.id) throw validationError(`server group ${ref} belongs to another app`);
}

/** The router health-checks registered groups, so a later switch to one is hitless. */
export async function registerServerGroup(ctx: LocalContext, app: AppRef, ref: string): Promise<void> {
  await assertLiveGroup(ctx, app, ref);
  await changeRoute(ctx, app, (route) => {
    if (!route.registered.includes(ref)) route.registered.push(ref);
  });
}

export async function deregisterServerGroup(ctx: LocalContext, app: AppRef, ref: string): Promise<void> {
  if ((await readRoute(ctx, app.id)) === null) return;
  await changeRoute(ctx, app, (route) => {
    route.registered = route.registered.filter((r) => r !== ref);
    if (route.serverGroupRef === ref) route.serverGroupRef = null;
  });
}

/** The switch itself: one atomic file write the router reads; only registered groups qualify. */
export async function switchTraffic(ctx: LocalContext, input: TrafficInput): Promise<void> {
  const hostnames = [...new Set(input.hostnames.map(normalizeHostname))];
  for (const hostname of hostnames) {
    if (!HOSTNAME.test(hostname)) throw validationError(`"${hostname}" is not a valid hostname`);
  }
  const to = input.serverGroupRef;
  if (to !== null) {
    await assertLiveGroup(ctx, input.app, to);
    const route = await readRoute(ctx, input.app.id);
    if (!route?.registered.includes(to))
      throw validationError(`server group ${to} is not registered with the app's load balancer`);
  }
  await changeRoute(ctx, input.app, (route) => {
    route.hostnames = hostnames;
    route.serverGroupRef = to;
  });
  ctx.log.info('traffic switched', { app: input.app.name, hostnames, serverGroupRef: to });
}

export async function describeTraffic(ctx: LocalContext, app: AppRef): Promise<TrafficInfo | null> {
  const route = await readRoute(ctx, app.id);
  if (route === null) return null;
  return { hostnames: [...route.hostnames], serverGroupRef: route.serverGroupRef, registered: [...route.registered] };
}

/** New hostnames for an app's route; the serving group stays. An app never routed has nothing to change. */
export async function setHostnames(ctx: LocalContext, app: AppRef, hostnames: string[]): Promise<void> {
  const normalized = [...new Set(hostnames.map(normalizeHostname))];
  for (const hostname of normalized) {
    if (!HOSTNAME.test(hostname)) throw validationError(`"${hostname}" is not a valid hostname`);
  }
  if ((await readRoute(ctx, app.id)) === null) return;
  await changeRoute(ctx, app, (route) => {
    route.hostnames = normalized;
  });
}
