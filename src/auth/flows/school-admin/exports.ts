// Exporting the audit or a user's security log takes personal data off the system: the export
// itself is audited (its row written before the file is sent).
import { type AdminContext, auditByAdmin } from '../../../directory/admin-audit.ts';
import type { FlowDeps } from '../deps.ts';

export function auditExport(
  deps: Pick<FlowDeps, 'db'>,
  admin: AdminContext,
  what: 'audit_exported' | 'security_log_exported',
  detail: Record<string, string | number>,
  target?: { id: string; fullName: string },
): Promise<void> {
  return auditByAdmin(deps.db, admin, what, detail, target);
}
