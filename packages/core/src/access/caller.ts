import type { Actor } from '../audit/record-audit-event';
import { AppError, notFound } from '../errors';
import { can, PERMISSIONS, type Permission, type Role } from './permissions';

/**
 * Someone acting on one team: a signed-in user or an API token. Every query a
 * caller makes is scoped to `teamId`; every change is checked against `role`.
 */
export interface Caller {
  actor: Actor;
  userId: string;
  email: string;
  teamId: string;
  teamSlug: string;
  role: Role;
  /** How the caller proved who they are: API tokens cannot manage tokens or sessions. */
  via: 'session' | 'token';
}

/** Throws 403 unless the caller's role allows it. */
export function authorize(caller: Caller, permission: Permission): void {
  if (can(caller.role, permission)) return;
  throw new AppError(
    'forbidden',
    `your role in this team (${caller.role}) cannot do this; it needs ${PERMISSIONS[permission]} or above`,
    { details: { permission, role: caller.role, needs: PERMISSIONS[permission] } },
  );
}

/** Another team's app answers exactly like a missing one: its existence is not leaked. */
export function ensureSameTeam(caller: Caller, row: { teamId: string } | null, what: string, id: string): void {
  if (!row || row.teamId !== caller.teamId) throw notFound(what, id);
}
