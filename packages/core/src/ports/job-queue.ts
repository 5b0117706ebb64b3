// Delivery only: Postgres already holds the work, the queue says "look now".
// Keys are deterministic so a repeated enqueue (a retry, the reconciler) of the
// same intent is dropped by the queue instead of running twice.
export interface JobQueue {
  advanceDeployment(deploymentId: string, opts: { key: string; delayMs?: number }): Promise<void>;
  applyFormation(appId: string, processType: string, opts: { key: string }): Promise<void>;
  destroyApp(appId: string, opts: { key: string; delayMs?: number }): Promise<void>;
  advanceDomain(domainId: string, opts: { key: string; delayMs?: number }): Promise<void>;
  verifyCloudAccount(accountId: string, opts: { key: string }): Promise<void>;
  /** Stored webhook deliveries are waiting to be turned into work (see relayPendingDeliveries). */
  relayDeliveries(opts: { key: string; delayMs?: number }): Promise<void>;
  /** Read the GitHub App's installations and repositories from GitHub. */
  syncGithub(opts: { key: string }): Promise<void>;
  /** Tell GitHub where a deployment of a connected app stands (see reportDeploymentToGithub). */
  reportToGithub(deploymentId: string, opts: { key: string }): Promise<void>;
}
