// Who may do what: the one table every change is checked against, whether it
// comes from the dashboard, the REST API or the CLI. Each role may do all that
// the roles below it may.
export const ROLES = ['viewer', 'member', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  // viewer: reads the team's apps, releases, logs, domains and deliveries.
  'app.read': 'viewer',
  // member: ships and operates.
  'app.deploy': 'member',
  'app.scale': 'member',
  'app.rollback': 'member',
  'deployment.cancel': 'member',
  // Config values: viewers see the keys only.
  'config.read': 'member',
  // admin: everything that configures the team, its apps and its secrets.
  'app.create': 'admin',
  'app.delete': 'admin',
  'app.settings': 'admin',
  'config.write': 'admin',
  'domain.write': 'admin',
  'cloudAccount.write': 'admin',
  'member.manage': 'admin',
  'github.manage': 'admin',
  'audit.read': 'admin',
  // owner: the team itself.
  'team.delete': 'owner',
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function can(role: Role, permission: Permission): boolean {
  return roleRank(role) >= roleRank(PERMISSIONS[permission]);
}

/** The lower of two roles: a token never does more than its user may now. */
export function lowerRole(a: Role, b: Role): Role {
  return roleRank(a) <= roleRank(b) ? a : b;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
