// What a group may do at a site. Everything beyond recording a concern and one's own account
// settings is *higher access*: it applies only in a full-access (two-factor) session.
export const PERMISSIONS = {
  record_concern: 'Record a concern',
  own_account: 'Manage own account settings',
  view_concerns: 'View concerns about students',
  manage_concerns: 'Manage and close concerns',
  reporting: 'Reporting',
  security_overview: 'View the security overview',
  admin: 'Admin area',
  admin_key_holder: "Admin key holder: remove users' two-factor devices",
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const BASIC_PERMISSIONS: readonly Permission[] = ['record_concern', 'own_account'];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

export function isHigherAccess(permission: Permission): boolean {
  return !BASIC_PERMISSIONS.includes(permission);
}

/** The groups every new site starts with. */
export const DEFAULT_GROUPS: ReadonlyArray<{ name: string; permissions: Permission[] }> = [
  { name: 'Teachers', permissions: ['record_concern', 'own_account', 'view_concerns'] },
  { name: 'Support Staff', permissions: ['record_concern', 'own_account'] },
  { name: 'SLT', permissions: ['record_concern', 'own_account', 'view_concerns', 'reporting'] },
  { name: 'DSL', permissions: ['record_concern', 'own_account', 'view_concerns', 'manage_concerns', 'reporting', 'security_overview'] },
  {
    name: 'Admin',
    permissions: ['record_concern', 'own_account', 'view_concerns', 'manage_concerns', 'reporting', 'security_overview', 'admin', 'admin_key_holder'],
  },
];
