// Columns of a contact row that are computed from what people type: the
// identity (E.164 + wa_key), the names lists show and sort by, the folded
// search text behind the trigram index, and country-based defaults. Pure, so
// the single-contact writer (service.ts) and the batched importer compute
// exactly the same values.
import { normalizePhone, type PhoneErrorCode } from './phone.js';
import { parseTimezone } from './field-values.js';
import { languageForCountry, timezoneForCountry, type UiLanguage } from './timezone.js';

export type DeriveInput = {
  phone: unknown;
  first_name?: string | null;
  last_name?: string | null;
  display_name?: string | null;
  email?: string | null;
  language?: string | null;
  timezone?: string | null;
};

export type DeriveOptions = {
  /** Country assumed for numbers written without + (settings or the import form). */
  defaultCountry?: string | null;
  /** Used when the phone's country says nothing (install locale). */
  fallbackLanguage?: UiLanguage;
  /** Used when the phone's country has no zone entry (install timezone). */
  fallbackTimezone?: string;
};

export type DerivedColumns = {
  phone: string;
  wa_key: string;
  country: string | null;
  first_name: string | null;
  last_name: string | null;
  display_name: string;
  sort_name: string;
  search_text: string;
  email: string | null;
  language: string;
  timezone: string;
};

export type DeriveResult = { ok: true; columns: DerivedColumns } | { ok: false; field: 'phone'; code: PhoneErrorCode };

const MARKS = /\p{M}/gu;
const NON_ASCII = /[^\x00-\x7f]/;

/** Lower-case, accent-free, single-spaced: "  José MUÑOZ " → "jose munoz". Search input goes through it too. */
export function fold(s: string | null | undefined): string {
  if (!s) return '';
  // ASCII text has nothing to decompose and no marks: skip the (costly) NFD pass.
  const bare = NON_ASCII.test(s) ? s.normalize('NFD').replace(MARKS, '') : s;
  return bare.toLowerCase().replace(/\s+/g, ' ').trim();
}

function clean(s: string | null | undefined, max: number): string | null {
  const v = (s ?? '').replace(/\s+/g, ' ').trim().slice(0, max);
  return v === '' ? null : v;
}

/** What lists show: the explicit display name, else "first last", else the phone. */
export function displayNameOf(first: string | null, last: string | null, display: string | null, phone: string): string {
  return (display ?? [first, last].filter(Boolean).join(' ')).slice(0, 200) || phone;
}

/**
 * Folded "display first last email digits". The display name is left out when
 * it only repeats first + last; the phone goes in as digits so a national
 * fragment ("5512345") finds "+525512345678" through the same index.
 */
export function searchTextOf(c: Pick<DerivedColumns, 'first_name' | 'last_name' | 'display_name' | 'email' | 'phone'>): string {
  const names = [c.first_name, c.last_name].filter(Boolean).join(' ');
  const parts = [c.display_name === names || c.display_name === c.phone ? '' : c.display_name, names, c.email ?? '', c.phone.replace(/\D/g, '')];
  return fold(parts.filter(Boolean).join(' '));
}

/** Every derived column, or the phone's error code (an i18n key). */
export function contactDerivedColumns(input: DeriveInput, opts: DeriveOptions = {}): DeriveResult {
  const p = normalizePhone(input.phone, opts.defaultCountry);
  if (!p.ok) return { ok: false, field: 'phone', code: p.code };
  const first = clean(input.first_name, 100);
  const last = clean(input.last_name, 100);
  const display = displayNameOf(first, last, clean(input.display_name, 200), p.e164);
  const email = clean(input.email, 254)?.toLowerCase() ?? null;
  const country = p.country ?? null;
  const language = input.language === 'es' || input.language === 'en'
    ? input.language : languageForCountry(country, opts.fallbackLanguage ?? 'es');
  const timezone = (input.timezone && parseTimezone(input.timezone)) || timezoneForCountry(country, opts.fallbackTimezone ?? 'UTC');
  const base = { phone: p.e164, first_name: first, last_name: last, display_name: display, email };
  return {
    ok: true,
    columns: { ...base, wa_key: p.waKey, country, sort_name: fold(display), search_text: searchTextOf(base), language, timezone },
  };
}
