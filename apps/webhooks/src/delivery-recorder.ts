import { deliver, type JobQueue, type Logger, type NewDelivery, recordDeliveries, relayWindow } from '@paas/core';
import type { Db } from '@paas/db';

export type RecordResult = 'stored' | 'duplicate';

interface Pending {
  delivery: NewDelivery;
  resolve(result: RecordResult): void;
  reject(error: unknown): void;
}

export interface DeliveryRecorder {
  /** Resolves once the delivery is committed to Postgres (or was already there). */
  record(delivery: NewDelivery): Promise<RecordResult>;
  /** Resolves when every accepted delivery is stored and its relay asked for. */
  drain(): Promise<void>;
}

/**
 * Group commit: deliveries that arrive while an INSERT is in flight wait for
 * the next one and are stored together, so a burst costs one round trip and
 * one commit per batch instead of per delivery, and each request is answered
 * as soon as its batch is durable. Then a worker is asked to relay what is
 * stored (at most two asks per short window, see relayWindow); the queue only
 * delivers, so when Redis is down that ask is lost and the worker's sweep
 * makes it later.
 */
export function createDeliveryRecorder(
  deps: { db: Db; queue: JobQueue; log: Logger },
  opts: { maxBatch?: number; maxInFlight?: number } = {},
): DeliveryRecorder {
  const maxBatch = opts.maxBatch ?? 200;
  const maxInFlight = opts.maxInFlight ?? 2;
  let waiting: Pending[] = [];
  let inFlight = 0;
  let scheduled = false;
  const settled = new Set<Promise<unknown>>();
  let idle: (() => void)[] = [];
  let askedAtOnce = -1;
  let askedAtClose = -1;

  function askForRelay() {
    const w = relayWindow(Date.now());
    let opts: { key: string; delayMs?: number };
    if (askedAtOnce !== w.window) {
      askedAtOnce = w.window;
      opts = w.now;
    } else if (askedAtClose !== w.window) {
      askedAtClose = w.window;
      opts = w.atClose;
    } else return;
    const ask = deliver(deps.log, 'a webhook relay', () => deps.queue.relayDeliveries(opts));
    settled.add(ask);
    void ask.finally(() => {
      settled.delete(ask);
      wakeIdle();
    });
  }

  function kick() {
    if (scheduled || inFlight >= maxInFlight || waiting.length === 0) return;
    scheduled = true;
    // Let every request that is already readable join this batch.
    setImmediate(flush);
  }

  async function flush() {
    scheduled = false;
    if (inFlight >= maxInFlight || waiting.length === 0) return;
    const batch = waiting.slice(0, maxBatch);
    waiting = waiting.slice(batch.length);
    inFlight++;
    kick();
    try {
      // A redelivery may race its original into one batch: store it once.
      const first = new Map<string, Pending>();
      const repeats: Pending[] = [];
      for (const p of batch) {
        if (first.has(p.delivery.deliveryId)) repeats.push(p);
        else first.set(p.delivery.deliveryId, p);
      }
      const stored = await recordDeliveries(
        deps.db,
        [...first.values()].map((p) => p.delivery),
      );
      for (const p of first.values()) p.resolve(stored.has(p.delivery.deliveryId) ? 'stored' : 'duplicate');
      for (const p of repeats) p.resolve('duplicate');
      if (stored.size > 0) askForRelay();
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      inFlight--;
      kick();
      wakeIdle();
    }
  }

  function wakeIdle() {
    if (waiting.length > 0 || inFlight > 0 || settled.size > 0) return;
    const waiters = idle;
    idle = [];
    for (const w of waiters) w();
  }

  return {
    record: (delivery) =>
      new Promise<RecordResult>((resolve, reject) => {
        waiting.push({ delivery, resolve, reject });
        kick();
      }),
    drain: () =>
      new Promise<void>((resolve) => {
        idle.push(resolve);
        wakeIdle();
      }),
  };
}
