// Contacts as the channel sees them: found (or created) from Meta's wa_id by
// the canonical wa_key, so LatAm number variants never make a second contact.
import type { Db } from '../db/knex.js';
import type { Deps } from '../deps.js';
import { contactDerivedColumns } from '../contacts/derive.js';
import { waIdToE164, waKeyOf } from '../contacts/phone.js';

export type ChannelContact = {
  id: number;
  phone: string;
  waId: string | null;
  optIn: string;
  displayName: string;
  firstName: string | null;
  language: string | null;
};

function toContact(r: Record<string, unknown>): ChannelContact {
  return {
    id: Number(r.id),
    phone: String(r.phone),
    waId: r.wa_id ? String(r.wa_id) : null,
    optIn: String(r.opt_in ?? 'unknown'),
    displayName: String(r.display_name),
    firstName: r.first_name ? String(r.first_name) : null,
    language: r.language ? String(r.language) : null,
  };
}

export async function contactById(db: Db, id: number): Promise<ChannelContact | undefined> {
  const row = await db('contacts').where({ id }).first();
  return row ? toContact(row) : undefined;
}

export async function contactByWaKey(db: Db, waKey: string): Promise<ChannelContact | undefined> {
  const row = await db('contacts').where({ wa_key: waKey }).first();
  return row ? toContact(row) : undefined;
}

function profileNames(name: string | undefined): { first: string | null; display: string | null } {
  const clean = (name ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
  if (!clean) return { first: null, display: null };
  return { first: clean.split(' ')[0]!.slice(0, 100), display: clean };
}

/**
 * The contact for an inbound wa_id; created with the WhatsApp profile name
 * when new. Records Meta's wa_id on the contact. Returns undefined for an
 * unusable wa_id (empty: username users without a phone).
 */
export async function contactForWaId(deps: Pick<Deps, 'config'>, db: Db, waId: string, profileName: string | undefined, now: number): Promise<{ contact: ChannelContact; created: boolean } | undefined> {
  const key = waKeyOf(waId);
  const e164 = waIdToE164(waId);
  if (!key || !e164) return undefined;
  const found = await contactByWaKey(db, key);
  if (found) {
    if (found.waId !== waId) await db('contacts').where({ id: found.id }).update({ wa_id: waId, updated_at: now });
    return { contact: { ...found, waId }, created: false };
  }
  const names = profileNames(profileName);
  const d = contactDerivedColumns({ phone: e164, first_name: names.first, display_name: names.display }, { fallbackTimezone: deps.config.timezone });
  if (!d.ok) return undefined;
  const columns = { ...d.columns, wa_key: key, wa_id: waId, opt_in: 'unknown', custom: '{}', created_at: now, updated_at: now };
  await db('contacts').insert(columns).onConflict('wa_key').ignore();
  const row = await contactByWaKey(db, key);
  return row ? { contact: row, created: row.waId === waId } : undefined;
}
