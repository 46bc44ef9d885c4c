import { freshDb, seedContacts, NOW } from '../bench/contacts-seed.js';
const engine = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const b = await freshDb(engine, 'win');
await seedContacts(b, Number(process.argv[3] ?? 100000));
for (const frag of ['munoz', 'garci', 'maria', 'jose mu', 'conceicao bra']) {
  for (const W of [2000, 5000, 10000]) {
    const inner = b.db('contacts').select('id', 'sort_name', 'search_text', 'display_name', 'phone', 'email', 'opt_in', 'created_at', 'updated_at', 'last_inbound_at').orderBy([{ column: 'sort_name' }, { column: 'id' }]).limit(W);
    const q = () => b.db.from(inner.as('contacts')).select('contacts.*').where('contacts.search_text', 'like', `%${frag}%`).orderBy([{ column: 'contacts.sort_name' }, { column: 'contacts.id' }]).limit(51);
    await q(); const t = performance.now(); let n = 0; for (let i = 0; i < 20; i++) n = (await q()).length;
    console.log(engine, frag, W, ((performance.now() - t) / 20).toFixed(2), 'ms', n, 'rows');
  }
}
await b.drop();
