// The condition compiler against a real database of the engine under test:
// the same table of conditions must select the same contacts on SQLite and
// Postgres (run this file with CHATFLOW_TEST_DB=postgres too).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { createDb } from '../../db/knex.js';
import { migrateLatest } from '../../db/migrate.js';
import { Invalid } from '../../errors.js';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { parseCustomValue, type CustomFieldDef } from '../custom-values.js';
import { contactDerivedColumns } from '../derive.js';
import { contactIdsQuery } from './compile.js';
import type { Condition } from './condition.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24, 12);

type Seed = {
  phone: string; first?: string; last?: string; email?: string; optIn?: string; tags?: string[];
  created: number; inbound?: number; outbound?: number; custom?: Record<string, unknown>;
};

const FIELDS: Array<Omit<CustomFieldDef, 'id'>> = [
  { key: 'ciudad', label: 'Ciudad', type: 'text', options: [], position: 1 },
  { key: 'puntos', label: 'Puntos', type: 'number', options: [], position: 2 },
  { key: 'nacimiento', label: 'Nacimiento', type: 'date', options: [], position: 3 },
  { key: 'activo', label: 'Activo', type: 'boolean', options: [], position: 4 },
  { key: 'plan', label: 'Plan', type: 'select', options: ['Básico', 'Premium'], position: 5 },
  { key: 'intereses', label: 'Intereses', type: 'multiselect', options: ['Dental', 'Ortodoncia'], position: 6 },
];

// Contacts are referred to by their number in this list (1-based).
const SEEDS: Seed[] = [
  { phone: '+525512345678', first: 'José', last: 'Muñoz', email: 'jose@gmail.com', optIn: 'opted_in', tags: ['vip', 'cliente'],
    created: NOW - 40 * DAY, inbound: NOW - 5 * DAY, outbound: NOW - 6 * DAY,
    custom: { ciudad: 'Ciudad de México', puntos: 150, nacimiento: '1990-05-10', activo: true, plan: 'Premium', intereses: ['Dental', 'Ortodoncia'] } },
  { phone: '+5491123456789', first: 'María', last: 'Peña', email: 'maria.pena@hotmail.com', optIn: 'opted_out', tags: ['cliente'],
    created: NOW - 10 * DAY, inbound: NOW - 40 * DAY, outbound: NOW - 41 * DAY,
    custom: { ciudad: 'Córdoba', puntos: 20, nacimiento: '01/12/1985', activo: 'no', plan: 'Básico', intereses: 'dental' } },
  { phone: '+5511987654321', first: 'Ana', last: 'López', created: NOW - 2 * DAY, custom: { puntos: '150,5' } },
  { phone: '+34612345678', first: 'Juan_', last: 'Pé%rez', email: 'juan_perez@empresa.com', optIn: 'opted_in', tags: ['vip'],
    created: NOW - DAY, outbound: NOW - DAY, custom: { ciudad: 'MADRID' } },
  { phone: '+525587654321', created: NOW - 100 * DAY },
];

let tdb: TestDatabase;
let db: Knex;
let fields: CustomFieldDef[];
const ids: number[] = [];
const tagIds = new Map<string, number>();

async function seedFields(): Promise<void> {
  for (const f of FIELDS) {
    const [row] = await db('custom_fields').insert({ ...f, options: JSON.stringify(f.options), created_at: NOW }).returning('id');
    fields.push({ ...f, id: Number((row as { id: number }).id ?? row) });
  }
  for (const name of ['vip', 'cliente', 'sin-uso']) {
    const [row] = await db('tags').insert({ name, name_key: name, created_at: NOW }).returning('id');
    tagIds.set(name, Number((row as { id: number }).id ?? row));
  }
}

async function seedContact(s: Seed): Promise<void> {
  const d = contactDerivedColumns({ phone: s.phone, first_name: s.first, last_name: s.last, email: s.email });
  assert.ok(d.ok, `seed phone ${s.phone}`);
  const [row] = await db('contacts').insert({
    ...d.columns, opt_in: s.optIn ?? 'unknown', created_at: s.created, updated_at: s.created,
    last_inbound_at: s.inbound ?? null, last_outbound_at: s.outbound ?? null,
  }).returning('id');
  const id = Number((row as { id: number }).id ?? row);
  ids.push(id);
  for (const t of s.tags ?? []) await db('contact_tags').insert({ contact_id: id, tag_id: tagIds.get(t) });
  for (const [key, raw] of Object.entries(s.custom ?? {})) {
    const def = fields.find((f) => f.key === key)!;
    const v = parseCustomValue(def, raw);
    assert.ok(v.ok, `seed value ${key}`);
    for (const r of v.rows) await db('contact_values').insert({ contact_id: id, field_id: def.id, ...r });
  }
}

/** Campaign messages: #1 got campaign 7 (read) and 8 (failed); #2 got 8; #4 only a message outside any campaign. */
async function seedMessages(): Promise<void> {
  const [num] = await db('wa_numbers').insert({
    label: 'Recepción', phone_number_id: '1001', waba_id: '2002', display_phone: '+52 55 0000 0000', access_token_enc: 'x',
    app_secret_enc: 'x', verify_token: 'v', created_at: NOW, updated_at: NOW,
  }, ['id']);
  const sends: Array<[number, number | null, string]> = [[1, 7, 'read'], [1, 8, 'failed'], [2, 8, 'sent'], [4, null, 'delivered']];
  const convs = new Map<number, number>();
  for (const [n, campaign, status] of sends) {
    const contact = ids[n - 1]!;
    if (!convs.has(contact)) {
      const [conv] = await db('conversations').insert({ contact_id: contact, number_id: num.id, last_message_at: NOW, created_at: NOW, updated_at: NOW }, ['id']);
      convs.set(contact, Number(conv.id));
    }
    await db('messages').insert({
      conversation_id: convs.get(contact), contact_id: contact, number_id: num.id, direction: 'out', type: 'template', status, campaign_id: campaign, created_at: NOW,
    });
  }
}

async function run(cond: Condition): Promise<number[]> {
  const rows = await contactIdsQuery(db, cond, fields, { now: NOW }).orderBy('contacts.id');
  return rows.map((r: { id: number }) => ids.indexOf(Number(r.id)) + 1);
}

before(async () => {
  tdb = await createTestDatabase();
  db = createDb({ client: tdb.engine, sqliteFile: `${tdb.dataDir}/t.sqlite`, databaseUrl: tdb.databaseUrl });
  await migrateLatest(db);
  fields = [];
  await seedFields();
  for (const s of SEEDS) await seedContact(s);
  await seedMessages();
});

after(async () => {
  await db.destroy();
  await tdb.drop();
});

const tag = (name: string) => () => tagIds.get(name)!;
type Case = [string, Condition | (() => Condition), number[]];

const CASES: Case[] = [
  ['search accent-free name fragment', { field: 'search', op: 'contains', value: 'munoz' }, [1]],
  ['search with accents and case', { field: 'search', op: 'contains', value: 'MUÑ' }, [1]],
  ['search phone prefix +52', { field: 'search', op: 'contains', value: '+52' }, [1, 5]],
  ['search phone prefix +54 9', { field: 'search', op: 'contains', value: '+54 9' }, [2]],
  ['search national digits', { field: 'search', op: 'contains', value: '5512345' }, [1]],
  ['search e-mail fragment', { field: 'search', op: 'contains', value: 'gmail' }, [1]],
  ['search % is literal', { field: 'search', op: 'contains', value: '%' }, [4]],
  ['search e%r is literal (index path)', { field: 'search', op: 'contains', value: 'e%r' }, [4]],
  ['search quote is data', { field: 'search', op: 'contains', value: "x'; drop table contacts; --" }, []],
  ['name contains', { field: 'name', op: 'contains', value: 'pen' }, [2]],
  ['name contains ignores e-mail', { field: 'name', op: 'contains', value: 'gmail' }, []],
  ['name starts with', { field: 'name', op: 'starts_with', value: 'Jo' }, [1]],
  ['name starts with _ literal', { field: 'name', op: 'starts_with', value: 'juan_' }, [4]],
  ['name eq', { field: 'name', op: 'eq', value: 'Ana Lopez' }, [3]],
  ['name not set', { field: 'name', op: 'is_not_set' }, [5]],
  ['phone eq MX variant', { field: 'phone', op: 'eq', value: '+52 1 55 1234 5678' }, [1]],
  ['phone eq AR without 9', { field: 'phone', op: 'eq', value: '+54 11 2345 6789' }, [2]],
  ['phone eq BR without ninth digit', { field: 'phone', op: 'eq', value: '+55 11 8765 4321' }, [3]],
  ['phone starts with', { field: 'phone', op: 'starts_with', value: '+55' }, [3]],
  ['email eq case-insensitive', { field: 'email', op: 'eq', value: 'JOSE@GMAIL.COM' }, [1]],
  ['email not set', { field: 'email', op: 'is_not_set' }, [3, 5]],
  ['email contains', { field: 'email', op: 'contains', value: 'hotmail' }, [2]],
  ['country in', { field: 'country', op: 'in', value: ['mx', 'AR'] }, [1, 2, 5]],
  ['country neq', { field: 'country', op: 'neq', value: 'MX' }, [2, 3, 4]],
  ['opt-in eq', { field: 'opt_in', op: 'eq', value: 'opted_out' }, [2]],
  ['opt-in neq', { field: 'opt_in', op: 'neq', value: 'opted_in' }, [2, 3, 5]],
  ['tag has', () => ({ field: 'tag', op: 'has', value: tag('vip')() }), [1, 4]],
  ['tag has any of', () => ({ field: 'tag', op: 'has', value: [tag('vip')(), tag('cliente')()] }), [1, 2, 4]],
  ['tag has not', () => ({ field: 'tag', op: 'has_not', value: tag('cliente')() }), [3, 4, 5]],
  ['tag nobody has', () => ({ field: 'tag', op: 'has', value: tag('sin-uso')() }), []],
  ['created within 7 days', { field: 'created_at', op: 'within_days', value: 7 }, [3, 4]],
  ['created before 30 days', { field: 'created_at', op: 'before_days', value: 30 }, [1, 5]],
  ['created on or after a date', { field: 'created_at', op: 'gte', value: '2026-11-14' }, [2, 3, 4]],
  ['replied in the last 30 days', { field: 'replied_within_days', op: 'within_days', value: 30 }, [1]],
  ['last inbound not set', { field: 'last_inbound_at', op: 'is_not_set' }, [3, 4, 5]],
  ['never messaged', { field: 'never_messaged', op: 'eq', value: true }, [3, 5]],
  ['messaged', { field: 'never_messaged', op: 'eq', value: false }, [1, 2, 4]],
  ['text contains folded', { field: 'custom:ciudad', op: 'contains', value: 'México' }, [1]],
  ['text eq any case', { field: 'custom:ciudad', op: 'eq', value: 'madrid' }, [4]],
  ['text neq includes empty', { field: 'custom:ciudad', op: 'neq', value: 'Madrid' }, [1, 2, 3, 5]],
  ['text starts with', { field: 'custom:ciudad', op: 'starts_with', value: 'Cór' }, [2]],
  ['text not set', { field: 'custom:ciudad', op: 'is_not_set' }, [3, 5]],
  ['number gt', { field: 'custom:puntos', op: 'gt', value: 100 }, [1, 3]],
  ['number eq', { field: 'custom:puntos', op: 'eq', value: '150' }, [1]],
  ['number between', { field: 'custom:puntos', op: 'between', value: [20, 150] }, [1, 2]],
  ['number lte', { field: 'custom:puntos', op: 'lte', value: 20 }, [2]],
  ['number not set', { field: 'custom:puntos', op: 'is_not_set' }, [4, 5]],
  ['date lt', { field: 'custom:nacimiento', op: 'lt', value: '1990-01-01' }, [2]],
  ['date eq', { field: 'custom:nacimiento', op: 'eq', value: '1990-05-10' }, [1]],
  ['date between inclusive', { field: 'custom:nacimiento', op: 'between', value: ['1980-01-01', '1990-05-10'] }, [1, 2]],
  ['date set', { field: 'custom:nacimiento', op: 'is_set' }, [1, 2]],
  ['boolean true', { field: 'custom:activo', op: 'eq', value: true }, [1]],
  ['boolean false', { field: 'custom:activo', op: 'eq', value: 'false' }, [2]],
  ['select eq any case', { field: 'custom:plan', op: 'eq', value: 'premium' }, [1]],
  ['select in', { field: 'custom:plan', op: 'in', value: ['Premium', 'Básico'] }, [1, 2]],
  ['select not in includes empty', { field: 'custom:plan', op: 'not_in', value: ['Premium'] }, [2, 3, 4, 5]],
  ['multiselect has', { field: 'custom:intereses', op: 'has', value: 'Dental' }, [1, 2]],
  ['multiselect has one', { field: 'custom:intereses', op: 'has', value: 'Ortodoncia' }, [1]],
  ['multiselect has not', { field: 'custom:intereses', op: 'has_not', value: 'Ortodoncia' }, [2, 3, 4, 5]],
  ['received campaign X', { field: 'campaign', op: 'has', value: 7 }, [1]],
  ['received campaign X: a failed send does not count', { field: 'campaign', op: 'has', value: '8' }, [2]],
  ['received any of two campaigns', { field: 'campaign', op: 'has', value: [7, 8] }, [1, 2]],
  ['did not receive campaign X', { field: 'campaign', op: 'has_not', value: 7 }, [2, 3, 4, 5]],
  ['received any campaign', { field: 'any_campaign', op: 'eq', value: true }, [1, 2]],
  ['never received a campaign', { field: 'any_campaign', op: 'eq', value: false }, [3, 4, 5]],
  ['never received a campaign but was messaged', { all: [{ field: 'any_campaign', op: 'eq', value: 'false' }, { field: 'never_messaged', op: 'eq', value: false }] }, [4]],
  ['OR of AND and a rule', () => ({ any: [
    { all: [{ field: 'tag', op: 'has', value: tag('vip')() }, { field: 'opt_in', op: 'eq', value: 'opted_in' }, { field: 'country', op: 'eq', value: 'ES' }] },
    { field: 'custom:puntos', op: 'lt', value: 100 },
  ] }), [2, 4]],
  ['AND of ORs', () => ({ all: [
    { any: [{ field: 'country', op: 'eq', value: 'MX' }, { field: 'country', op: 'eq', value: 'AR' }] },
    { any: [{ field: 'tag', op: 'has', value: tag('cliente')() }, { field: 'never_messaged', op: 'eq', value: true }] },
  ] }), [1, 2, 5]],
  ['empty OR matches nothing', { any: [] }, []],
  ['empty AND matches everything', { all: [] }, [1, 2, 3, 4, 5]],
];

describe('segment compiler', () => {
  for (const [name, cond, expected] of CASES) {
    it(name, async () => {
      assert.deepEqual(await run(typeof cond === 'function' ? cond() : cond), expected);
    });
  }

  it('keeps the contacts table after a hostile value', async () => {
    assert.equal(Number((await db('contacts').count({ n: '*' }))[0]!.n), SEEDS.length);
  });

  it('passes values as bindings, never in the SQL text', () => {
    const q = contactIdsQuery(db, { field: 'custom:ciudad', op: 'eq', value: "o'hara" }, fields, { now: NOW }).toSQL();
    assert.ok(!q.sql.includes('hara'));
    assert.ok(q.bindings.includes("o'hara"));
    const c = contactIdsQuery(db, { field: 'campaign', op: 'has_not', value: 987654 }, fields, { now: NOW }).toSQL();
    assert.ok(!c.sql.includes('987654'));
    assert.ok(c.bindings.includes(987654));
    assert.match(c.sql, /not exists/i);
  });

  const errors: Array<[string, Condition, string]> = [
    ['deleted custom field', { field: 'custom:borrado', op: 'eq', value: 'x' }, 'segments.unknown_field'],
    ['operator the field does not take', { field: 'name', op: 'gt', value: 'x' }, 'segments.bad_op'],
    ['option not defined', { field: 'custom:plan', op: 'eq', value: 'Oro' }, 'segments.unknown_option'],
    ['number that is not', { field: 'custom:puntos', op: 'gt', value: 'abc' }, 'segments.bad_value'],
    ['missing value', { field: 'email', op: 'eq' }, 'segments.bad_value'],
    ['bad date', { field: 'created_at', op: 'gt', value: '2026-02-30' }, 'segments.bad_value'],
    ['campaign id that is not one', { field: 'campaign', op: 'has', value: 'abc' }, 'segments.bad_value'],
    ['any campaign without yes/no', { field: 'any_campaign', op: 'eq', value: 'maybe' }, 'segments.bad_value'],
    ['too deep', { all: [{ all: [{ all: [{ all: [{ all: [{ field: 'email', op: 'is_set' }] }] }] }] }] }, 'segments.too_deep'],
  ];
  for (const [name, cond, code] of errors) {
    it(`reports ${name} as ${code}`, async () => {
      await assert.rejects(async () => run(cond), (e: unknown) => e instanceof Invalid && e.code === code);
    });
  }
});
