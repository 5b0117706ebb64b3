/**
 * One run at a time, and a call always gets a run that starts after it was
 * made (so it sees every change made before the call); calls that arrive
 * while a run waits to start share that run.
 */
export function serialized(run: () => Promise<void>): () => Promise<void> {
  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | null = null;
  return () => {
    if (queued) return queued;
    const next = tail.then(() => {
      queued = null;
      return run();
    });
    queued = next;
    tail = next.catch(() => {});
    return next;
  };
}
