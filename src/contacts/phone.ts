// Phone normalisation and WhatsApp identity for contacts.
//
// Two different things come out of a phone number:
//  - `e164`: the number as the ITU plan says it is dialled today (what we send
//    to Meta and show to people). Validated with libphonenumber's `max`
//    metadata, because the default `min` set only checks lengths and would let
//    through numbers that can never reach a handset.
//  - `waKey`: digits-only identity used for deduplication. Some countries have
//    two spellings of the same subscriber (see identityKey below) and Meta may
//    hand us either one as `wa_id` (cloud-api.md §8), so contacts are unique
//    on this key rather than on `e164`.
import {
  ParseError,
  isSupportedCountry,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js/max';

export type PhoneErrorCode =
  | 'contacts.phone.empty'
  | 'contacts.phone.missing_country_code'
  | 'contacts.phone.invalid_country_code'
  | 'contacts.phone.not_a_number'
  | 'contacts.phone.too_short'
  | 'contacts.phone.too_long'
  | 'contacts.phone.excel_scientific'
  | 'contacts.phone.invalid';

export type PhoneResult =
  | { ok: true; e164: string; country: CountryCode | null; waKey: string }
  | { ok: false; code: PhoneErrorCode };

type Attempt = PhoneNumber | PhoneErrorCode;

// Bidi marks and zero-width characters sneak in when numbers are copied from
// WhatsApp, phone contact cards or right-to-left UIs.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
const NON_ASCII = /[^\x00-\x7f]/;
const URI_SCHEME = /^(?:tel|callto|whatsapp|wa):\/{0,2}/i;
// Excel shows long numbers in "General" format as 5.21555E+12 and saves the
// CSV that way: only recoverable when every digit is still in the mantissa.
const SCIENTIFIC = /^(\d)(?:[.,](\d+))?e\+?(\d{1,2})$/i;
// 2024-01-15, 15/01/2024, 15.01.24: dates have phone characters too.
const DATE_SHAPE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;
// Spreadsheets that typed the column as a number write "5512345678.0".
const FLOAT_TAIL = /^(\d{6,})[.,]0+$/;

/** Normalise free-form input (an import cell, a form field) to E.164 + identity key. */
export function normalizePhone(input: unknown, defaultCountry?: string | null): PhoneResult {
  const text = cleanInput(input);
  if (!text) return fail('contacts.phone.empty');
  const unexcel = fromSpreadsheetNumber(text);
  if (unexcel === null) return fail('contacts.phone.excel_scientific');
  const country = defaultCountry && isSupportedCountry(defaultCountry.toUpperCase())
    ? (defaultCountry.toUpperCase() as CountryCode) : undefined;
  const readings = readingsOf(unexcel, country);
  if (readings.length === 0) {
    return fail(/\d/.test(unexcel) ? 'contacts.phone.missing_country_code' : 'contacts.phone.not_a_number');
  }
  let first: Attempt | undefined;
  for (const [candidate, c] of readings) {
    const attempt = parse(candidate, c);
    const valid = validOrRepaired(attempt);
    if (valid) return success(valid);
    first ??= attempt;
  }
  return fail(first === undefined ? 'contacts.phone.invalid' : errorOf(first));
}

/**
 * Cheap shape test (digits and phone punctuation, 7-15 digits) used to spot
 * phone columns and headerless files before anything is validated.
 */
export function looksLikePhone(value: string): boolean {
  if (!/^\s*(?:\+|00)?[\d\s().\-/]+$/.test(value)) return false;
  if (DATE_SHAPE.test(value.trim())) return false;
  const n = value.replace(/\D/g, '').length;
  return n >= 7 && n <= 15;
}

/** Meta's `wa_id` / `from` (digits only) → canonical E.164, or null if it is not digits. */
export function waIdToE164(waId: string): string | null {
  const digits = String(waId ?? '').replace(/\D/g, '');
  if (digits.length < 6 || digits.length > 15) return null;
  const r = normalizePhone(`+${digits}`);
  // WhatsApp vouches for the number even when our metadata lags behind a new range.
  return r.ok ? r.e164 : `+${digits}`;
}

/** Identity key of an E.164 number or a wa_id (same key for every variant). */
export function waKeyOf(phone: string): string | null {
  const digits = String(phone ?? '').replace(/\D/g, '');
  return digits.length >= 6 && digits.length <= 15 ? identityKey(digits) : null;
}

/**
 * Every E.164 spelling WhatsApp may use for the same subscriber, canonical
 * first. Used to match an inbound wa_id to a contact stored before we had a
 * wa_key, and to query `phone_e164 IN (…)`.
 */
export function variantsOf(e164: string): string[] {
  const key = waKeyOf(e164);
  if (!key) return [];
  let m: RegExpMatchArray | null;
  if ((m = key.match(/^52(\d{10})$/))) return [`+52${m[1]}`, `+521${m[1]}`];
  if ((m = key.match(/^549([123]\d{9})$/))) return [`+549${m[1]}`, `+54${m[1]}`];
  if ((m = key.match(/^55(\d\d)9([6-9]\d{7})$/))) return [`+55${m[1]}9${m[2]}`, `+55${m[1]}${m[2]}`];
  return [`+${key}`];
}

/**
 * Collapse national variants onto one digit string. Why each rule is safe
 * (it never merges two different subscribers):
 *  - MX: since 2019 Mexico dials every number as 10 digits; the old mobile
 *    marker `1` after +52 (and 044/045/01 prefixes) is gone but WhatsApp
 *    accounts still surface as 521XXXXXXXXXX. No MX number starts with 1, so
 *    dropping it cannot collide. Key: 52 + 10 digits.
 *  - AR: mobiles are dialled from abroad as +54 9 <area><number>; the `9`
 *    (and the national `15`) is a routing marker, not part of the subscriber
 *    number, and fixed and mobile lines never share a subscriber number.
 *    Geographic numbers are 10 digits starting with 1, 2 or 3. Key: 549 + 10
 *    digits (the form WhatsApp uses as wa_id).
 *  - BR: every mobile got a leading 9 in 2012-2016; numbers that existed
 *    before then started with 6-9 and old WhatsApp accounts keep the 8-digit
 *    wa_id. Landlines start with 2-5, so only 6-9 are touched. (A legacy 7xxx
 *    trunk-radio line and 97xxx mobile in the same area would merge: accepted,
 *    those services were migrated into the 9-digit plan.) Key: 55 DD 9 + 8 digits.
 */
function identityKey(digits: string): string {
  let m: RegExpMatchArray | null;
  if ((m = digits.match(/^52(?:1|01|04[45])?(\d{10})$/))) return `52${m[1]}`;
  if ((m = digits.match(/^549?([123]\d{9})$/))) return `549${m[1]}`;
  if ((m = digits.match(/^55(\d\d)9?([6-9]\d{7})$/))) return `55${m[1]}9${m[2]}`;
  return digits;
}

function cleanInput(input: unknown): string {
  if (typeof input === 'number') return Number.isSafeInteger(input) ? String(input) : '';
  if (typeof input !== 'string') return '';
  // ASCII input is already NFKC and has no invisible characters (the common case on imports).
  let s = (NON_ASCII.test(input) ? input.normalize('NFKC').replace(INVISIBLE, '') : input).trim();
  // Google Contacts joins several numbers in one cell with " ::: ".
  s = s.split(':::')[0].trim();
  s = s.replace(URI_SCHEME, '').replace(/^'/, '').trim();
  return s;
}

/** Undo spreadsheet number formatting; null when digits were lost. */
function fromSpreadsheetNumber(text: string): string | null {
  const tail = text.match(FLOAT_TAIL);
  if (tail) return tail[1];
  const sci = text.match(SCIENTIFIC);
  if (!sci) return text;
  const mantissa = sci[1] + (sci[2] ?? '');
  const digits = Number(sci[3]) + 1;
  if (mantissa.length !== digits) return null;
  return mantissa;
}

/** Candidate readings of the text, most literal first. */
function readingsOf(text: string, country: CountryCode | undefined): Array<[string, CountryCode | undefined]> {
  if (text.startsWith('+')) return [[preRepair(text), undefined]];
  const out: Array<[string, CountryCode | undefined]> = [];
  const digits = text.replace(/\D/g, '');
  if (country) out.push([text, country]);
  // 00 is the international prefix everywhere we sell except US/CA (011),
  // which libphonenumber already handles when the default country is US.
  if (/^\s*00/.test(text)) out.push([preRepair(`+${digits.slice(2)}`), undefined]);
  // Exports from WhatsApp tools write international numbers without "+".
  // Only tried when the national reading failed, and only for lengths no
  // national plan we serve uses.
  if (country && digits.length >= 11) out.push([preRepair(`+${digits}`), undefined]);
  return out;
}

/**
 * Cheap rewrite of the two most common legacy international spellings
 * (+52 1 …, +55 DD 8-digit mobile) before parsing, saving a failed parse per
 * row on large imports. repair() still covers them in national formats.
 * Brazil's 7xxx numbers are left alone: they are still valid as 8 digits.
 */
function preRepair(text: string): string {
  if (!/^\+[\d\s().\-/]+$/.test(text)) return text;
  const d = text.replace(/\D/g, '');
  let m: RegExpMatchArray | null;
  if ((m = d.match(/^52(?:1|01|04[45])(\d{10})$/))) return `+52${m[1]}`;
  if ((m = d.match(/^55(\d\d)([689]\d{7})$/))) return `+55${m[1]}9${m[2]}`;
  return text;
}

function parse(text: string, country: CountryCode | undefined): Attempt {
  try {
    return parsePhoneNumberWithError(text, { defaultCountry: country, extract: false });
  } catch (e) {
    if (e instanceof ParseError) return parseErrorCode(e.message, text.startsWith('+'));
    throw e;
  }
}

function parseErrorCode(message: string, international: boolean): PhoneErrorCode {
  switch (message) {
    case 'INVALID_COUNTRY':
      return international ? 'contacts.phone.invalid_country_code' : 'contacts.phone.missing_country_code';
    case 'TOO_SHORT':
      return 'contacts.phone.too_short';
    case 'TOO_LONG':
      return 'contacts.phone.too_long';
    case 'NOT_A_NUMBER':
      return 'contacts.phone.not_a_number';
    default:
      return 'contacts.phone.invalid';
  }
}

/** The number if valid, or today's valid spelling of a recognisable legacy one. */
function validOrRepaired(attempt: Attempt): PhoneNumber | undefined {
  if (typeof attempt === 'string') return undefined;
  if (attempt.isValid()) return attempt;
  const cc = attempt.countryCallingCode;
  const nn = attempt.nationalNumber;
  let fixed: Attempt | undefined;
  let m: RegExpMatchArray | null;
  if (cc === '52' && (m = nn.match(/^(?:1|01|04[45])(\d{10})$/))) {
    fixed = parse(`+52${m[1]}`, undefined);
  } else if (cc === '54' && nn.startsWith('9')) {
    // "+54 9 11 15 1234 5678": the 9 and the national 15 together. Re-read as
    // a national number so libphonenumber applies its own 15 → 9 rule.
    fixed = parse(`0${nn.slice(1)}`, 'AR');
  } else if (cc === '55' && (m = nn.match(/^(\d\d)([6-9]\d{7})$/))) {
    fixed = parse(`+55${m[1]}9${m[2]}`, undefined);
  }
  return fixed !== undefined && typeof fixed !== 'string' && fixed.isValid() ? fixed : undefined;
}

function errorOf(attempt: Attempt): PhoneErrorCode {
  if (typeof attempt === 'string') return attempt;
  const length = validatePhoneNumberLength(attempt.number);
  if (length === 'TOO_SHORT') return 'contacts.phone.too_short';
  if (length === 'TOO_LONG') return 'contacts.phone.too_long';
  return 'contacts.phone.invalid';
}

function success(p: PhoneNumber): PhoneResult {
  const e164 = p.number;
  return { ok: true, e164, country: p.country ?? null, waKey: identityKey(e164.slice(1)) };
}

function fail(code: PhoneErrorCode): PhoneResult {
  return { ok: false, code };
}
