// Recognise what an uploaded contacts file is before parsing it: XLSX or
// delimited text, which text encoding, which delimiter. Staff upload whatever
// Excel, Google Contacts or a phone app gave them, so guessing well here is
// what makes "it just imports" true; refusing early with a specific reason is
// what makes a wrong file understandable.
import { Transform } from 'node:stream';
import { importError } from './import-errors.js';

export type TextEncodingName = 'utf8' | 'utf8-bom' | 'utf16le' | 'windows-1252';
export type Delimiter = ',' | ';' | '\t' | '|';
export type FileKind = { kind: 'xlsx' } | { kind: 'text'; encoding: TextEncodingName };
export interface DelimiterGuess {
  delimiter: Delimiter;
  /** Lines to skip before the header (Excel's "sep=;" hint line). */
  skipLines: number;
}

export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

// Windows-1252 differs from ISO-8859-1 only in 0x80-0x9F (€, curly quotes,
// dashes, Š/Ž/Œ…). Excel on Windows saves "CSV" in 1252 for Spanish locales,
// and Node's TextDecoder('windows-1252') decodes that range as Latin-1, so
// the table is ours. Unassigned bytes map to the same code point.
const C1_1252 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

const MAGIC: Array<[number[], 'xlsx' | 'xls' | 'binary']> = [
  [[0x50, 0x4b, 0x03, 0x04], 'xlsx'], // zip: every OOXML file
  [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'xls'], // OLE2: Excel 97-2003
  [[0x25, 0x50, 0x44, 0x46], 'binary'], // %PDF: text header, binary body
  [[0x50, 0x4b, 0x05, 0x06], 'binary'], // empty zip
];

/** Classify the first bytes of a file; throws importError for files we refuse. */
export function sniffKind(head: Uint8Array): FileKind {
  for (const [bytes, kind] of MAGIC) {
    if (!bytes.every((b, i) => head[i] === b)) continue;
    if (kind === 'xlsx') return { kind: 'xlsx' };
    throw importError(kind === 'xls' ? 'contacts.import.xls_not_supported' : 'contacts.import.not_tabular');
  }
  if (head[0] === 0xfe && head[1] === 0xff) {
    throw importError('contacts.import.unsupported_encoding', { encoding: 'UTF-16BE' });
  }
  const encoding = detectEncoding(head);
  if (looksBinary(decodeSample(head, encoding))) throw importError('contacts.import.not_tabular');
  return { kind: 'text', encoding };
}

/**
 * BOMs decide when present. Otherwise a sample that is valid UTF-8 is UTF-8
 * (pure ASCII is valid in both, so nothing is lost), anything else is
 * Windows-1252: a Latin-1 "ñ" (0xF1) is never followed by the continuation
 * bytes UTF-8 would require.
 */
export function detectEncoding(head: Uint8Array): TextEncodingName {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8-bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  try {
    // stream: true so a character cut by the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf8';
  } catch {
    return 'windows-1252';
  }
}

/** Decode a sample (BOM removed); a trailing partial character is dropped. */
export function decodeSample(head: Uint8Array, encoding: TextEncodingName): string {
  if (encoding === 'windows-1252') return decode1252(head);
  const label = encoding === 'utf16le' ? 'utf-16le' : 'utf-8';
  return new TextDecoder(label).decode(head, { stream: true });
}

export function decode1252(bytes: Uint8Array): string {
  const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return /[\x80-\x9f]/.test(s) ? s.replace(/[\x80-\x9f]/g, (c) => C1_1252[c.charCodeAt(0) - 0x80]) : s;
}

/** Text files have (almost) no control characters; binaries are full of them. */
export function looksBinary(text: string): boolean {
  if (text.length === 0) return false;
  if (text.includes('\0')) return true;
  const controls = text.match(/[\x01-\x08\x0b\x0e-\x1f\x7f]/g)?.length ?? 0;
  return controls / text.length > 0.01;
}

/**
 * A Transform that turns the file's bytes into UTF-8 for csv-parse, or null
 * when the bytes already are UTF-8 (csv-parse strips the BOM itself).
 */
export function toUtf8(encoding: TextEncodingName): Transform | null {
  if (encoding === 'utf8' || encoding === 'utf8-bom') return null;
  const utf16 = encoding === 'utf16le' ? new TextDecoder('utf-16le') : null;
  const decode = (chunk: Buffer) => (utf16 ? utf16.decode(chunk, { stream: true }) : decode1252(chunk));
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, Buffer.from(decode(chunk), 'utf8'));
    },
    flush(done) {
      done(null, utf16 ? Buffer.from(utf16.decode(), 'utf8') : null);
    },
  });
}

/**
 * Pick the delimiter that splits the first records into the most consistent
 * number of fields (ties: more fields wins, then the order of DELIMITERS).
 * Quotes are respected, so "Peña, José" inside quotes does not vote for ",".
 * Consistency beats frequency because Spanish numbers such as "12,5" put
 * commas in a semicolon file, but not the same number in every row.
 */
export function detectDelimiter(sample: string, complete = false): DelimiterGuess {
  const hint = sample.match(/^sep=(.)\r?\n/i);
  if (hint && (DELIMITERS as readonly string[]).includes(hint[1])) {
    return { delimiter: hint[1] as Delimiter, skipLines: 1 };
  }
  const counts = countPerRecord(sample, complete);
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const score = consistency(counts.map((c) => c[d]));
    if (score > bestScore) [best, bestScore] = [d, score];
  }
  return { delimiter: best, skipLines: 0 };
}

type Counts = Record<Delimiter, number>;
const MAX_RECORDS = 50;

/** Delimiter counts outside quotes, per non-blank record of the sample. */
function countPerRecord(sample: string, complete: boolean): Counts[] {
  const records: Counts[] = [];
  let cur = zero();
  let blank = true;
  let quoted = false;
  for (let i = 0; i < sample.length && records.length < MAX_RECORDS; i++) {
    const ch = sample[i];
    if (quoted) {
      if (ch === '"' && sample[i + 1] === '"') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"' && atFieldStart(sample, i)) {
      [quoted, blank] = [true, false];
    } else if (ch === '\n') {
      if (!blank) records.push(cur);
      [cur, blank] = [zero(), true];
    } else if (ch in cur) {
      cur[ch as Delimiter]++;
    } else if (ch !== '\r' && ch !== ' ') {
      blank = false;
    }
  }
  // The last record of a truncated sample may be cut mid-way: it cannot vote.
  if (complete && !blank && records.length < MAX_RECORDS) records.push(cur);
  return records;
}

function atFieldStart(s: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && s[j] === ' ') j--;
  return j < 0 || s[j] === '\n' || s[j] === '\r' || (DELIMITERS as readonly string[]).includes(s[j]);
}

function zero(): Counts {
  return { ',': 0, ';': 0, '\t': 0, '|': 0 };
}

/** Share of records with the modal field count (0 if that count is 0), plus a tie-breaker. */
function consistency(perRecord: number[]): number {
  if (perRecord.length === 0) return 0;
  const freq = new Map<number, number>();
  for (const n of perRecord) freq.set(n, (freq.get(n) ?? 0) + 1);
  let mode = 0;
  let modeFreq = 0;
  for (const [n, f] of freq) if (f > modeFreq || (f === modeFreq && n > mode)) [mode, modeFreq] = [n, f];
  if (mode === 0) return 0;
  return Math.round((modeFreq / perRecord.length) * 100) * 1000 + Math.min(mode, 999);
}
