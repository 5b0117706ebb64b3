import type { Tx } from '@paas/db';

export type ActorType = 'admin' | 'user' | 'token' | 'github' | 'system';

export interface Actor {
  type: ActorType;
  id?: string;
}

export interface AuditInput {
  teamId?: string | null;
  actor: Actor;
  action: string;
  targetType: string;
  targetId?: string | null;
  data?: Record<string, unknown>;
}

/** Written in the same transaction as the change it describes, so the log never lies. */
export async function recordAuditEvent(tx: Tx, input: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      teamId: input.teamId ?? null,
      actorType: input.actor.type,
      actorId: input.actor.id ?? null,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      data: (input.data ?? {}) as object,
    },
  });
}
