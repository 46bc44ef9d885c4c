// The rows around an imported contact, written in bulk per batch: tag links
// (creating missing tags), custom values, consent ledger entries, notes and
// the one 'import' activity row per contact on its timeline.
import type { Db } from '../../db/knex.js';
import { toJson } from '../../db/rows.js';
import { fold } from '../derive.js';
import type { Candidate, CustomCell } from './rows.js';
import type { WriteContext } from './writer.js';

const CHUNK = 500; // rows per statement: under SQLite's and Postgres's parameter limits

export function chunks<T>(list: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** A contact this batch created or changed, with what to write around it. */
export type Touched = {
  id: number;
  candidate: Candidate;
  created: boolean;
  optIn: 'opted_in' | 'opted_out' | null;
  /** Custom values to insert (new contacts; updates replace theirs in applyPatch). */
  custom: CustomCell[];
  changed: string[];
};

export function tagKey(name: string): string {
  return fold(name).slice(0, 60);
}

/** Fill `cache` (name_key → id) with every tag in `names`, creating the missing ones. */
export async function ensureTagIds(trx: Db, cache: Map<string, number>, names: string[], now: number): Promise<void> {
  const missing = new Map<string, string>();
  for (const n of names) {
    const k = tagKey(n);
    if (k && !cache.has(k) && !missing.has(k)) missing.set(k, n.trim().slice(0, 60));
  }
  if (!missing.size) return;
  for (const part of chunks([...missing])) {
    await trx('tags').insert(part.map(([key, name]) => ({ name, name_key: key, created_at: now }))).onConflict('name_key').ignore();
  }
  for (const part of chunks([...missing.keys()])) {
    for (const r of await trx('tags').select('id', 'name_key').whereIn('name_key', part)) cache.set(r.name_key, Number(r.id));
  }
}

export async function linkTags(trx: Db, cache: Map<string, number>, touched: Touched[]): Promise<void> {
  const links: Array<{ contact_id: number; tag_id: number }> = [];
  for (const t of touched) {
    const ids = new Set(t.candidate.tags.map((n) => cache.get(tagKey(n))).filter((id): id is number => id !== undefined));
    for (const tagId of ids) links.push({ contact_id: t.id, tag_id: tagId });
  }
  for (const part of chunks(links)) await trx('contact_tags').insert(part).onConflict(['contact_id', 'tag_id']).ignore();
}

function valueRows(contactId: number, cells: CustomCell[]) {
  return cells.flatMap((cell) => cell.rows.map((v) => ({ contact_id: contactId, field_id: cell.field.id, ...v })));
}

/** Replace an existing contact's values for these fields. */
export async function replaceValues(trx: Db, contactId: number, cells: CustomCell[]): Promise<void> {
  await trx('contact_values').where({ contact_id: contactId }).whereIn('field_id', cells.map((c) => c.field.id)).delete();
  await trx('contact_values').insert(valueRows(contactId, cells));
}

export async function insertSideRows(trx: Db, ctx: WriteContext, touched: Touched[]): Promise<void> {
  const values = touched.flatMap((t) => (t.created ? valueRows(t.id, t.custom) : []));
  const consent = touched.filter((t) => t.optIn).map((t) => ({
    contact_id: t.id, status: t.optIn, source: 'import', actor: ctx.actor.slice(0, 200), detail: `import #${ctx.jobId}`, at: ctx.now,
  }));
  const notes = touched.filter((t) => t.candidate.notes).map((t) => ({ contact_id: t.id, user_id: ctx.userId, body: t.candidate.notes, created_at: ctx.now }));
  const activity = touched.map((t) => ({
    contact_id: t.id, kind: 'import', ref: String(ctx.jobId), user_id: ctx.userId, at: ctx.now,
    summary: toJson(t.created ? { job: ctx.jobId, action: 'created' } : { job: ctx.jobId, action: 'updated', fields: t.changed }),
  }));
  // 6 columns × 500 rows stays far below both engines' parameter limits.
  for (const part of chunks(values)) await trx('contact_values').insert(part);
  for (const part of chunks(consent)) await trx('consent_events').insert(part);
  for (const part of chunks(notes)) await trx('contact_notes').insert(part);
  for (const part of chunks(activity)) await trx('contact_activity').insert(part);
}
