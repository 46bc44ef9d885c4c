import { freshDb, seedContacts, NOW } from '../bench/contacts-seed.js';
import { contactIdsQuery, applyCondition } from '../src/contacts/segments/compile.js';
const engine = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const b = await freshDb(engine, 'plan');
await seedContacts(b, Number(process.argv[3] ?? 100000));
const cols = ['contacts.id', 'contacts.sort_name', 'contacts.created_at'];
const qs = {
  first: applyCondition(b.db, b.db('contacts').select(cols), { all: [] }, [], { now: NOW }).whereNotNull('contacts.created_at').orderBy([{ column: 'contacts.created_at', order: 'desc' }, { column: 'contacts.id', order: 'desc' }]).limit(51),
  lastname: applyCondition(b.db, b.db('contacts').select(cols), { field: 'search', op: 'contains', value: 'munoz' }, [], { now: NOW }).whereNotNull('contacts.sort_name').orderBy([{ column: 'contacts.sort_name', order: 'asc' }, { column: 'contacts.id', order: 'asc' }]).limit(51),
  rare: applyCondition(b.db, b.db('contacts').select(cols), { field: 'search', op: 'contains', value: 'jose.munoz12' }, [], { now: NOW }).whereNotNull('contacts.sort_name').orderBy([{ column: 'contacts.sort_name', order: 'asc' }, { column: 'contacts.id', order: 'asc' }]).limit(51),
};
for (const [k, q] of Object.entries(qs)) {
  const { sql, bindings } = q.toSQL();
  console.log(k, sql);
  const t = performance.now();
  for (let i = 0; i < 20; i++) await q.clone();
  console.log(k, ((performance.now() - t) / 20).toFixed(2), 'ms');
  const plan = engine === 'sqlite' ? await b.db.raw(`explain query plan ${sql}`, bindings) : (await b.db.raw(`explain analyze ${sql}`, bindings)).rows;
  console.log(JSON.stringify(plan.map((r: Record<string, unknown>) => r.detail ?? r['QUERY PLAN'])));
}
await b.drop();
