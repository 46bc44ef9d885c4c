// The permission matrix: `feature:verb` strings → the roles that hold them.
// Routes ask `can('contacts:write')`; API key scopes use the same strings.
export const ROLES = ['owner', 'admin', 'manager', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const ALL: Role[] = ['owner', 'admin', 'manager', 'agent', 'viewer'];
const STAFF: Role[] = ['owner', 'admin', 'manager', 'agent'];
const MANAGERS: Role[] = ['owner', 'admin', 'manager'];
const ADMINS: Role[] = ['owner', 'admin'];
const OWNER: Role[] = ['owner'];

export const PERMISSIONS = {
  'dashboard:read': ALL,
  'contacts:read': ALL,
  'contacts:write': STAFF,
  'contacts:delete': MANAGERS,
  'contacts:import': MANAGERS,
  'contacts:export': MANAGERS,
  'inbox:read': ALL,
  'inbox:reply': STAFF,
  'campaigns:read': ALL,
  'campaigns:write': MANAGERS,
  'templates:read': ALL,
  'templates:write': MANAGERS,
  'calendar:read': ALL,
  'calendar:write': STAFF,
  'reports:read': ['owner', 'admin', 'manager', 'viewer'],
  'settings:read': ADMINS,
  'settings:write': ADMINS,
  'users:read': ADMINS,
  'users:write': ADMINS,
  'audit:read': ADMINS,
  'apikeys:manage': ADMINS,
  'numbers:manage': ADMINS,
  'backups:manage': ADMINS,
  'branding:manage': OWNER,
  'security:manage': OWNER,
  'license:manage': OWNER,
} as const satisfies Record<string, Role[]>;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export function isPermission(v: unknown): v is Permission {
  return typeof v === 'string' && v in PERMISSIONS;
}

export function roleHas(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Roles a user of `actor` role may grant: nobody but the owner makes admins, nobody makes owners. */
export function assignableRoles(actor: Role): Role[] {
  if (actor === 'owner') return ['admin', 'manager', 'agent', 'viewer'];
  if (actor === 'admin') return ['manager', 'agent', 'viewer'];
  return [];
}
