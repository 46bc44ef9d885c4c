// B10 (scale independence) and B11 (search vs a full-scan LIKE) for the
// contacts list, measured on the product's own query (pageOfContacts with the
// search box's condition) against databases seeded in a child process.
//   SQLite: 25k vs 100k (BENCH_SQLITE_BIG; BENCH_SQLITE=0 skips).  Postgres: 25k vs 1M (BENCH_PG_BIG; BENCH_PG=0 skips).
// The small and the big database are queried alternately, query by query,
// so a machine whose load drifts during the run skews both sides alike.
// Prints `<id> <name>: ratio=… (goal …) abs=… PASS|MISS`.
import type { Knex } from 'knex';
import { encodeListCursor, pageOfContacts } from '../src/contacts/list.js';
import type { Condition } from '../src/contacts/segments/condition.js';
import { fmt, NOW, p95, seededDb, type BenchDb } from './contacts-seed.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const opts = { limit: 50, now: NOW, timeZone: 'UTC' };
const ALL: Condition = { all: [] };
const KINDS = ['last name', 'full name', 'e-mail', 'phone prefix'] as const;

type Probe = { kind: (typeof KINDS)[number]; value: string };
type Query = (b: BenchDb) => Promise<unknown>;

/** What people type, taken from rows both databases share (the generator is seeded, so the first rows are identical). */
async function probes(db: Knex): Promise<Probe[]> {
  const sample = await db('contacts').select('first_name', 'last_name', 'email', 'phone').orderBy('id').limit(4000);
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const out: Probe[] = [];
  for (let k = 0; k < 8; k++) {
    const r = sample[(k * 397) % sample.length] as Record<string, string>;
    out.push({ kind: 'last name', value: fold(r.last_name!).slice(0, 5) });
    out.push({ kind: 'full name', value: `${fold(r.first_name!)} ${fold(r.last_name!).slice(0, 3)}` });
    out.push({ kind: 'e-mail', value: (r.email ?? '').split('@')[0]! });
    out.push({ kind: 'phone prefix', value: r.phone!.slice(0, 9) });
  }
  return out;
}

const search = (p: Probe): Query => (b) => pageOfContacts(b.db, { field: 'search', op: 'contains', value: p.value }, [], { ...opts, sort: 'name', dir: 'asc' });
const firstPage: Query = (b) => pageOfContacts(b.db, ALL, [], { ...opts, sort: 'created', dir: 'desc' });

/** The last page of the newest-first list; its cursor is found with OFFSET here only. */
async function lastPage(b: BenchDb): Promise<Query> {
  const total = Number((await b.db('contacts').count({ n: '*' }).first())!.n);
  const row = await b.db('contacts').select('id', 'created_at').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).offset(total - 51).limit(1).first();
  const after = encodeListCursor({ sort: 'created', dir: 'desc', key: Number(row.created_at), id: Number(row.id) });
  return (x) => pageOfContacts(x.db, ALL, [], { ...opts, sort: 'created', dir: 'desc', after });
}

/** The baseline: the same searches as a LIKE the trigram index cannot serve (bench-only raw SQL). */
const fullScan = (p: Probe): Query => (b) => {
  const column = b.engine === 'postgres' ? b.db.raw("(search_text || '')") : 'search_text';
  const v = p.value.replace(/^\+/, '').replace(/\s/g, '');
  return b.db('contacts').select('id', 'display_name', 'phone').where(column as string, 'like', `%${v}%`).orderBy([{ column: 'sort_name' }, { column: 'id' }]).limit(51);
};

async function time(q: Query, b: BenchDb): Promise<number> {
  const t = performance.now();
  await q(b);
  return performance.now() - t;
}

/** Runs each query on `small` then `big`, alternately; returns the samples of each side. */
async function paired(small: BenchDb, big: BenchDb, queries: Query[], runs: number): Promise<[number[], number[]]> {
  const a: number[] = [];
  const z: number[] = [];
  for (let i = 0; i < 20; i++) { await queries[i % queries.length]!(small); await queries[i % queries.length]!(big); }
  for (let i = 0; i < runs; i++) {
    const q = queries[i % queries.length]!;
    a.push(await time(q, small));
    z.push(await time(q, big));
  }
  return [a, z];
}

/** Samples of each query on one database, the queries alternating. */
async function samples(b: BenchDb, queries: Query[], runs: number): Promise<number[][]> {
  const out: number[][] = queries.map(() => []);
  for (let i = 0; i < runs; i++) for (const [k, q] of queries.entries()) out[k]!.push(await time(q, b));
  return out;
}

function line(id: string, name: string, ratio: number, goal: string, ok: boolean, abs: string): void {
  console.log(`${id} ${name}: ratio=${ratio.toFixed(3)} (goal ${goal}) abs=${abs} ${ok ? 'PASS' : 'MISS'}`);
}

async function run(engine: 'sqlite' | 'postgres', smallN: number, bigN: number, floorMs: number | null): Promise<void> {
  const small = await seededDb(engine, smallN, `${engine.slice(0, 2)}${smallN}`);
  const big = await seededDb(engine, bigN, `${engine.slice(0, 2)}${bigN}`);
  try {
    console.log(`# ${engine}: seeded ${small.rows} rows in ${(small.seedMs / 1000).toFixed(1)} s and ${big.rows} rows in ${(big.seedMs / 1000).toFixed(1)} s (child processes)`);
    const list = await probes(small.db);
    const [sa, sz] = await paired(small, big, [...list.map(search), firstPage], RUNS);
    const kinds = KINDS.map((k) => {
      const idx = (i: number) => i % (list.length + 1) < list.length && list[i % (list.length + 1)]!.kind === k;
      return `${k} ${fmt(p95(sa.filter((_, i) => idx(i))))}→${fmt(p95(sz.filter((_, i) => idx(i))))}`;
    });
    console.log(`# ${engine} p95 ms ${smallN / 1000}k→${bigN / 1000}k: ${kinds.join(', ')}`);
    const [firsts, lasts] = await samples(big, [firstPage, await lastPage(big)], RUNS / 2) as [number[], number[]];
    const searchBig = p95(sz.filter((_, i) => i % (list.length + 1) < list.length));
    const scan = p95((await samples(big, list.map(fullScan), 2)).flat());
    const label = `${engine} ${bigN / 1000}k vs ${smallN / 1000}k`;
    const r1 = p95(sz) / p95(sa);
    line('B10', `scale independence, list/search p95 (${label})`, r1, '≤ 1.5', r1 <= 1.5, `${fmt(p95(sz))} ms vs ${fmt(p95(sa))} ms`);
    const r2 = p95(lasts) / p95(firsts);
    line('B10', `last page vs first page (${engine} ${bigN / 1000}k)`, r2, '≤ 2', r2 <= 2, `${fmt(p95(lasts))} ms vs ${fmt(p95(firsts))} ms`);
    const r3 = searchBig / scan;
    const floorOk = floorMs === null || searchBig <= floorMs;
    line('B11', `search vs full-scan LIKE (${engine} ${bigN / 1000}k)`, r3, '≤ 0.1', r3 <= 0.1 && floorOk,
      `p95 ${fmt(searchBig)} ms vs ${fmt(scan)} ms${floorMs ? ` (floor ≤ ${floorMs} ms)` : ''}`);
  } finally {
    await small.drop();
    await big.drop();
  }
}

if (process.env.BENCH_SQLITE !== '0') await run('sqlite', 25_000, Number(process.env.BENCH_SQLITE_BIG ?? 100_000), null);
if (process.env.BENCH_PG !== '0') {
  const big = Number(process.env.BENCH_PG_BIG ?? 1_000_000);
  await run('postgres', 25_000, big, big >= 1_000_000 ? 20 : null);
}
