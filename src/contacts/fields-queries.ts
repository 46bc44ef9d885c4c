// custom_fields: the definitions admins manage in Settings → Custom fields.
import type { Db } from '../db/knex.js';
import { refCache } from '../db/ref-cache.js';
import { countOf, json } from '../db/rows.js';
import type { CustomFieldDef } from './custom-values.js';
import type { CustomFieldType } from './segments/condition.js';

type Row = { id: number; key: string; label: string; type: string; options: string; position: number };

function toDef(r: Row): CustomFieldDef {
  return { id: Number(r.id), key: r.key, label: r.label, type: r.type as CustomFieldType, options: json<string[]>(r.options, []), position: Number(r.position) };
}

/** Every list page, filter and export reads the definitions: cached (db/ref-cache.ts), dropped by every write below. */
const fieldsCache = refCache(async (db) => {
  const rows = await db('custom_fields').select('id', 'key', 'label', 'type', 'options', 'position').orderBy([{ column: 'position' }, { column: 'id' }]);
  return (rows as Row[]).map(toDef);
});

/** All definitions in display order. Small table (the plan caps it), read whole; the caller gets its own copies. */
export async function customFields(db: Db): Promise<CustomFieldDef[]> {
  return (await fieldsCache.get(db)).map((d) => ({ ...d, options: [...d.options] }));
}

export async function customFieldById(db: Db, id: number): Promise<CustomFieldDef | undefined> {
  const r = await db('custom_fields').where({ id }).first();
  return r ? toDef(r as Row) : undefined;
}

export async function customFieldByKey(db: Db, key: string): Promise<CustomFieldDef | undefined> {
  const r = await db('custom_fields').where({ key }).first();
  return r ? toDef(r as Row) : undefined;
}

export async function countCustomFields(db: Db): Promise<number> {
  return countOf(await db('custom_fields').count({ count: '*' }).first());
}

export async function insertCustomField(db: Db, f: Omit<CustomFieldDef, 'id'>, now: number): Promise<number> {
  const [row] = await db('custom_fields').insert({ ...f, options: JSON.stringify(f.options), created_at: now }).returning('id');
  fieldsCache.changed(db);
  return Number((row as { id: number }).id ?? row);
}

export async function updateCustomField(db: Db, id: number, patch: { label?: string; options?: string[]; position?: number }): Promise<void> {
  const row: Record<string, unknown> = {};
  if (patch.label !== undefined) row.label = patch.label;
  if (patch.options !== undefined) row.options = JSON.stringify(patch.options);
  if (patch.position !== undefined) row.position = patch.position;
  if (!Object.keys(row).length) return;
  await db('custom_fields').where({ id }).update(row);
  fieldsCache.changed(db);
}

export async function deleteCustomField(db: Db, id: number): Promise<void> {
  await db('custom_fields').where({ id }).delete();
  fieldsCache.changed(db);
}

/** How many contacts hold a value (shown before deleting a field). */
export async function contactsWithField(db: Db, fieldId: number): Promise<number> {
  return countOf(await db('contact_values').where({ field_id: fieldId }).countDistinct({ count: 'contact_id' }).first());
}

export async function maxFieldPosition(db: Db): Promise<number> {
  const r = await db('custom_fields').max({ m: 'position' }).first();
  return Number(r?.m ?? 0);
}
