import type { AppRef, Capacity, HealthCheck, ProcessCommands, ProcessTemplate, ScalingPolicy } from '@paas/core';

// The shapes of the state files. They are read by other processes (the router,
// the web app reading logs), so fields are only ever added, never renamed.

export interface BuildRecord {
  buildId: string;
  app: AppRef;
  repoUrl: string;
  /** What to build: a branch, tag or commit sha. */
  ref: string;
  definition: string;
  requestedAt: string;
  /** The commit's source tarball, downloaded by the platform (never the credential it took). */
  archive?: string;
}

/** The detached builder process; start time guards against pid reuse. */
export interface RunnerRecord {
  pid: number;
  startTime: string | null;
  startedAt: string;
}

export type BuildResult =
  | {
      state: 'succeeded';
      commitSha: string;
      processes: ProcessCommands;
      stack: string;
      finishedAt: string;
      /** Set when the commit had been built before: the image is that build's. */
      imageOf?: string;
    }
  | { state: 'failed'; error: string; finishedAt: string };

export interface ImageIndexEntry {
  buildId: string;
  appId: string;
}

/** A release template, stored exactly as it was asked for and never changed. */
export interface TemplateRecord {
  app: AppRef;
  release: { id: string; version: number };
  /** The build id whose image the release runs. */
  imageRef: string;
  configRef: string | null;
  processes: Record<string, ProcessTemplate>;
}

/** A config snapshot: the vars, sealed with the provider's key. */
export interface ConfigRecord {
  appId: string;
  version: number;
  sealed: string;
}

/** The unprivileged user an app runs as; null ids when the platform cannot switch users. */
export interface AppUserRecord {
  name: string;
  uid: number;
  gid: number;
}

export interface InstanceRecord {
  id: string;
  seq: number;
  port: number;
  /** null between recording the instance and spawning it. */
  pid: number | null;
  /** /proc start time of pid, to tell our process from a later one that got the same pid. */
  startTime: string | null;
  startedAt: string;
  /** Set while the instance is being stopped (resize down, destroy). */
  stopping?: boolean;
  /** When it was marked stopping: the router stops sending it requests from then on, and its drain is timed from there. */
  stoppingSince?: string;
  /** When a converge first saw it dead; replacement waits out a crash backoff from here. */
  deadSince?: string;
  /** How many instances in a row died young in this slot; drives the restart backoff. */
  crashStreak: number;
}

export interface GroupRecord {
  ref: string;
  app: AppRef;
  release: { id: string; version: number };
  processType: string;
  templateRef: string;
  /** Copied from the template so the router needs nothing else to check health. */
  healthCheck: HealthCheck | null;
  capacity: Capacity;
  /** Disabled groups keep running and get no traffic. */
  enabled: boolean;
  /** When it was last disabled: its instances have had no new requests since shortly after. */
  disabledAt?: string;
  destroyed: boolean;
  /** Target tracking: the autoscaler (run by reconcile) owns capacity.desired within [min, max]. Absent in older records. */
  scaling?: ScalingPolicy | null;
  /** What the autoscaler remembers between evaluations, so any worker can take the next one. */
  autoscaler?: AutoscalerMemory;
  nextSeq: number;
  createdAt: string;
  updatedAt: string;
  instances: InstanceRecord[];
}

export interface AutoscalerMemory {
  /** The last change it made (ISO); none until the cooldown after it has passed. */
  lastChangeAt: string | null;
  /** Since when the metric has been low enough to remove an instance (ISO); null while it is not. */
  lowSince: string | null;
}

export interface RouteRecord {
  app: AppRef;
  hostnames: string[];
  /** Groups attached to the app's load balancer: health-checked, candidates for a switch. */
  registered: string[];
  /** The group serving the hostnames; null = offline. */
  serverGroupRef: string | null;
  updatedAt: string;
}
