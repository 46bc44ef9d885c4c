// Writes one batch of import candidates inside the caller's transaction:
// new contacts in multi-row inserts, existing ones (same wa_key) per the
// dedupe rule, then their tags, custom values, consent ledger rows, notes
// and one 'import' activity row each. The plan's contact limit is checked
// against the maintained contacts counter, read (and locked on Postgres)
// inside the same transaction, so the limit holds even with other writers.
import { insertNewRows } from '../../db/dialect.js';
import type { Db } from '../../db/knex.js';
import { json, toJson } from '../../db/rows.js';
import { counterValue } from '../../plans/counters.js';
import type { DedupeRule } from './jobs.js';
import { patchFor, type ContactPatch, type ExistingContact } from './merge.js';
import type { RejectedRow } from './rejected.js';
import type { Candidate } from './rows.js';
import { chunks, ensureTagIds, insertSideRows, linkTags, replaceValues, type Touched } from './side-rows.js';

export type WriteContext = {
  jobId: number;
  dedupe: DedupeRule;
  now: number;
  userId: number | null;
  actor: string;
  contactLimit: number | null;
  tagIds: Map<string, number>;
};
export type BatchOutcome = { inserted: number; updated: number; skipped: number; rejected: RejectedRow[] };

const EXISTING_COLUMNS = ['id', 'wa_key', 'phone', 'first_name', 'last_name', 'display_name', 'email', 'language', 'timezone', 'opt_in', 'custom'];

async function existingByKey(trx: Db, keys: string[]): Promise<Map<string, ExistingContact>> {
  const out = new Map<string, ExistingContact>();
  for (const part of chunks(keys)) {
    const rows = await trx('contacts').select(EXISTING_COLUMNS).whereIn('wa_key', part);
    for (const r of rows) out.set(r.wa_key, { ...r, id: Number(r.id), custom: json<Record<string, unknown>>(r.custom, {}) });
  }
  return out;
}

const CONTACT_COLUMNS = [
  'phone', 'wa_key', 'country', 'first_name', 'last_name', 'display_name', 'sort_name', 'search_text', 'email',
  'language', 'timezone', 'opt_in', 'opt_in_source', 'opt_in_at', 'custom', 'created_at', 'updated_at',
] as const;

/** The contacts row of a new contact, in CONTACT_COLUMNS order. */
function contactRow(c: Candidate, ctx: WriteContext): unknown[] {
  const col = c.columns;
  const optIn = c.optIn === true ? 'opted_in' : c.optIn === false ? 'opted_out' : 'unknown';
  const custom: Record<string, unknown> = {};
  for (const cell of c.custom) custom[cell.field.key] = cell.json;
  return [
    col.phone, col.wa_key, col.country, col.first_name, col.last_name, col.display_name, col.sort_name, col.search_text, col.email,
    col.language, col.timezone, optIn, c.optIn === null ? null : 'import', c.optIn === null ? null : ctx.now, toJson(custom), ctx.now, ctx.now,
  ];
}

async function insertContacts(trx: Db, list: Candidate[], ctx: WriteContext): Promise<Map<string, number>> {
  const rows = await insertNewRows(trx, { table: 'contacts', columns: CONTACT_COLUMNS, rows: list.map((c) => contactRow(c, ctx)) }, ['id', 'wa_key']);
  const ids = new Map<string, number>();
  for (const r of rows) ids.set(String(r.wa_key), Number(r.id));
  return ids;
}

function createdTouch(id: number, c: Candidate): Touched {
  return { id, candidate: c, created: true, optIn: c.optIn === true ? 'opted_in' : c.optIn === false ? 'opted_out' : null, custom: c.custom, changed: [] };
}

async function insertFresh(trx: Db, fresh: Candidate[], ctx: WriteContext): Promise<Touched[]> {
  const ids = await insertContacts(trx, fresh, ctx);
  // A row another writer inserted meanwhile was skipped by ON CONFLICT: find it by key.
  const missing = fresh.filter((c) => !ids.has(c.columns.wa_key)).map((c) => c.columns.wa_key);
  for (const part of chunks(missing)) {
    for (const r of await trx('contacts').select('id', 'wa_key').whereIn('wa_key', part)) ids.set(r.wa_key, Number(r.id));
  }
  return fresh.filter((c) => ids.has(c.columns.wa_key)).map((c) => createdTouch(ids.get(c.columns.wa_key)!, c));
}

async function applyPatch(trx: Db, c: ExistingContact, p: ContactPatch, now: number): Promise<void> {
  const row: Record<string, unknown> = { ...p.columns, updated_at: now };
  if (p.custom.length) row.custom = toJson(p.customJson);
  if (p.optIn) Object.assign(row, { opt_in: p.optIn, opt_in_source: 'import', opt_in_at: now });
  await trx('contacts').where({ id: c.id }).update(row);
  if (p.custom.length) await replaceValues(trx, c.id, p.custom);
}

async function updateExisting(trx: Db, pairs: Array<[ExistingContact, Candidate]>, ctx: WriteContext): Promise<{ touched: Touched[]; unchanged: number }> {
  const touched: Touched[] = [];
  let unchanged = 0;
  for (const [c, cand] of pairs) {
    const p = patchFor(c, cand, ctx.dedupe);
    const hasSide = cand.tags.length > 0 || cand.notes !== null;
    if (!p.changed.length && !hasSide) {
      unchanged++;
      continue;
    }
    if (p.changed.length) await applyPatch(trx, c, p, ctx.now);
    touched.push({ id: c.id, candidate: cand, created: false, optIn: p.optIn, custom: [], changed: p.changed });
  }
  return { touched, unchanged };
}

async function roomLeft(trx: Db, limit: number | null): Promise<number> {
  if (limit === null) return Number.POSITIVE_INFINITY;
  const used = await counterValue(trx, 'contacts');
  return Math.max(0, limit - used);
}

/** Contacts of `batch` already stored (by wa_key), and those that are not. */
async function splitByExisting(trx: Db, batch: Candidate[]): Promise<{ fresh: Candidate[]; pairs: Array<[ExistingContact, Candidate]> }> {
  const existing = await existingByKey(trx, batch.map((c) => c.columns.wa_key));
  const fresh: Candidate[] = [];
  const pairs: Array<[ExistingContact, Candidate]> = [];
  for (const c of batch) {
    const e = existing.get(c.columns.wa_key);
    if (e) pairs.push([e, c]);
    else fresh.push(c);
  }
  return { fresh, pairs };
}

/**
 * When the plan has room for the whole batch, insert first and look up only
 * the rows the insert skipped (already stored): a file of new contacts costs
 * no lookups. Otherwise look up first, so the limit cuts new rows in order.
 */
async function insertOrSplit(trx: Db, ctx: WriteContext, batch: Candidate[]) {
  const room = await roomLeft(trx, ctx.contactLimit);
  if (room >= batch.length) {
    const ids = await insertContacts(trx, batch, ctx);
    const rest = batch.filter((c) => !ids.has(c.columns.wa_key));
    const { fresh: lost, pairs } = await splitByExisting(trx, rest);
    // `lost`: skipped by the insert yet not stored under its wa_key (another contact holds its phone): left alone.
    const inserted = batch.filter((c) => ids.has(c.columns.wa_key)).map((c) => createdTouch(ids.get(c.columns.wa_key)!, c));
    return { inserted, allNew: true, pairs, lost: lost.length, overLimit: [] as Candidate[] };
  }
  const { fresh, pairs } = await splitByExisting(trx, batch);
  const accepted = fresh.slice(0, room);
  const inserted = await insertFresh(trx, accepted, ctx);
  // allNew: false, since insertFresh may have picked up rows another writer had just inserted.
  return { inserted, allNew: false, pairs, lost: accepted.length - inserted.length, overLimit: fresh.slice(accepted.length) };
}

/** Write `batch` (already free of in-file duplicates) in `trx`. */
export async function writeBatch(trx: Db, ctx: WriteContext, batch: Candidate[]): Promise<BatchOutcome> {
  const { inserted, allNew, pairs, lost, overLimit } = await insertOrSplit(trx, ctx, batch);
  const rejected: RejectedRow[] = overLimit.map((c) => ({
    rowNumber: c.rowNumber, values: c.values, reason: { code: 'import.reject.plan_limit', params: { limit: ctx.contactLimit ?? 0 } },
  }));
  const updated = ctx.dedupe === 'skip' ? { touched: [], unchanged: pairs.length } : await updateExisting(trx, pairs, ctx);
  const touched = [...inserted, ...updated.touched];
  await ensureTagIds(trx, ctx.tagIds, touched.flatMap((t) => t.candidate.tags), ctx.now);
  await linkTags(trx, ctx.tagIds, touched, allNew && updated.touched.length === 0);
  await insertSideRows(trx, ctx, touched);
  return { inserted: inserted.length, updated: updated.touched.length, skipped: updated.unchanged + lost, rejected };
}
