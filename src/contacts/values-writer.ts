// Writes a contact's custom values in both places in the caller's
// transaction: the indexed rows of contact_values (what filters use) and the
// contacts.custom JSON copy (what pages and exports show).
import type { Db } from '../db/knex.js';
import type { FieldErrors } from '../errors.js';
import { parseCustomValue, type CustomFieldDef, type CustomValue, type ValueRow } from './custom-values.js';

export type ParsedCustom = { values: Record<string, CustomValue>; rows: Map<number, ValueRow[]> };

/** Validates every given key; errors are keyed `custom.<key>` (the form input names). */
export function parseCustom(defs: CustomFieldDef[], input: Record<string, unknown> | undefined, errors: FieldErrors): ParsedCustom {
  const out: ParsedCustom = { values: {}, rows: new Map() };
  const byKey = new Map(defs.map((d) => [d.key, d]));
  for (const [key, raw] of Object.entries(input ?? {})) {
    const def = byKey.get(key);
    if (!def) {
      errors[`custom.${key}`] = { code: 'contacts.custom.unknown_field', params: { key } };
      continue;
    }
    const v = parseCustomValue(def, raw);
    if (!v.ok) {
      errors[`custom.${key}`] = { code: v.code, params: { label: def.label } };
      continue;
    }
    out.values[key] = v.value;
    out.rows.set(def.id, v.rows);
  }
  return out;
}

/** The JSON copy after applying `parsed` on top of `current` (null clears a key). */
export function mergeCustom(current: Record<string, CustomValue>, parsed: ParsedCustom): Record<string, CustomValue> {
  const next = { ...current };
  for (const [k, v] of Object.entries(parsed.values)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  return next;
}

export async function writeValueRows(db: Db, contactId: number, parsed: ParsedCustom): Promise<void> {
  for (const [fieldId, rows] of parsed.rows) {
    await db('contact_values').where({ contact_id: contactId, field_id: fieldId }).delete();
    if (rows.length) await db('contact_values').insert(rows.map((r) => ({ contact_id: contactId, field_id: fieldId, ...r })));
  }
}

/** Drops JSON keys whose field no longer exists (a deleted custom field). */
export function liveCustom(defs: CustomFieldDef[], custom: Record<string, CustomValue>): Record<string, CustomValue> {
  const keys = new Set(defs.map((d) => d.key));
  return Object.fromEntries(Object.entries(custom).filter(([k]) => keys.has(k)));
}
