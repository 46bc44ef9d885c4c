// Defaults for a new contact derived from its phone's country. They are only
// defaults: staff can change both, and campaigns scheduled "in each contact's
// timezone" need *some* zone for every contact.
import { normalizePhone } from './phone.js';

export type UiLanguage = 'es' | 'en';

// One zone per country. Where a country spans several zones we pick the one
// where most of its people live (usually the capital's), because a campaign
// sent at 10:00 in that zone lands at a sensible hour for the majority:
//   MX Mexico City (central zone, ~75% of the population; Cancún, Tijuana and
//      Hermosillo differ), BR São Paulo (Brasília time covers ~90%),
//   AR Buenos Aires (one offset nationwide; the other zones are aliases),
//   US New York (Eastern is the most populous), CA Toronto, CL Santiago
//      (Magallanes and Easter Island differ), EC Guayaquil (Galápagos differ),
//   ES Madrid (Canarias differ), PT Lisbon, CO/PE/VE single-zone.
const ZONES: Record<string, string> = {
  AR: 'America/Argentina/Buenos_Aires', BO: 'America/La_Paz', BR: 'America/Sao_Paulo',
  BZ: 'America/Belize', CA: 'America/Toronto', CL: 'America/Santiago', CO: 'America/Bogota',
  CR: 'America/Costa_Rica', CU: 'America/Havana', DO: 'America/Santo_Domingo',
  EC: 'America/Guayaquil', SV: 'America/El_Salvador', GT: 'America/Guatemala',
  HN: 'America/Tegucigalpa', MX: 'America/Mexico_City', NI: 'America/Managua',
  PA: 'America/Panama', PY: 'America/Asuncion', PE: 'America/Lima', PR: 'America/Puerto_Rico',
  UY: 'America/Montevideo', VE: 'America/Caracas', US: 'America/New_York',
  ES: 'Europe/Madrid', PT: 'Europe/Lisbon', AD: 'Europe/Andorra', GQ: 'Africa/Malabo',
  GB: 'Europe/London', IE: 'Europe/Dublin', FR: 'Europe/Paris', DE: 'Europe/Berlin',
  IT: 'Europe/Rome', NL: 'Europe/Amsterdam', BE: 'Europe/Brussels', CH: 'Europe/Zurich',
  AU: 'Australia/Sydney', NZ: 'Pacific/Auckland', JP: 'Asia/Tokyo', CN: 'Asia/Shanghai',
  IN: 'Asia/Kolkata', IL: 'Asia/Jerusalem', PH: 'Asia/Manila', RU: 'Europe/Moscow',
};

// The UI speaks only Spanish and English. Portuguese speakers (BR, PT, and
// the Lusophone countries) get Spanish: the two languages are largely
// mutually intelligible in writing, far more than Portuguese and English.
const SPANISH = new Set([
  'AR', 'BO', 'CL', 'CO', 'CR', 'CU', 'DO', 'EC', 'SV', 'GT', 'HN', 'MX', 'NI', 'PA',
  'PY', 'PE', 'PR', 'UY', 'VE', 'ES', 'GQ', 'AD',
  'BR', 'PT', 'AO', 'MZ', 'CV', 'GW', 'ST', 'TL',
]);

/** IANA zone for a country (ISO 3166-1 alpha-2); `fallback` when unknown. */
export function timezoneForCountry(country: string | null | undefined, fallback = 'UTC'): string {
  return (country && ZONES[country.toUpperCase()]) || fallback;
}

/** IANA zone inferred from a phone number (E.164 or anything normalizePhone accepts). */
export function timezoneForPhone(phone: string, fallback = 'UTC'): string {
  const r = normalizePhone(phone);
  return r.ok ? timezoneForCountry(r.country, fallback) : fallback;
}

/** UI language for a contact from its country: 'es' or 'en'. */
export function languageForCountry(country: string | null | undefined, fallback: UiLanguage = 'en'): UiLanguage {
  if (!country) return fallback;
  return SPANISH.has(country.toUpperCase()) ? 'es' : 'en';
}

/** Countries that have a specific zone entry (for tests and settings pickers). */
export function countriesWithTimezone(): string[] {
  return Object.keys(ZONES);
}
