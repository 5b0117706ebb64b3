import type { HealthCheck } from '@paas/core';
import { listJsonFiles, readJsonFile } from '../state/atomic-file';
import type { Layout } from '../state/layout';
import type { GroupRecord, RouteRecord } from '../state/records';

export interface RoutedApp {
  app: string;
  appId: string;
  serverGroupRef: string | null;
}

export interface TargetGroup {
  ref: string;
  healthCheck: HealthCheck;
  /** Instances that may take traffic: spawned and not being stopped. */
  instances: Array<{ id: string; port: number }>;
}

export interface RouteTable {
  byHost: Map<string, RoutedApp>;
  /** Enabled groups with a health check that some app routes to or has registered. */
  groups: Map<string, TargetGroup>;
}

/** Reads the provider's routes and server groups into the router's lookup tables. */
export async function loadRouteTable(paths: Layout): Promise<RouteTable> {
  const [routes, groups] = await Promise.all([readAll<RouteRecord>(paths.routes), readAll<GroupRecord>(paths.groups)]);
  const byHost = new Map<string, RoutedApp>();
  const wanted = new Set<string>();
  for (const route of routes) {
    if (!Array.isArray(route.hostnames) || typeof route.app !== 'object') continue; // an older record
    for (const hostname of route.hostnames)
      byHost.set(hostname, { app: route.app.name, appId: route.app.id, serverGroupRef: route.serverGroupRef });
    for (const ref of route.registered ?? []) wanted.add(ref);
    if (route.serverGroupRef) wanted.add(route.serverGroupRef);
  }
  const targets = new Map<string, TargetGroup>();
  for (const group of groups) {
    if (group.destroyed || !group.enabled || !group.healthCheck || !wanted.has(group.ref)) continue;
    targets.set(group.ref, {
      ref: group.ref,
      healthCheck: group.healthCheck,
      instances: group.instances
        .filter((instance) => instance.pid !== null && !instance.stopping && instance.deadSince === undefined)
        .map((instance) => ({ id: instance.id, port: instance.port })),
    });
  }
  return { byHost, groups: targets };
}

async function readAll<T>(dir: string): Promise<T[]> {
  const files = await listJsonFiles(dir);
  const records = await Promise.all(files.map((file) => readJsonFile<T>(file).catch(() => null)));
  return records.filter((record): record is Awaited<T> & T => record !== null);
}

/** The Host header without port or trailing dot, lowercased. */
export function hostOf(header: string | undefined): string {
  if (header === undefined) return '';
  const host = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : (header.split(':')[0] ?? '');
  return host.trim().toLowerCase().replace(/\.$/, '');
}
