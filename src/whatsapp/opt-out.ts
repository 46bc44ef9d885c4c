// Opt-out: a keyword from the customer (STOP, BAJA, …) or Meta's 131050 marks
// the contact opted out at once (contacts.opt_in + the consent ledger + the
// timeline). Sends to opted-out contacts are refused in send-checks.ts.
import type { Db } from '../db/knex.js';
import type { Deps } from '../deps.js';
import { fold } from '../contacts/derive.js';
import { putSetting, settingValue } from '../settings/service.js';

export const DEFAULT_OPTOUT_KEYWORDS = ['STOP', 'BAJA', 'ALTO', 'CANCELAR', 'PARAR', 'UNSUBSCRIBE'];
export const OPTOUT_KEYWORDS_KEY = 'whatsapp.optout_keywords';
export const OPTOUT_CONFIRMATION_KEY = 'whatsapp.optout_confirmation';

/** "  ¡Baja! " → "BAJA": case, accents, spaces and punctuation do not matter. */
export function normalizeKeyword(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N} ]/gu, '').replace(/\s+/g, ' ').trim().toUpperCase();
}

export async function optOutKeywords(db: Db): Promise<string[]> {
  const v = await settingValue<unknown>(db, OPTOUT_KEYWORDS_KEY);
  const list = Array.isArray(v) ? v.map((x) => normalizeKeyword(String(x))).filter(Boolean) : [];
  return list.length > 0 ? list : DEFAULT_OPTOUT_KEYWORDS;
}

export async function saveOptOutSettings(db: Db, keywords: string[], confirmation: string | null, now: number): Promise<void> {
  await putSetting(db, OPTOUT_KEYWORDS_KEY, [...new Set(keywords.map(normalizeKeyword).filter(Boolean))], now);
  await putSetting(db, OPTOUT_CONFIRMATION_KEY, confirmation?.trim() || null, now);
}

export async function optOutConfirmationText(db: Db): Promise<string | null> {
  const v = await settingValue<unknown>(db, OPTOUT_CONFIRMATION_KEY);
  return typeof v === 'string' && v.trim() ? v : null;
}

/** The whole message is the keyword (not merely contains it: "no puedo parar de reír" is not an opt-out). */
export function isOptOutMessage(text: string, keywords: string[]): boolean {
  const n = normalizeKeyword(text);
  return n !== '' && keywords.includes(n);
}

/**
 * Marks the contact opted out. Returns false when it already was (so callers
 * confirm once and emit once). Pass the transaction when inside one.
 */
export async function recordOptOut(deps: Pick<Deps, 'db' | 'clock'>, contactId: number, source: 'keyword' | 'meta' | 'agent' | 'api', detail: string | null, db: Db = deps.db): Promise<boolean> {
  const now = deps.clock.now();
  const changed = await db('contacts')
    .where({ id: contactId })
    .whereNot({ opt_in: 'opted_out' })
    .update({ opt_in: 'opted_out', opt_in_source: source, opt_in_at: now, updated_at: now });
  if (Number(changed) === 0) return false;
  await db('consent_events').insert({ contact_id: contactId, status: 'opted_out', source, actor: 'whatsapp', detail: detail?.slice(0, 500) ?? null, at: now });
  await db('contact_activity').insert({ contact_id: contactId, kind: 'consent', ref: null, summary: JSON.stringify({ status: 'opted_out', source, detail }), user_id: null, at: now });
  return true;
}
