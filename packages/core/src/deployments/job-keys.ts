// Every job key of the deployment engine in one place. A key names one intent;
// the queue drops a second enqueue of a key that is still waiting, so retries
// and the reconciler can deliver freely without running a step twice.
export const deploymentJobKey = {
  start: (id: string) => `${id}.start`,
  next: (id: string, step: string) => `${id}.${step}`,
  poll: (id: string, step: string, attempt: number) => `${id}.${step}.${attempt}`,
  cancel: (id: string, at: Date) => `${id}.cancel.${at.getTime()}`,
  wake: (id: string, at: Date) => `${id}.wake.${at.getTime()}`,
  redeliver: (id: string, step: string, attempts: number) => `${id}.reconcile.${step}.${attempts}`,
};
