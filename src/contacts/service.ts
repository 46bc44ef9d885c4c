// The single-contact writer: create, update and delete one contact with the
// phone normalised and deduplicated on wa_key, derived columns computed by
// derive.ts, custom values written in both places, tags created on the fly,
// consent in the ledger, a timeline row and an audit entry, all in one
// transaction. (The importer writes in batches with the same helpers.)
import type { Audit } from '../audit/context.js';
import type { Actor } from '../audit/service.js';
import type { Deps } from '../deps.js';
import { Conflict, Invalid, NotFound, type FieldErrors } from '../errors.js';
import type { Db } from '../db/knex.js';
import { recordConsent } from './consent.js';
import { contactDefaults } from './defaults.js';
import { contactDerivedColumns, type DerivedColumns } from './derive.js';
import { customFields } from './fields-queries.js';
import { insertActivity } from './history-queries.js';
import { contactById, contactByWaKey, deleteContactRow, insertContact, updateContactRow, type Contact } from './queries.js';
import type { ContactInput, ContactPatch } from './schema.js';
import { setContactTags, tagsOfContacts } from './tags-queries.js';
import { resolveTags } from './tags-service.js';
import type { CustomFieldDef } from './custom-values.js';
import { liveCustom, mergeCustom, parseCustom, writeValueRows, type ParsedCustom } from './values-writer.js';

export type ContactsDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'brand' | 'plans' | 'events'>;
export type Who = Pick<Actor, 'userId' | 'label'>;
export type Channel = 'agent' | 'api';

/** A second contact with the same number (any LatAm spelling): names the one that exists. */
export class DuplicateContact extends Conflict {
  constructor(readonly existing: { id: number; name: string }) {
    super('contacts.phone_taken', 'A contact with this phone already exists', { contact_id: existing.id }, { name: existing.name });
  }
}

export async function getContact(deps: Pick<Deps, 'db'>, id: number): Promise<Contact> {
  const c = await contactById(deps.db, id);
  if (!c) throw new NotFound('contacts.not_found');
  return c;
}

/** The fields an audit entry and a "change" timeline row compare. */
function summary(c: Pick<Contact, 'phone' | 'firstName' | 'lastName' | 'displayName' | 'email' | 'language' | 'timezone' | 'custom'> & { tags?: string[] }) {
  return {
    phone: c.phone, first_name: c.firstName, last_name: c.lastName, display_name: c.displayName, email: c.email,
    language: c.language, timezone: c.timezone, custom: c.custom, ...(c.tags ? { tags: c.tags } : {}),
  };
}

type Prepared = { columns: DerivedColumns; custom: ParsedCustom; defs: CustomFieldDef[] };

/** Derives columns and parses custom values, collecting every field error at once. */
async function prepare(deps: ContactsDeps, db: Db, input: ContactInput, selfId?: number): Promise<Prepared> {
  const errors: FieldErrors = {};
  const d = contactDerivedColumns(input, await contactDefaults(deps, db));
  if (!d.ok) errors.phone = { code: d.code };
  const defs = await customFields(db);
  const custom = parseCustom(defs, input.custom, errors);
  if (Object.keys(errors).length) throw new Invalid(errors);
  const columns = (d as { ok: true; columns: DerivedColumns }).columns;
  const other = await contactByWaKey(db, columns.wa_key);
  if (other && other.id !== selfId) throw new DuplicateContact({ id: other.id, name: other.displayName });
  return { columns, custom, defs };
}

export async function createContact(
  deps: ContactsDeps, who: Who, input: ContactInput & { opt_in?: 'opted_in' | 'opted_out' }, audit: Audit, channel: Channel = 'agent',
): Promise<Contact> {
  const now = deps.clock.now();
  const id = await deps.db.transaction(async (trx) => {
    const p = await prepare(deps, trx, input);
    await deps.plans.assertWithinLimit('contacts', 1, trx);
    const custom = mergeCustom({}, p.custom);
    const newId = await insertContact(trx, {
      ...p.columns, opt_in: 'unknown', opt_in_source: null, opt_in_at: null, custom: JSON.stringify(custom), created_at: now, updated_at: now,
    });
    await writeValueRows(trx, newId, p.custom);
    const tags = await resolveTags(trx, input.tags ?? [], now);
    await setContactTags(trx, newId, tags.map((t) => t.id));
    await insertActivity(trx, { contactId: newId, kind: 'created', summary: { source: channel }, userId: who.userId, at: now });
    if (input.opt_in) await recordConsent(trx, deps, who, newId, { status: input.opt_in, source: channel, detail: null }, now);
    await audit(trx, { action: 'contact.created', entityType: 'contact', entityId: newId, after: { ...p.columns, custom, tags: tags.map((t) => t.name) } });
    return newId;
  });
  return getContact(deps, id);
}

/** The input a patch stands for: current values, overridden by what the patch gives. */
function merged(c: Contact, patch: ContactPatch): ContactInput {
  return {
    phone: patch.phone ?? c.phone,
    first_name: patch.first_name !== undefined ? patch.first_name : c.firstName,
    last_name: patch.last_name !== undefined ? patch.last_name : c.lastName,
    display_name: patch.display_name !== undefined ? patch.display_name : (c.displayName === [c.firstName, c.lastName].filter(Boolean).join(' ') || c.displayName === c.phone ? null : c.displayName),
    email: patch.email !== undefined ? patch.email : c.email,
    language: patch.language !== undefined ? patch.language : (c.language as 'es' | 'en' | null),
    timezone: patch.timezone !== undefined ? patch.timezone : c.timezone,
    custom: patch.custom,
  };
}

export async function updateContact(
  deps: ContactsDeps, who: Who, id: number, patch: ContactPatch & { opt_in?: 'opted_in' | 'opted_out' }, audit: Audit, channel: Channel = 'agent',
): Promise<Contact> {
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const before = await contactById(trx, id);
    if (!before) throw new NotFound('contacts.not_found');
    const p = await prepare(deps, trx, merged(before, patch), id);
    // Values of deleted fields are dropped from the JSON copy on the next save.
    const custom = mergeCustom(liveCustom(p.defs, before.custom), p.custom);
    const oldTags = ((await tagsOfContacts(trx, [id])).get(id) ?? []).map((t) => t.name);
    let newTags = oldTags;
    if (patch.tags) {
      const tags = await resolveTags(trx, patch.tags, now);
      await setContactTags(trx, id, tags.map((t) => t.id));
      newTags = tags.map((t) => t.name);
    }
    await updateContactRow(trx, id, { ...p.columns, custom: JSON.stringify(custom), updated_at: now });
    await writeValueRows(trx, id, p.custom);
    const b = summary({ ...before, custom: liveCustom(p.defs, before.custom), tags: oldTags });
    const a = summary({ ...before, ...camel(p.columns), custom, tags: newTags });
    const changed = Object.keys(a).filter((k) => JSON.stringify(a[k as keyof typeof a]) !== JSON.stringify(b[k as keyof typeof b]));
    if (changed.length) {
      await insertActivity(trx, { contactId: id, kind: 'change', summary: { fields: changed }, userId: who.userId, at: now });
      await audit(trx, { action: 'contact.updated', entityType: 'contact', entityId: id, before: pick(b, changed), after: pick(a, changed) });
    }
    if (patch.opt_in && patch.opt_in !== before.optIn) await recordConsent(trx, deps, who, id, { status: patch.opt_in, source: channel, detail: null }, now);
  });
  return getContact(deps, id);
}

function camel(c: DerivedColumns) {
  return { phone: c.phone, firstName: c.first_name, lastName: c.last_name, displayName: c.display_name, email: c.email, language: c.language, timezone: c.timezone };
}

function pick<T extends Record<string, unknown>>(o: T, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, o[k]]));
}

/** Deletes the contact and (by cascade) its values, tags, notes, consent and timeline rows. */
export async function deleteContact(deps: Pick<Deps, 'db'>, id: number, audit: Audit): Promise<Contact> {
  return deps.db.transaction(async (trx) => {
    const c = await contactById(trx, id);
    if (!c) throw new NotFound('contacts.not_found');
    await deleteContactRow(trx, id);
    // The receipt names the record, not the person: no phone, e-mail or notes.
    await audit(trx, { action: 'contact.deleted', entityType: 'contact', entityId: id });
    return c;
  });
}
