// Custom field definitions: admins create, relabel, reorder and delete them.
// The key is fixed once created (imports, the API, segments and templates
// refer to it); the type is fixed too, since stored values depend on it.
import type { Audit } from '../audit/context.js';
import type { Deps } from '../deps.js';
import { Invalid, NotFound } from '../errors.js';
import type { CustomFieldDef } from './custom-values.js';
import {
  contactsWithField, customFieldById, customFieldByKey, customFields, deleteCustomField, insertCustomField, maxFieldPosition, updateCustomField,
} from './fields-queries.js';
import type { FieldInput, FieldPatch } from './fields-schema.js';

type FieldsDeps = Pick<Deps, 'db' | 'clock' | 'plans'>;

const RESERVED = new Set(['phone', 'name', 'first_name', 'last_name', 'display_name', 'email', 'language', 'timezone', 'country',
  'tags', 'notes', 'opt_in', 'id', 'created_at', 'updated_at', 'wa_id', 'search']);

function checkOptions(type: string, options: string[]): void {
  const isSelect = type === 'select' || type === 'multiselect';
  if (isSelect && options.length === 0) throw new Invalid({ options: { code: 'contacts.fields.options_required' } });
  const seen = new Set(options.map((o) => o.toLowerCase()));
  if (seen.size !== options.length) throw new Invalid({ options: { code: 'contacts.fields.options_duplicate' } });
}

export async function getField(deps: Pick<Deps, 'db'>, id: number): Promise<CustomFieldDef> {
  const f = await customFieldById(deps.db, id);
  if (!f) throw new NotFound('contacts.fields.not_found');
  return f;
}

export async function createField(deps: FieldsDeps, input: FieldInput, audit: Audit): Promise<CustomFieldDef> {
  if (RESERVED.has(input.key)) throw new Invalid({ key: { code: 'contacts.fields.key_reserved' } });
  const options = input.type === 'select' || input.type === 'multiselect' ? input.options : [];
  checkOptions(input.type, options);
  const id = await deps.db.transaction(async (trx) => {
    if (await customFieldByKey(trx, input.key)) throw new Invalid({ key: { code: 'contacts.fields.key_taken' } });
    await deps.plans.assertWithinLimit('custom_fields', 1, trx);
    const def = { key: input.key, label: input.label, type: input.type, options, position: (await maxFieldPosition(trx)) + 1 };
    const newId = await insertCustomField(trx, def, deps.clock.now());
    await audit(trx, { action: 'custom_field.created', entityType: 'custom_field', entityId: newId, after: def });
    return newId;
  });
  return getField(deps, id);
}

/**
 * Relabel and edit options. Removing an option that contacts still hold is
 * refused: their values would silently stop matching any filter.
 */
export async function editField(deps: FieldsDeps, id: number, patch: FieldPatch, audit: Audit): Promise<CustomFieldDef> {
  const before = await getField(deps, id);
  const isSelect = before.type === 'select' || before.type === 'multiselect';
  const options = isSelect && patch.options ? patch.options : before.options;
  checkOptions(before.type, options);
  await deps.db.transaction(async (trx) => {
    const removed = before.options.filter((o) => !options.includes(o));
    if (removed.length) {
      const used = await trx('contact_values').where({ field_id: id }).whereIn('text_value', removed).first('id');
      if (used) throw new Invalid({ options: { code: 'contacts.fields.option_in_use' } });
    }
    await updateCustomField(trx, id, { label: patch.label ?? before.label, options });
    await audit(trx, { action: 'custom_field.updated', entityType: 'custom_field', entityId: id,
      before: { label: before.label, options: before.options }, after: { label: patch.label ?? before.label, options } });
  });
  return getField(deps, id);
}

/** Moves a field one place up or down in the display order. */
export async function moveField(deps: FieldsDeps, id: number, direction: 'up' | 'down', audit: Audit): Promise<void> {
  await deps.db.transaction(async (trx) => {
    const all = await customFields(trx);
    const i = all.findIndex((f) => f.id === id);
    if (i < 0) throw new NotFound('contacts.fields.not_found');
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= all.length) return;
    [all[i], all[j]] = [all[j]!, all[i]!];
    for (const [pos, f] of all.entries()) await updateCustomField(trx, f.id, { position: pos + 1 });
    await audit(trx, { action: 'custom_field.reordered', entityType: 'custom_field', entityId: id, after: { order: all.map((f) => f.key) } });
  });
}

/** Deletes the definition and every value (cascade). Segments using it then show a warning. */
export async function removeField(deps: FieldsDeps, id: number, audit: Audit): Promise<CustomFieldDef> {
  return deps.db.transaction(async (trx) => {
    const f = await customFieldById(trx, id);
    if (!f) throw new NotFound('contacts.fields.not_found');
    const contacts = await contactsWithField(trx, id);
    await deleteCustomField(trx, id);
    await audit(trx, { action: 'custom_field.deleted', entityType: 'custom_field', entityId: id, before: { key: f.key, label: f.label, type: f.type, contacts } });
    return f;
  });
}
