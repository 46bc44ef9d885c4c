// B10 (scale independence) and B11 (search vs a full-scan LIKE) for the
// contacts list, measured on the product's own query (pageOfContacts with the
// search box's condition) against seeded databases.
//   SQLite: 25k vs 100k.  Postgres (BENCH_PG=1, default on when reachable): 25k vs 1M
//   (BENCH_PG_BIG to change). Each prints `<id> <name>: ratio=… (goal …) abs=… PASS|MISS`.
import type { Knex } from 'knex';
import { pageOfContacts, encodeListCursor } from '../src/contacts/list.js';
import type { Condition } from '../src/contacts/segments/condition.js';
import { fmt, NOW, p95, seededDb, type BenchDb } from './contacts-seed.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 150);
const opts = { limit: 50, now: NOW, timeZone: 'UTC' };

type Probe = { name: string; cond: Condition; sort: 'name' | 'created' };

/** Fragments people type: accent-free name parts, full names, e-mail pieces, phone prefixes, all taken from the data. */
async function probes(db: Knex): Promise<Probe[]> {
  const sample = await db('contacts').select('first_name', 'last_name', 'email', 'phone').orderBy('id').limit(4000);
  const pick = (k: number) => sample[(k * 397) % sample.length] as Record<string, string>;
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const out: Probe[] = [];
  for (let k = 0; k < 8; k++) {
    const r = pick(k);
    out.push({ name: 'last name', cond: { field: 'search', op: 'contains', value: fold(r.last_name!).slice(0, 5) }, sort: 'name' });
    out.push({ name: 'full name', cond: { field: 'search', op: 'contains', value: `${fold(r.first_name!)} ${fold(r.last_name!).slice(0, 3)}` }, sort: 'name' });
    out.push({ name: 'e-mail', cond: { field: 'search', op: 'contains', value: (r.email ?? '').split('@')[0]! }, sort: 'name' });
    out.push({ name: 'phone prefix', cond: { field: 'search', op: 'contains', value: r.phone!.slice(0, 9) }, sort: 'name' });
  }
  return out;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function measure(b: BenchDb, list: Probe[]): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < 20; i++) await pageOfContacts(b.db, list[i % list.length]!.cond, [], { ...opts, sort: list[i % list.length]!.sort, dir: 'asc' });
  for (let i = 0; i < RUNS; i++) {
    const p = list[i % list.length]!;
    out.push(await time(() => pageOfContacts(b.db, p.cond, [], { ...opts, sort: p.sort, dir: p.sort === 'name' ? 'asc' : 'desc' })));
  }
  return out;
}

/** First and last page of the default list (newest first); the last page's cursor is found with OFFSET here only. */
async function pages(b: BenchDb): Promise<{ first: number; last: number }> {
  const total = Number((await b.db('contacts').count({ n: '*' }).first())!.n);
  const row = await b.db('contacts').select('id', 'created_at').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).offset(total - 51).limit(1).first();
  const after = encodeListCursor({ sort: 'created', dir: 'desc', key: Number(row.created_at), id: Number(row.id) });
  const all: Condition = { all: [] };
  const first: number[] = [];
  const last: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    first.push(await time(() => pageOfContacts(b.db, all, [], { ...opts, sort: 'created', dir: 'desc' })));
    last.push(await time(() => pageOfContacts(b.db, all, [], { ...opts, sort: 'created', dir: 'desc', after })));
  }
  return { first: p95(first), last: p95(last) };
}

/** The baseline: the same searches as a LIKE the trigram index cannot serve (bench-only raw SQL). */
async function fullScan(b: BenchDb, list: Probe[]): Promise<number[]> {
  const out: number[] = [];
  const column = b.engine === 'postgres' ? b.db.raw("(search_text || '')") : 'search_text';
  for (let i = 0; i < Math.min(RUNS, 60); i++) {
    const p = list[i % list.length]!;
    const v = String((p.cond as { value: string }).value).replace(/^\+/, '').replace(/\s/g, '');
    out.push(await time(() => b.db('contacts').select('id', 'display_name', 'phone').where(column as string, 'like', `%${v}%`)
      .orderBy([{ column: 'sort_name' }, { column: 'id' }]).limit(51)));
  }
  return out;
}

function line(id: string, name: string, ratio: number, goal: string, ok: boolean, abs: string): void {
  console.log(`${id} ${name}: ratio=${ratio.toFixed(3)} (goal ${goal}) abs=${abs} ${ok ? 'PASS' : 'MISS'}`);
}

async function scale(engine: 'sqlite' | 'postgres', n: number) {
  const b = await seededDb(engine, n, `${engine.slice(0, 2)}${n}`);
  try {
    const seeded = { rows: b.rows };
    console.log(`# ${engine} ${n}: seeded ${b.rows} rows in ${(b.seedMs / 1000).toFixed(1)} s (child process)`);
    const list = await probes(b.db);
    const search = await measure(b, list);
    const byKind = Object.fromEntries(['last name', 'full name', 'e-mail', 'phone prefix'].map((k) => {
      const idx = list.map((p, i) => (p.name === k ? i : -1)).filter((i) => i >= 0);
      return [k, p95(search.filter((_, i) => idx.includes(i % list.length)))];
    }));
    const pg = await pages(b);
    const scan = n > 25_000 ? p95(await fullScan(b, list)) : 0;
    console.log(`# ${engine} ${n}: search p95 ${fmt(p95(search))} ms (${Object.entries(byKind).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}); first page ${fmt(pg.first)} ms, last page ${fmt(pg.last)} ms${scan ? `; full-scan LIKE p95 ${fmt(scan)} ms` : ''}`);
    return { search: p95(search), first: pg.first, last: pg.last, scan, rows: seeded.rows };
  } finally {
    await b.drop();
  }
}

async function run(engine: 'sqlite' | 'postgres', small: number, big: number, floorMs: number | null) {
  const a = await scale(engine, small);
  const z = await scale(engine, big);
  const label = `${engine} ${big / 1000}k vs ${small / 1000}k`;
  const r1 = Math.max(z.search, z.first) / Math.max(a.search, a.first);
  line('B10', `scale independence, list/search p95 (${label})`, r1, '≤ 1.5', r1 <= 1.5, `${fmt(Math.max(z.search, z.first))} ms vs ${fmt(Math.max(a.search, a.first))} ms`);
  const r2 = z.last / z.first;
  line('B10', `last page vs first page (${engine} ${big / 1000}k)`, r2, '≤ 2', r2 <= 2, `${fmt(z.last)} ms vs ${fmt(z.first)} ms`);
  const r3 = z.search / z.scan;
  const floorOk = floorMs === null || z.search <= floorMs;
  line('B11', `search vs full-scan LIKE (${engine} ${big / 1000}k)`, r3, '≤ 0.1', r3 <= 0.1 && floorOk, `p95 ${fmt(z.search)} ms vs ${fmt(z.scan)} ms${floorMs ? ` (floor ≤ ${floorMs} ms)` : ''}`);
}

async function main(): Promise<void> {
  await run('sqlite', 25_000, Number(process.env.BENCH_SQLITE_BIG ?? 100_000), null);
  if (process.env.BENCH_PG !== '0') {
    const big = Number(process.env.BENCH_PG_BIG ?? 1_000_000);
    await run('postgres', 25_000, big, big >= 1_000_000 ? 20 : null);
  }
}

await main();
