// Right to be forgotten: one transaction removes the contact and every row
// that points at it (any table with a contact_id column, so features added
// later are covered), blanks the contact's data kept in the audit log, raw
// webhook payloads and stored API responses, then deletes the media files.
// Aggregates kept elsewhere (monthly usage, campaign totals) are not touched:
// they count, they do not identify. Import files (rejected rows, kept
// uploads) are scrubbed by import-files.ts. The receipt in the audit log holds
// ids, the time and row counts only.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Audit } from '../../audit/context.js';
import { tableNames } from '../../db/dialect.js';
import type { Db } from '../../db/knex.js';
import type { Deps } from '../../deps.js';
import { Conflict, NotFound } from '../../errors.js';
import { activeJobCount } from '../import/jobs.js';
import { variantsOf } from '../phone.js';
import { scrubImportFiles } from './import-files.js';
import { contactEventIds } from '../../calendar/service.js';

export type ErasureReceipt = { contactId: number; erasedAt: number; removed: Record<string, number>; scrubbed: Record<string, number>; mediaFiles: number };

// Children before parents, so no foreign key ever blocks a delete.
const LAST = ['conversations', 'contacts'];

async function contactTables(trx: Db): Promise<string[]> {
  const out: string[] = [];
  for (const t of await tableNames(trx)) {
    if (t !== 'contacts' && (await trx.schema.hasColumn(t, 'contact_id'))) out.push(t);
  }
  return out.sort((a, b) => LAST.indexOf(a) - LAST.indexOf(b));
}

async function mediaPaths(trx: Db, contactId: number, tables: string[]): Promise<Array<{ id: number; file: string | null }>> {
  if (!tables.includes('messages') || !(await trx.schema.hasTable('media'))) return [];
  const rows = await trx('media').join('messages', 'messages.media_id', 'media.id').where('messages.contact_id', contactId).distinct('media.id', 'media.file_path');
  return rows.map((r) => ({ id: Number(r.id), file: (r.file_path as string | null) ?? null }));
}

/** Phone spellings as they appear in payloads and logs: "+52155…", "52155…". */
function phoneNeedles(phone: string): string[] {
  const variants = variantsOf(phone);
  return [...new Set([phone, ...variants].flatMap((p) => [p, p.replace(/^\+/, '')]))];
}

async function scrub(trx: Db, contactId: number, phone: string): Promise<Record<string, number>> {
  const needles = phoneNeedles(phone);
  const like = (qb: Knex.QueryBuilder, column: string) => qb.where((w) => {
    for (const n of needles) w.orWhere(column, 'like', `%${n}%`);
  });
  const out: Record<string, number> = {};
  out.audit_log = await trx('audit_log').where((w) => {
    w.where({ entity_type: 'contact', entity_id: String(contactId) }).orWhere((x) => like(x, 'changes'));
  }).whereNotNull('changes').update({ changes: null });
  if (await trx.schema.hasTable('webhook_events')) {
    out.webhook_events = await like(trx('webhook_events'), 'body').update({ body: '{"erased":true}' });
  }
  if (await trx.schema.hasTable('api_idempotency')) {
    out.api_idempotency = await like(trx('api_idempotency'), 'response_body').delete();
  }
  return out;
}

/** Inside the caller's transaction: delete and scrub; returns what happened (no personal data). */
export async function eraseContactRows(trx: Db, contactId: number, now: number): Promise<ErasureReceipt & { files: string[] }> {
  const contact = await trx('contacts').where({ id: contactId }).first('id', 'phone');
  if (!contact) throw new NotFound('contacts.not_found');
  const tables = await contactTables(trx);
  const media = await mediaPaths(trx, contactId, tables);
  // Events go with the contact (contact_id); their audit entries may hold titles and notes, so they are blanked too.
  const eventIds = tables.includes('events') ? await contactEventIds(trx, contactId) : [];
  const removed: Record<string, number> = {};
  for (const t of tables) removed[t] = Number(await trx(t).where({ contact_id: contactId }).delete());
  if (media.length) removed.media = Number(await trx('media').whereIn('id', media.map((m) => m.id)).delete());
  removed.contacts = Number(await trx('contacts').where({ id: contactId }).delete());
  const scrubbed = await scrub(trx, contactId, String(contact.phone));
  if (eventIds.length) {
    scrubbed.event_audit = await trx('audit_log').where({ entity_type: 'event' }).whereIn('entity_id', eventIds.map(String)).whereNotNull('changes').update({ changes: null });
  }
  const files = media.map((m) => m.file).filter((f): f is string => !!f);
  return { contactId, erasedAt: now, removed, scrubbed, mediaFiles: files.length, files };
}

/** Media files live under the data dir; anything resolving outside it is left alone. */
async function deleteFiles(dataDir: string, files: string[]): Promise<void> {
  const root = path.resolve(dataDir);
  for (const f of files) {
    const full = path.resolve(root, f);
    if (full.startsWith(root + path.sep)) await fs.rm(full, { force: true });
  }
}

/**
 * Erase one contact. Refused (Conflict) while an import is queued or running:
 * its files are being written and its rows could create the contact again.
 * Import files are scrubbed first, so their counts go into the receipt.
 */
export async function eraseContact(deps: Deps, contactId: number, audit: Audit): Promise<ErasureReceipt> {
  const now = deps.clock.now();
  const who = await deps.db('contacts').where({ id: contactId }).first('phone', 'wa_key', 'email', 'country');
  if (!who) throw new NotFound('contacts.not_found');
  if ((await activeJobCount(deps.db)) > 0) throw new Conflict('contacts.gdpr.erase_import_running');
  const importFiles = await scrubImportFiles(deps, {
    phone: String(who.phone), waKey: String(who.wa_key), email: (who.email as string | null) ?? null, country: (who.country as string | null) ?? null,
  });
  const { files, ...receipt } = await deps.db.transaction(async (trx) => {
    const r = await eraseContactRows(trx, contactId, now);
    r.scrubbed = { ...r.scrubbed, ...importFiles };
    await audit(trx, {
      action: 'contact.erased', entityType: 'contact', entityId: contactId,
      after: { erased_at: new Date(now).toISOString(), removed: r.removed, scrubbed: r.scrubbed, media_files: r.mediaFiles },
    });
    return r;
  });
  await deleteFiles(deps.config.dataDir, files);
  return receipt;
}
