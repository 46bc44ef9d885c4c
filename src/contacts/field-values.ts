// Cell text → contact field values for the columns mapped to tags, opt_in,
// language and timezone. Lenient on purpose: staff type "Sí", "x" or "✓" in
// a consent column, and Google Contacts packs groups into one cell.
import type { UiLanguage } from './timezone.js';

const GOOGLE_SYSTEM_GROUPS = new Set(['mycontacts', 'starred']);
const TRUE_WORDS = new Set(['si', 's', 'yes', 'y', 'true', '1', 'x', 'verdadero', 'acepta', 'acepto', 'ok', 'opt in', 'optin', '✓', '✔']);
const FALSE_WORDS = new Set(['no', 'n', 'false', '0', 'falso', 'rechaza', 'baja', 'opt out', 'optout', '✗', '✘']);
const LANGUAGES: Record<string, UiLanguage> = {
  es: 'es', espanol: 'es', spanish: 'es', castellano: 'es',
  // Portuguese speakers get Spanish (see timezone.ts languageForCountry).
  pt: 'es', portugues: 'es', portuguese: 'es',
  en: 'en', ingles: 'en', english: 'en',
};

function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase();
}

/**
 * Tags from one cell: "vip, cliente", "vip;cliente", "vip|cliente" or
 * Google's "* myContacts ::: Clientes ::: VIP". Google's own system groups
 * are dropped; other "* name" groups keep their name. Case-insensitive
 * duplicates are removed, first spelling wins.
 */
export function splitTags(cell: string): string[] {
  const out = new Map<string, string>();
  for (const raw of cell.split(/:::|[,;|\n]/)) {
    const tag = raw.trim().replace(/^\*\s*/, '').slice(0, 50).trim();
    if (!tag || (raw.trim().startsWith('*') && GOOGLE_SYSTEM_GROUPS.has(fold(tag)))) continue;
    if (!out.has(fold(tag))) out.set(fold(tag), tag);
  }
  return [...out.values()];
}

/** true / false, or null when the cell says nothing we understand (left to the import rule). */
export function parseOptIn(cell: string): boolean | null {
  const v = fold(cell).replace(/[\s_-]+/g, ' ');
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return null;
}

/** 'es' | 'en' from "es-MX", "Español", "English", "pt-BR"…; null if unknown. */
export function parseLanguage(cell: string): UiLanguage | null {
  const v = fold(cell);
  return LANGUAGES[v] ?? LANGUAGES[v.split(/[-_]/)[0]] ?? null;
}

/** A valid IANA zone name in its canonical spelling, or null. */
export function parseTimezone(cell: string): string | null {
  const v = cell.trim();
  if (!v) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: v }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
