// The contacts list over HTTP: search (accent-free name fragment, phone
// prefix, e-mail), filters, every sort with keyset pages (no duplicates or
// gaps) and the export link. Bulk actions: bulk/bulk.test.ts. SQLite and Postgres.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pageOfContacts } from './list.js';
import type { Rule } from './segments/condition.js';
import { installed, listedIds, nextLink, seedContact, textOf, type Session } from './test-support.js';

let s: Session;
const all: number[] = [];
const vip: number[] = [];
const FIRST = ['Ana', 'Luis', 'Marta', 'Iñaki', 'Sofía', 'Raúl'];
const LAST = ['García', 'Muñoz', 'Peña', 'López', 'Ortiz'];

before(async () => {
  s = await installed();
  const db = s.app.deps.db;
  for (let i = 0; i < 130; i++) {
    if (i % 7 === 0) s.app.clock.advance(60_000); // ties on created_at every few rows exercise the id tiebreak
    const c = await seedContact(s.app.deps, {
      phone: `+52 55 ${String(1000_0000 + i * 37).slice(0, 4)} ${String(1000_0000 + i * 37).slice(4)}`,
      first_name: FIRST[i % FIRST.length], last_name: LAST[i % LAST.length],
      email: i % 10 === 0 ? `persona${i}@gmail.com` : null, tags: i % 2 === 0 ? ['vip'] : [],
    }, i % 3 === 0 ? 'opted_in' : undefined);
    all.push(c.id);
    if (i % 2 === 0) vip.push(c.id);
    if (i % 4 === 1) await db('contacts').where({ id: c.id }).update({ last_inbound_at: s.app.clock.now() - (i % 9) * 3_600_000 });
    if (i % 5 === 2) await db('contacts').where({ id: c.id }).update({ last_outbound_at: s.app.clock.now() - (i % 4) * 3_600_000 });
  }
  await seedContact(s.app.deps, { phone: '+54 9 11 4444 5555', first_name: 'Único', last_name: 'Argentino' });
});
after(async () => { await s.app.close(); });

async function walk(start: string): Promise<number[]> {
  const seen: number[] = [];
  let url: string | null = start;
  for (let pages = 0; url && pages < 20; pages++) {
    const r = await s.owner.get(url);
    assert.equal(r.status, 200, url);
    seen.push(...listedIds(r.text));
    url = nextLink(r.text);
  }
  return seen;
}

describe('search', () => {
  it('finds an accent-free name fragment ("munoz" → Muñoz) and nobody else', async () => {
    const ids = await walk('/contacts?q=munoz');
    const expected = (await s.app.deps.db('contacts').where('last_name', 'Muñoz').pluck('id')).map(Number);
    assert.equal(ids.length, expected.length);
    assert.deepEqual([...ids].sort((a, b) => a - b), expected.sort((a, b) => a - b));
    assert.match(textOf((await s.owner.get('/contacts?q=munoz')).text), /Muñoz/);
  });

  it('finds by phone prefix and by e-mail', async () => {
    assert.equal((await walk('/contacts?q=%2B54%209')).length, 1);
    assert.equal((await walk('/contacts?q=%2B52')).length, 130);
    assert.deepEqual(await walk('/contacts?q=persona20%40gmail'), [all[20]]);
    assert.equal((await walk('/contacts?q=gmail.com')).length, 13);
    assert.deepEqual(await walk('/contacts?q=zzzz-nadie'), []);
  });
});

describe('sort and keyset pagination', () => {
  const sorts: Array<[string, string, string]> = [
    ['name', 'asc', 'sort_name'], ['name', 'desc', 'sort_name'], ['created', 'desc', 'created_at'],
    ['updated', 'asc', 'updated_at'], ['last_inbound', 'desc', 'last_inbound_at'],
    ['phone', 'asc', 'phone'], ['phone', 'desc', 'phone'], ['last_outbound', 'asc', 'last_outbound_at'], ['last_outbound', 'desc', 'last_outbound_at'],
  ];
  for (const [sort, dir, col] of sorts) {
    it(`pages by ${sort} ${dir} without duplicates or gaps`, async () => {
      const ids = await walk(`/contacts?sort=${sort}&dir=${dir}`);
      assert.equal(ids.length, 131);
      assert.equal(new Set(ids).size, 131);
      const rows = await s.app.deps.db('contacts').select('id', col);
      const key = new Map(rows.map((r: Record<string, unknown>) => [Number(r.id), r[col] as string | number | null]));
      for (let i = 1; i < ids.length; i++) {
        const a = key.get(ids[i - 1]!)!;
        const b = key.get(ids[i]!)!;
        if (a === null) { assert.equal(b, null); continue; } // rows without a value come last
        if (b === null) continue;
        const cmp = a < b ? -1 : a > b ? 1 : Math.sign(ids[i - 1]! - ids[i]!);
        assert.equal(cmp, dir === 'asc' ? -1 : 1, `order at ${i}`);
      }
    });
  }

  it('filters by tag and opt-in across pages', async () => {
    const tagId = (await s.app.deps.db('tags').where({ name: 'vip' }).first()).id;
    const ids = await walk(`/contacts?tag=${tagId}`);
    assert.deepEqual([...ids].sort((a, b) => a - b), [...vip].sort((a, b) => a - b));
    const opted = await walk(`/contacts?tag=${tagId}&opt_in=opted_in`);
    assert.equal(opted.length, vip.filter((_, k) => (k * 2) % 3 === 0).length);
    assert.equal((await walk('/contacts?activity=replied_30')).length, 33);
  });

  it('gives the same pages whichever way a search is narrowed (few ids, a walked window, its fallback)', async () => {
    // With another rule the walk reads whole rows; with the search alone it reads ids from the index, then the page by id.
    const walkDirect = async (value: string, sort: 'name' | 'created' | 'last_inbound', cap: number, window: number | undefined, alone: boolean) => {
      const ids: number[] = [];
      let after: string | undefined;
      do {
        const rules = [{ field: 'search', op: 'contains', value }, ...(alone ? [] : [{ field: 'opt_in', op: 'neq', value: 'opted_out' }])] as Rule[];
        const page = await pageOfContacts(s.app.deps.db, { all: rules }, [],
          { sort, dir: sort === 'name' ? 'asc' : 'desc', limit: 7, now: s.app.clock.now(), after, searchCap: cap, searchWindow: window });
        ids.push(...page.rows.map((r) => r.id));
        after = page.next ?? undefined;
      } while (after);
      return ids;
    };
    // "munoz" is spread through every order; "marta" clusters under name order, so small windows miss and fall back.
    for (const alone of [false, true]) {
      for (const [value, count] of [['munoz', 26], ['marta', 22]] as const) {
        for (const sort of ['name', 'created', 'last_inbound'] as const) {
          const q = s.app.deps.db('contacts').where('search_text', 'like', `%${value}%`);
          const expected = (await (alone ? q : q.whereNot('opt_in', 'opted_out')).pluck('id')).map(Number);
          const wide = await walkDirect(value, sort, 1000, undefined, alone);
          if (!alone) assert.equal(wide.length, count);
          assert.deepEqual([...wide].sort((a, b) => a - b), expected.sort((a, b) => a - b), `${value} ${sort}`);
          for (const window of [undefined, 5, 8, 40, 500]) {
            assert.deepEqual(await walkDirect(value, sort, 3, window, alone), wide, `${value} ${sort} window ${window} alone ${alone}`);
          }
        }
      }
    }
  });

  it('refuses a forged cursor with a message, not a 500', async () => {
    const r = await s.owner.get('/contacts?after=bm9wZQ');
    assert.equal(r.status, 422);
  });
});

describe('export link', () => {
  it('links the export with the same filter', async () => {
    const page = await s.owner.get('/contacts?q=garcia&opt_in=opted_in');
    assert.match(page.text, /href="\/contacts\/export\?q=garcia&amp;opt_in=opted_in"/);
  });
});
