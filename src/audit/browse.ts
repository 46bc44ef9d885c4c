// Reading the audit log for the Settings → Audit page: filters, keyset pages
// (newest first, `before` = the last id seen) and the choices the filter
// form offers.
import type { Deps } from '../deps.js';
import { parseDay, startOfDay } from '../i18n/dates.js';
import { listUsers } from '../users/queries.js';
import { auditActions, auditEntityTypes, pageOfAudit, type AuditEntry } from './queries.js';
import type { AuditFilterInput } from './schema.js';

export const AUDIT_PAGE_SIZE = 50;

export type AuditPage = { entries: AuditEntry[]; nextBefore: number | null };

/** From/to are whole days on the install's clock: `to` includes all of that day. */
export async function browseAudit(deps: Pick<Deps, 'db'>, f: AuditFilterInput, timeZone: string): Promise<AuditPage> {
  const from = f.from ? startOfDay(parseDay(f.from)!, timeZone) : undefined;
  const to = f.to ? startOfDay(parseDay(f.to)!, timeZone, 1) : undefined;
  const rows = await pageOfAudit(deps.db, {
    userId: f.user, action: f.action, entityType: f.entity, from, to, before: f.before, limit: AUDIT_PAGE_SIZE + 1,
  });
  const more = rows.length > AUDIT_PAGE_SIZE;
  const entries = rows.slice(0, AUDIT_PAGE_SIZE);
  return { entries, nextBefore: more ? entries[entries.length - 1]!.id : null };
}

export async function auditFilterChoices(deps: Pick<Deps, 'db'>) {
  const [users, actions, entityTypes] = await Promise.all([listUsers(deps.db), auditActions(deps.db), auditEntityTypes(deps.db)]);
  return { users: users.map((u) => ({ id: u.id, name: u.name, email: u.email })), actions, entityTypes };
}
