// The rows around an imported contact, written in bulk per batch: tag links
// (creating missing tags), custom values, consent ledger entries, notes and
// the one 'import' activity row per contact on its timeline.
import { insertRows } from '../../db/dialect.js';
import type { Db } from '../../db/knex.js';
import { toJson } from '../../db/rows.js';
import { fold } from '../derive.js';
import { tagsChanged } from '../tags-queries.js';
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

const tagKeys = new Map<string, string>(); // the same few tag names come back on most rows

export function tagKey(name: string): string {
  let key = tagKeys.get(name);
  if (key === undefined) {
    key = fold(name).slice(0, 60);
    if (tagKeys.size >= 10_000) tagKeys.clear();
    tagKeys.set(name, key);
  }
  return key;
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
  tagsChanged(trx); // the list's cached tag filter (tags-queries.ts)
  for (const part of chunks([...missing.keys()])) {
    for (const r of await trx('tags').select('id', 'name_key').whereIn('name_key', part)) cache.set(r.name_key, Number(r.id));
  }
}

/** `allNew`: every contact in `touched` was inserted by this batch, so no link can exist yet (a plain COPY on Postgres). */
export async function linkTags(trx: Db, cache: Map<string, number>, touched: Touched[], allNew = false): Promise<void> {
  const links: unknown[][] = [];
  for (const t of touched) {
    const ids = new Set(t.candidate.tags.map((n) => cache.get(tagKey(n))).filter((id): id is number => id !== undefined));
    for (const tagId of ids) links.push([t.id, tagId]);
  }
  // A contact that already existed may carry the tag: that link is kept as it is.
  await insertRows(trx, { table: 'contact_tags', columns: ['contact_id', 'tag_id'], rows: links }, { ignoreConflicts: !allNew });
}

function valueRows(contactId: number, cells: CustomCell[]) {
  return cells.flatMap((cell) => cell.rows.map((v) => ({ contact_id: contactId, field_id: cell.field.id, ...v })));
}

/** Replace an existing contact's values for these fields. */
export async function replaceValues(trx: Db, contactId: number, cells: CustomCell[]): Promise<void> {
  await trx('contact_values').where({ contact_id: contactId }).whereIn('field_id', cells.map((c) => c.field.id)).delete();
  await trx('contact_values').insert(valueRows(contactId, cells));
}

/** Values, consent ledger rows, notes and activity of the batch: bulk inserts (COPY on Postgres). */
export async function insertSideRows(trx: Db, ctx: WriteContext, touched: Touched[]): Promise<void> {
  const values: unknown[][] = [];
  const consent: unknown[][] = [];
  const notes: unknown[][] = [];
  const activity: unknown[][] = [];
  const actor = ctx.actor.slice(0, 200);
  const detail = `import #${ctx.jobId}`;
  const ref = String(ctx.jobId);
  const created = toJson({ job: ctx.jobId, action: 'created' });
  for (const t of touched) {
    if (t.created) for (const cell of t.custom) for (const v of cell.rows) values.push([t.id, cell.field.id, v.text_value, v.num_value]);
    if (t.optIn) consent.push([t.id, t.optIn, 'import', actor, detail, ctx.now]);
    if (t.candidate.notes) notes.push([t.id, ctx.userId, t.candidate.notes, ctx.now]);
    const summary = t.created ? created : toJson({ job: ctx.jobId, action: 'updated', fields: t.changed });
    activity.push([t.id, 'import', ref, ctx.userId, ctx.now, summary]);
  }
  await insertRows(trx, { table: 'contact_values', columns: ['contact_id', 'field_id', 'text_value', 'num_value'], rows: values });
  await insertRows(trx, { table: 'consent_events', columns: ['contact_id', 'status', 'source', 'actor', 'detail', 'at'], rows: consent });
  await insertRows(trx, { table: 'contact_notes', columns: ['contact_id', 'user_id', 'body', 'created_at'], rows: notes });
  await insertRows(trx, { table: 'contact_activity', columns: ['contact_id', 'kind', 'ref', 'user_id', 'at', 'summary'], rows: activity });
}
