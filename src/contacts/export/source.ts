// The contacts an export writes, read in keyset batches by id (never OFFSET,
// never the whole set in memory), each batch with its tags in one query.
import type { Db } from '../../db/knex.js';
import { json } from '../../db/rows.js';
import type { CustomFieldDef } from '../custom-values.js';
import { applyCondition } from '../segments/compile.js';
import type { Condition } from '../segments/condition.js';
import type { ExportRow } from './columns.js';

export const EXPORT_BATCH = 2000;

const COLUMNS = [
  'id', 'phone', 'first_name', 'last_name', 'display_name', 'email', 'country', 'language', 'timezone', 'opt_in',
  'opt_in_source', 'opt_in_at', 'custom', 'created_at', 'updated_at', 'last_inbound_at', 'last_outbound_at',
].map((c) => `contacts.${c}`);

async function tagsOf(db: Db, ids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (!ids.length) return out;
  const rows = await db('contact_tags').join('tags', 'tags.id', 'contact_tags.tag_id')
    .whereIn('contact_tags.contact_id', ids).select('contact_tags.contact_id as cid', 'tags.name').orderBy('tags.name');
  for (const r of rows) {
    const id = Number(r.cid);
    const list = out.get(id);
    if (list) list.push(String(r.name));
    else out.set(id, [String(r.name)]);
  }
  return out;
}

export type ExportQuery = { condition: Condition; fields: CustomFieldDef[]; now: number; timeZone: string; batch?: number };

/** Matching contacts in id order, `batch` at a time. */
export async function* exportBatches(db: Db, q: ExportQuery): AsyncGenerator<ExportRow[]> {
  const size = q.batch ?? EXPORT_BATCH;
  let after = 0;
  for (;;) {
    const qb = db('contacts').select(COLUMNS).where('contacts.id', '>', after).orderBy('contacts.id').limit(size);
    const rows = await applyCondition(db, qb, q.condition, q.fields, { now: q.now, timeZone: q.timeZone });
    if (!rows.length) return;
    const ids = rows.map((r: { id: unknown }) => Number(r.id));
    const tags = await tagsOf(db, ids);
    yield rows.map((r: Record<string, unknown>, i: number) => ({
      ...r, id: ids[i]!, tags: tags.get(ids[i]!) ?? [], customValues: json<Record<string, unknown>>(r.custom, {}),
    }));
    if (rows.length < size) return;
    after = ids[ids.length - 1]!;
  }
}
