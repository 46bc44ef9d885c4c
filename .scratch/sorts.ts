import { freshDb, seedContacts, NOW } from '../bench/contacts-seed.js';
import { pageOfContacts } from '../src/contacts/list.js';
const engine = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const b = await freshDb(engine, 'sorts');
await seedContacts(b, Number(process.argv[3] ?? 100000));
for (const frag of ['munoz', 'garci', 'maria', 'jose mu', 'conceicao bra', 'ines.alvarez1', '+5255']) {
  for (const [sort, dir] of [['name', 'asc'], ['created', 'desc'], ['updated', 'desc']] as const) {
    const q = () => pageOfContacts(b.db, { field: 'search', op: 'contains', value: frag }, [], { sort, dir, limit: 50, now: NOW, timeZone: 'UTC' });
    await q(); const t = performance.now(); let n = 0; for (let i = 0; i < 20; i++) n = (await q()).rows.length;
    console.log(engine, frag.padEnd(14), sort.padEnd(8), ((performance.now() - t) / 20).toFixed(2), 'ms', n);
  }
}
await b.drop();
