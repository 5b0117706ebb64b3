import { z } from 'zod';

// The one registry of background work: name (`domain.verb`), payload schema and
// delivery options. Producers and the worker both validate against it. The
// periodic reconcile is not here: it runs on a timer in every worker, so a
// Redis restart (which empties every queue) cannot stop it.
const uuid = z.uuid();

export const jobCatalog = {
  'deployment.advance': {
    payload: z.object({ deploymentId: uuid }),
    // Retries are for faults outside the deployment (the database away); the
    // engine retries a step's own transient errors and records the rest.
    options: { attempts: 8, backoff: { type: 'exponential', delay: 1_000 } },
  },
  'formation.apply': {
    payload: z.object({ appId: uuid, processType: z.string().min(1) }),
    options: { attempts: 8, backoff: { type: 'exponential', delay: 1_000 } },
  },
  'app.destroy': {
    payload: z.object({ appId: uuid }),
    options: { attempts: 8, backoff: { type: 'exponential', delay: 2_000 } },
  },
  'cloudAccount.verify': {
    payload: z.object({ accountId: uuid }),
    options: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 } },
  },
  // A custom domain's own state machine: certificate, DNS records, serving.
  'domain.advance': {
    payload: z.object({ domainId: uuid }),
    options: { attempts: 8, backoff: { type: 'exponential', delay: 2_000 } },
  },
  // Stored webhook deliveries are waiting: relay them all. The relay claims
  // them in Postgres, so a repeated or overlapping job does nothing twice.
  'webhook.relay': {
    payload: z.object({}),
    options: { attempts: 8, backoff: { type: 'exponential', delay: 1_000 } },
  },
  // Read the GitHub App's installations and their repositories from GitHub.
  'github.sync': {
    payload: z.object({}),
    options: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 } },
  },
  // Tell GitHub where a deployment of a connected app stands. GitHub being
  // away only delays the report; the deploy never waits for it.
  'github.report': {
    payload: z.object({ deploymentId: uuid }),
    options: { attempts: 10, backoff: { type: 'exponential', delay: 5_000 } },
  },
} as const;

export type JobName = keyof typeof jobCatalog;
export type JobPayload<N extends JobName> = z.infer<(typeof jobCatalog)[N]['payload']>;
export const jobNames = Object.keys(jobCatalog) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobCatalog, name);
}

/** BullMQ job ids may not contain ':'; ours are `<name>.<key>`, e.g. `deployment.advance.<id>.build`. */
export function jobId(name: JobName, key: string): string {
  return `${name}.${key}`.replaceAll(':', '.');
}
