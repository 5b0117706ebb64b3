import type { PERMISSIONS } from '@paas/core';

// The role each control of the dashboard needs, for the title of a disabled
// one. Client components cannot import @paas/core (it holds the server's
// code), so the few permissions they show are copied here; `satisfies` makes
// the compiler check each against the one table in packages/core.
const NEEDED = {
  'app.deploy': 'member',
  'app.scale': 'member',
  'app.rollback': 'member',
  'deployment.cancel': 'member',
  'config.write': 'admin',
  'domain.write': 'admin',
  'app.settings': 'admin',
  'app.delete': 'admin',
  'cloudAccount.write': 'admin',
} as const satisfies { [P in keyof typeof PERMISSIONS]?: (typeof PERMISSIONS)[P] };

export type GatedPermission = keyof typeof NEEDED;

/** "Needs the member role": the title of a control the caller's role may not use. */
export function needsRole(permission: GatedPermission): string {
  return `Needs the ${NEEDED[permission]} role`;
}

/** The title to put on a control: why it is disabled, or nothing when it may be used. */
export function roleTitle(allowed: boolean, permission: GatedPermission): string | undefined {
  return allowed ? undefined : needsRole(permission);
}
