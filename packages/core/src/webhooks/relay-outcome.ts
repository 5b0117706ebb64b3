/** What became of one delivery, as the deliveries list shows it. */
export interface RelayOutcome {
  status: 'processed' | 'ignored' | 'failed';
  result: string;
}

/** A stored delivery handed to an event's handler, its payload parsed again. */
export interface RelayedDelivery {
  id: string;
  deliveryId: string;
  event: string;
  payload: Record<string, unknown>;
  /** Signed with this app's own webhook secret: it may act on that app only. */
  scopeAppId: string | null;
}

/** Collected while a batch is relayed: each delivery's outcome and the deployments to wake after commit. */
export interface RelayBatch {
  outcomes: Map<string, RelayOutcome>;
  /** Per delivery (row id), what it meant for each app of its repository (app id → result). */
  appNotes: Map<string, Map<string, string>>;
  wake: string[];
  /** Apps (review apps of closed pull requests) whose removal a worker starts after commit. */
  destroy: string[];
}

export const ignored = (result: string): RelayOutcome => ({ status: 'ignored', result });

/** Records what a delivery meant for one app of its repository. */
export function noteForApp(batch: RelayBatch, deliveryRowId: string, appId: string, result: string) {
  const notes = batch.appNotes.get(deliveryRowId) ?? new Map<string, string>();
  notes.set(appId, result);
  batch.appNotes.set(deliveryRowId, notes);
}
