import type { ProcessCommands, ReleaseTemplateInput } from '@paas/core';

// The shapes of the state files. They are read by other processes (the router,
// the web app through describe), so fields are only ever added, never renamed.

export interface BuildRecord {
  buildId: string;
  app: string;
  repoUrl: string;
  commitSha: string;
  requestedAt: string;
}

/** The detached builder process; start time guards against pid reuse. */
export interface RunnerRecord {
  pid: number;
  startTime: string | null;
  startedAt: string;
}

export type BuildResult =
  | { state: 'succeeded'; processes: ProcessCommands; stack: string; finishedAt: string }
  | { state: 'failed'; error: string; finishedAt: string };

/** A release template is stored exactly as it was asked for (and never changed). */
export type TemplateRecord = ReleaseTemplateInput;

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
  /** When a converge first saw it dead; replacement waits out a crash backoff from here. */
  deadSince?: string;
  /** How many instances in a row died young in this slot; drives the restart backoff. */
  crashStreak: number;
}

export interface GroupRecord {
  ref: string;
  name: string;
  app: string;
  release: number;
  processType: string;
  templateRef: string;
  desired: number;
  destroyed: boolean;
  nextSeq: number;
  createdAt: string;
  updatedAt: string;
  instances: InstanceRecord[];
}

export interface RouteRecord {
  app: string;
  hostnames: string[];
  serverGroupRef: string | null;
  updatedAt: string;
}
