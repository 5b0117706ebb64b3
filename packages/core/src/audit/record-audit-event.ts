import type { Tx } from '@paas/db';

export type ActorType = 'admin' | 'user' | 'token' | 'github' | 'system';

/** Who made a change, as the audit log keeps it. */
export interface Actor {
  type: ActorType;
  /** A user's or token's id, a delivery's id. */
  id?: string;
  /** As people read it: an email, "token ci-deploy (ana@example.com)". */
  label?: string;
  /** The client's address, when the change came over HTTP. */
  ip?: string | null;
}

export interface AuditInput {
  teamId?: string | null;
  actor: Actor;
  action: string;
  targetType: string;
  targetId?: string | null;
  /** The app it concerns, for filtering; kept by name so the event outlives the app. */
  appName?: string | null;
  data?: Record<string, unknown>;
}

/** Written in the same transaction as the change it describes, so the log never lies. */
export async function recordAuditEvent(tx: Tx, input: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      teamId: input.teamId ?? null,
      actorType: input.actor.type,
      actorId: input.actor.id ?? null,
      actorLabel: input.actor.label ?? null,
      ip: input.actor.ip ?? null,
      appName: input.appName ?? null,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      data: (input.data ?? {}) as object,
    },
  });
}
