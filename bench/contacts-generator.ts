// Deterministic generator of realistic Latin-American contacts for import
// benchmarks (B6/B7) and for seeding list/search benchmarks (B9-B11).
// Same seed → same rows → same bytes. Phones come in the spellings staff
// really paste (with/without +, Mexico's 1, Argentina's 9 and 15, Brazil's
// old 8-digit mobiles, national formats for Mexico), so files must be
// imported with default country MX.
//
//   node --import tsx bench/contacts-generator.ts --rows 25000 --out file.csv \
//        [--delimiter ";"] [--encoding utf8|utf8-bom|latin1] [--seed 42] [--bad 0.01]
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CITIES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, NOTES, OPT_IN_VALUES, PLANS, TAGS, asciiFold } from './contacts-data.js';

export type Rng = () => number;
export type CsvEncoding = 'utf8' | 'utf8-bom' | 'latin1';
export type BadKind = 'phone' | 'ragged' | 'email';

export interface GeneratedContact {
  firstName: string;
  lastName: string;
  /** As written in the file: one of many real-world spellings. */
  phone: string;
  /** Canonical E.164 (mobile form) when the phone is good, else null. */
  e164: string | null;
  /** The identity key normalizePhone() must produce, else null. */
  waKey: string | null;
  country: string;
  email: string;
  tags: string[];
  notes: string;
  optIn: string;
  custom: { city: string; birthday: string; plan: string };
  bad: BadKind | null;
}

export interface GeneratorOptions {
  seed?: number;
  /** Share of rows with a problem (bad phone, extra column, bad e-mail). */
  badRatio?: number;
}

export interface CsvOptions extends GeneratorOptions {
  rows: number;
  delimiter?: ',' | ';';
  encoding?: CsvEncoding;
  eol?: '\n' | '\r\n';
}

export const DEFAULT_COUNTRY = 'MX';
export const CSV_HEADERS = [
  'Nombre', 'Apellido', 'Teléfono', 'Correo electrónico', 'Etiquetas', 'Notas',
  'Ciudad', 'Fecha de nacimiento', 'Plan', 'Acepta WhatsApp',
];

/** mulberry32: tiny, fast, good enough for test data; 32-bit state. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const folded = new Map<string, string>();
const fold = (s: string): string => folded.get(s) ?? folded.set(s, asciiFold(s)).get(s)!;
const pick = <T>(r: Rng, list: ArrayLike<T>): T => list[Math.floor(r() * list.length)];
/** n random digits (n ≤ 9 keeps every value reachable with 32-bit randomness). */
function digits(r: Rng, n: number): string {
  return String(Math.floor(r() * 10 ** n)).padStart(n, '0');
}

interface PhonePlan {
  country: string;
  weight: number;
  /** Returns [written form, canonical E.164 digits without +, identity key]. */
  make: (r: Rng) => [string, string, string];
}

// Number ranges are ones libphonenumber's max metadata accepts as valid.
const PLANS_BY_COUNTRY: PhonePlan[] = [
  { country: 'MX', weight: 35, make: (r) => {
    const n = pick(r, ['55', '33', '81']) + pick(r, '23456789') + digits(r, 7);
    const [a, b, c] = [n.slice(0, 2), n.slice(2, 6), n.slice(6)];
    const forms = [`+52 1 ${a} ${b} ${c}`, `+52 ${a} ${b} ${c}`, `521${n}`, `(${a}) ${b}-${c}`, `${a}.${b}.${c}`, `0052 ${n}`, n];
    return [pick(r, forms), `52${n}`, `52${n}`];
  } },
  { country: 'AR', weight: 15, make: (r) => {
    const [area, sub] = r() < 0.7 ? ['11', pick(r, '23456') + digits(r, 7)] : [pick(r, ['351', '341']), pick(r, '2345') + digits(r, 6)];
    const n = area + sub;
    const s = `${sub.slice(0, -4)}-${sub.slice(-4)}`;
    const forms = [`+54 9 ${area} ${s}`, `+54 ${area} ${s}`, `+54 ${area} 15 ${s}`, `0054 9 ${n}`, `549${n}`];
    return [pick(r, forms), `549${n}`, `549${n}`];
  } },
  { country: 'BR', weight: 15, make: (r) => {
    const ddd = pick(r, ['11', '21', '31', '41', '51', '61', '71', '81']);
    const old = pick(r, '6789') + digits(r, 7);
    const forms = [`+55 (${ddd}) 9${old.slice(0, 4)}-${old.slice(4)}`, `+55 ${ddd} ${old.slice(0, 4)}-${old.slice(4)}`, `55${ddd}9${old}`, `+55 ${ddd} 9 ${old}`];
    return [pick(r, forms), `55${ddd}9${old}`, `55${ddd}9${old}`];
  } },
  { country: 'CO', weight: 10, make: (r) => {
    const n = pick(r, ['300', '301', '304', '310', '311', '312', '313', '315', '316', '318', '320', '321']) + digits(r, 7);
    return [pick(r, [`+57 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, `57${n}`, `+57${n}`]), `57${n}`, `57${n}`];
  } },
  { country: 'CL', weight: 7, make: (r) => {
    const n = '9' + pick(r, '458') + digits(r, 7);
    return [pick(r, [`+56 9 ${n.slice(1, 5)} ${n.slice(5)}`, `+56${n}`, `0056 ${n}`]), `56${n}`, `56${n}`];
  } },
  { country: 'PE', weight: 7, make: (r) => {
    const n = '9' + digits(r, 8);
    return [pick(r, [`+51 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, `51${n}`]), `51${n}`, `51${n}`];
  } },
  { country: 'ES', weight: 6, make: (r) => {
    const n = '6' + digits(r, 8);
    return [pick(r, [`+34 ${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7)}`, `0034${n}`, `+34-${n}`]), `34${n}`, `34${n}`];
  } },
  { country: 'US', weight: 5, make: (r) => {
    const n = pick(r, ['212', '305', '415', '713', '786', '646', '312']) + pick(r, '23456789') + digits(r, 6);
    return [pick(r, [`+1 (${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`, `+1 ${n}`, `001${n}`]), `1${n}`, `1${n}`];
  } },
];
const TOTAL_WEIGHT = PLANS_BY_COUNTRY.reduce((s, p) => s + p.weight, 0);

function phonePlan(r: Rng): PhonePlan {
  let x = r() * TOTAL_WEIGHT;
  for (const p of PLANS_BY_COUNTRY) if ((x -= p.weight) < 0) return p;
  return PLANS_BY_COUNTRY[0];
}

// Phones that must be refused: too short, words, lost Excel digits, empty, too long.
const BAD_PHONES = ['55 123', 'sin teléfono', '5.21555E+12', '', '+52 55 1234 5678 9999', 'N/A'];

/** One contact per call, in a fixed order for a given seed. */
export function* generateContacts(count: number, opts: GeneratorOptions = {}): Generator<GeneratedContact> {
  const r = mulberry32(opts.seed ?? 42);
  const badRatio = opts.badRatio ?? 0.01;
  for (let i = 0; i < count; i++) yield makeContact(r, i, badRatio);
}

function makeContact(r: Rng, i: number, badRatio: number): GeneratedContact {
  const plan = phonePlan(r);
  const [written, e164digits, key] = plan.make(r);
  const firstName = pick(r, FIRST_NAMES);
  const lastName = pick(r, LAST_NAMES);
  const bad: BadKind | null = r() < badRatio ? pick(r, ['phone', 'ragged', 'email'] as const) : null;
  // Every 97th address has no numeric suffix, so a few e-mails repeat, as in real lists.
  const local = `${fold(firstName)}.${fold(lastName)}${i % 97 === 0 ? '' : i}`;
  const tagCount = Math.floor(r() * 4);
  const tags = new Set<string>();
  for (let t = 0; t < tagCount; t++) tags.add(pick(r, TAGS));
  const year = 1950 + Math.floor(r() * 55);
  const birthday = `${year}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
  return {
    firstName,
    lastName,
    phone: bad === 'phone' ? pick(r, BAD_PHONES) : written,
    e164: bad === 'phone' ? null : `+${e164digits}`,
    waKey: bad === 'phone' ? null : key,
    country: plan.country,
    email: bad === 'email' ? `${local}@@${pick(r, EMAIL_DOMAINS)}` : `${local}@${pick(r, EMAIL_DOMAINS)}`,
    tags: [...tags],
    notes: r() < 0.1 ? pick(r, NOTES) : '',
    optIn: pick(r, OPT_IN_VALUES),
    custom: { city: pick(r, CITIES[plan.country]), birthday, plan: pick(r, PLANS) },
    bad,
  };
}

/** RFC 4180 quoting: only when the field needs it. */
function field(value: string, delimiter: string): string {
  if (!value.includes('"') && !value.includes(delimiter) && !value.includes('\n') && !value.includes('\r')) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

export function csvLine(c: GeneratedContact, delimiter: string, eol: string): string {
  const cells = [
    c.firstName, c.lastName, c.phone, c.email, c.tags.join(', '), c.notes,
    c.custom.city, c.custom.birthday, c.custom.plan, c.optIn,
  ];
  if (c.bad === 'ragged') cells.push('columna de más');
  let line = field(cells[0], delimiter);
  for (let k = 1; k < cells.length; k++) line += delimiter + field(cells[k], delimiter);
  return line + eol;
}

/** Stream `rows` contacts to a CSV file in constant memory. */
export async function writeContactsCsv(file: string, opts: CsvOptions): Promise<{ rows: number; bytes: number }> {
  const delimiter = opts.delimiter ?? ',';
  const eol = opts.eol ?? '\r\n';
  const encoding = opts.encoding ?? 'utf8';
  const out = createWriteStream(file);
  const encode = (s: string) => Buffer.from(s, encoding === 'latin1' ? 'latin1' : 'utf8');
  let bytes = 0;
  const write = async (s: string) => {
    const buf = encode(s);
    bytes += buf.length;
    if (!out.write(buf)) await once(out, 'drain');
  };
  let chunk = (encoding === 'utf8-bom' ? '\uFEFF' : '') + CSV_HEADERS.map((h) => field(h, delimiter)).join(delimiter) + eol;
  for (const c of generateContacts(opts.rows, opts)) {
    chunk += csvLine(c, delimiter, eol);
    if (chunk.length < 1 << 16) continue;
    await write(chunk);
    chunk = '';
  }
  await write(chunk);
  out.end();
  await finished(out);
  return { rows: opts.rows, bytes };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: '25000' },
      out: { type: 'string' },
      delimiter: { type: 'string', default: ',' },
      encoding: { type: 'string', default: 'utf8' },
      seed: { type: 'string', default: '42' },
      bad: { type: 'string', default: '0.01' },
    },
  });
  if (!values.out) throw new Error('--out <file.csv> is required');
  if (values.delimiter !== ',' && values.delimiter !== ';') throw new Error('--delimiter must be "," or ";"');
  if (!['utf8', 'utf8-bom', 'latin1'].includes(values.encoding)) throw new Error('--encoding must be utf8, utf8-bom or latin1');
  const started = performance.now();
  const { rows, bytes } = await writeContactsCsv(values.out, {
    rows: Number(values.rows), seed: Number(values.seed), badRatio: Number(values.bad),
    delimiter: values.delimiter, encoding: values.encoding as CsvEncoding,
  });
  const ms = performance.now() - started;
  console.log(`wrote ${rows} rows, ${(bytes / 1048576).toFixed(1)} MiB to ${values.out} in ${(ms / 1000).toFixed(2)} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
