// X-Hub-Signature-256 (cloud-api.md §5.2): HMAC-SHA256 of the exact raw body
// bytes with the app secret. Never verify a re-serialised JSON: Meta signs an
// escaped form (\u00e9, \ud83d\ude00, \/) that JSON.stringify does not produce.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

const PREFIX = 'sha256=';
const HEX64 = /^[0-9a-f]{64}$/i;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' };

function digest(rawBody: Uint8Array | string, appSecret: string): Buffer {
  if (!appSecret) throw new TypeError('app secret is empty');
  return createHmac('sha256', appSecret).update(rawBody).digest();
}

/** `sha256=<hex>` for a body: what Meta puts in X-Hub-Signature-256. */
export function sign(rawBody: Uint8Array | string, appSecret: string): string {
  return PREFIX + digest(rawBody, appSecret).toString('hex');
}

/** Verifies the header against the raw bytes, in constant time, with the reason on failure. */
export function checkSignature(
  rawBody: Uint8Array,
  header: string | string[] | undefined | null,
  appSecret: string,
): SignatureCheck {
  const value = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header;
  if (value === undefined || value === null || value === '') {
    return { ok: false, reason: Array.isArray(header) && header.length > 1 ? 'malformed' : 'missing' };
  }
  const trimmed = value.trim();
  if (trimmed.slice(0, PREFIX.length).toLowerCase() !== PREFIX) return { ok: false, reason: 'malformed' };
  const hex = trimmed.slice(PREFIX.length);
  // Fixed-length check first: timingSafeEqual throws on unequal lengths.
  if (!HEX64.test(hex)) return { ok: false, reason: 'malformed' };
  const expected = digest(rawBody, appSecret);
  const given = Buffer.from(hex, 'hex');
  return timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** True when `header` is a valid signature of `rawBody` with `appSecret`. */
export function verifySignature(
  rawBody: Uint8Array,
  header: string | string[] | undefined | null,
  appSecret: string,
): boolean {
  return checkSignature(rawBody, header, appSecret).ok;
}

const hex4 = (code: number) => '\\u' + code.toString(16).padStart(4, '0');

/**
 * Serialises like Meta's webhook sender: plain JSON, then every non-ASCII
 * UTF-16 unit as a lowercase \uXXXX escape (emoji become surrogate pairs) and
 * `/` as `\/`. The result is pure ASCII and parses to the same value.
 */
export function metaJsonStringify(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('value is not JSON-serialisable');
  // JSON.stringify output has `/` and non-ASCII only inside strings, so a global pass is safe.
  return json.replace(/[\u0080-\uffff]/g, (c) => hex4(c.charCodeAt(0))).replace(/\//g, '\\/');
}

/** The escaped body as bytes plus its signature header value. */
export function signedMetaBody(value: unknown, appSecret: string): { body: Buffer; signature: string } {
  const body = Buffer.from(metaJsonStringify(value), 'utf8');
  return { body, signature: sign(body, appSecret) };
}
