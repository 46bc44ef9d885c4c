// Consent as a ledger: every opt-in and opt-out is a consent_events row (what,
// how, who, when); contacts.opt_in only caches the latest one so sends can
// filter on an index. Opted-out contacts are excluded from business-initiated
// sends by whoever sends (campaigns filter on opt_in).
import type { Knex } from 'knex';
import type { Audit } from '../audit/context.js';
import type { Deps } from '../deps.js';
import type { Db } from '../db/knex.js';
import { NotFound } from '../errors.js';
import { insertActivity, insertConsent } from './history-queries.js';
import { contactById, updateContactRow } from './queries.js';
import type { ConsentInput } from './schema.js';
import type { Who } from './service.js';

/** Ledger row + cached status + timeline row, inside the caller's transaction. */
export async function recordConsent(
  db: Db, deps: Pick<Deps, 'events'>, who: Who, contactId: number, e: { status: 'opted_in' | 'opted_out'; source: string; detail: string | null }, now: number,
): Promise<void> {
  await insertConsent(db, { contactId, status: e.status, source: e.source, actor: who.label, detail: e.detail, at: now });
  await updateContactRow(db, contactId, { opt_in: e.status, opt_in_source: e.source, opt_in_at: now, updated_at: now });
  await insertActivity(db, { contactId, kind: 'consent', summary: { status: e.status, source: e.source }, userId: who.userId, at: now });
  if (e.status === 'opted_out') deps.events.emit('contact.opted_out', { contactId, source: e.source });
}

/** Staff or an API client records consent for one contact. */
export async function setConsent(deps: Pick<Deps, 'db' | 'clock' | 'events'>, who: Who, contactId: number, input: ConsentInput, audit: Audit): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const c = await contactById(trx, contactId);
    if (!c) throw new NotFound('contacts.not_found');
    await recordConsent(trx, deps, who, contactId, { status: input.status, source: input.source, detail: input.detail ?? null }, now);
    await audit(trx, {
      action: input.status === 'opted_in' ? 'contact.opted_in' : 'contact.opted_out', entityType: 'contact', entityId: contactId,
      before: { opt_in: c.optIn }, after: { opt_in: input.status, source: input.source },
    });
  });
}

// ---- Who business-initiated sends may reach (campaigns, templates, reminders).
// Replies inside an open conversation are the customer's own request and are
// not business-initiated; everything else goes through these two helpers.

/** False once the contact opted out (by keyword, agent, API, import or Meta). */
export function isSendable(contact: { optIn: string } | { opt_in: string }): boolean {
  return ('optIn' in contact ? contact.optIn : contact.opt_in) !== 'opted_out';
}

/** Narrows a query over contacts to those a business-initiated send may reach. */
export function excludeOptedOut(qb: Knex.QueryBuilder, table = 'contacts'): Knex.QueryBuilder {
  return qb.whereNot(`${table}.opt_in`, 'opted_out');
}
