import type { Logger } from '@paas/core';
import type { AwsClients } from './clients';
import type { AwsSettings } from './settings';

/** What every AWS use case runs with: one account and region. */
export interface AwsContext {
  clients: AwsClients;
  settings: AwsSettings;
  region: string;
  log: Logger;
  /** Where builders fetch the instance agent from, inside the artifacts bucket. */
  /** A builder older than this is stopped by the sweep whatever its build says. */
  builderMaxAgeMs: number;
  /** Lookups that never change while the process runs (the VPC, the bucket, ARNs by name). */
  memo: Memo;
  /** Tags of load balancer resources by ARN: written once at creation, so safe to remember. */
  tagCache: Map<string, Record<string, string>>;
}

export interface Memo {
  once<T>(key: string, load: () => Promise<T>): Promise<T>;
  forget(prefix: string): void;
}

export function createMemo(): Memo {
  const values = new Map<string, Promise<unknown>>();
  return {
    once<T>(key: string, load: () => Promise<T>): Promise<T> {
      const known = values.get(key);
      if (known) return known as Promise<T>;
      const loading = load();
      values.set(key, loading);
      // A failed lookup is tried again next time.
      loading.catch(() => values.delete(key));
      return loading;
    },
    forget(prefix: string) {
      for (const key of values.keys()) if (key.startsWith(prefix)) values.delete(key);
    },
  };
}
