// The contacts list's custom field conditions over HTTP: several at once
// (AND), per-type operators (text contains/equals, number and date ranges,
// yes/no, options), the older single cf/cv pair, the query string that export
// and bulk actions reuse, and clear messages for a deleted field or a bad
// value. SQLite and Postgres.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { auditAs } from '../audit/context.js';
import { SYSTEM_ACTOR } from '../audit/service.js';
import { createField, removeField } from './fields-service.js';
import { filterFromQuery } from './list-filter.js';
import { contactIdsQuery } from './segments/compile.js';
import { installed, listedIds, seedContact, textOf, type Session } from './test-support.js';

let s: Session;
const byName = new Map<string, number>();

const PEOPLE: Array<[string, Record<string, unknown>]> = [
  ['Ana', { ciudad: 'Ciudad de México', puntos: 150, alta: '2026-01-15', activo: true, plan: 'Premium', intereses: ['Dental', 'Ortodoncia'] }],
  ['Beto', { ciudad: 'Monterrey', puntos: 20, alta: '2025-06-01', activo: false, plan: 'Básico', intereses: ['Dental'] }],
  ['Caro', { ciudad: 'México', puntos: 600, alta: '2026-03-10', activo: true, plan: 'Básico' }],
  ['Dani', { ciudad: 'Guadalajara', puntos: 300 }],
  ['Eva', {}],
];

before(async () => {
  s = await installed();
  const deps = s.app.deps;
  const audit = auditAs(SYSTEM_ACTOR, deps.clock);
  const fields: Array<[string, string, string, string[]]> = [
    ['ciudad', 'Ciudad', 'text', []], ['puntos', 'Puntos', 'number', []], ['alta', 'Alta', 'date', []], ['activo', 'Activo', 'boolean', []],
    ['plan', 'Plan', 'select', ['Básico', 'Premium']], ['intereses', 'Intereses', 'multiselect', ['Dental', 'Ortodoncia']],
    ['borrable', 'Borrable', 'text', []],
  ];
  for (const [key, label, type, options] of fields) await createField(deps, { key, label, type: type as 'text', options }, audit);
  for (const [i, [name, custom]] of PEOPLE.entries()) {
    const c = await seedContact(deps, { phone: `+52 55 4100 ${String(1000 + i)}`, first_name: name, custom });
    byName.set(name, c.id);
  }
});
after(async () => { await s.app.close(); });

const names = (ids: number[]) => [...byName].filter(([, id]) => ids.includes(id)).map(([n]) => n).sort();

async function listed(qs: string): Promise<string[]> {
  const r = await s.owner.get(`/contacts?${qs}`);
  assert.equal(r.status, 200, `${qs}: ${textOf(r.text).slice(0, 300)}`);
  return names(listedIds(r.text));
}

describe('custom field conditions on the list', () => {
  const cases: Array<[string, string, string[]]> = [
    ['text contains, accent-free', 'cf1=ciudad&co1=contains&cv1=mexico', ['Ana', 'Caro']],
    ['text equals', 'cf1=ciudad&co1=eq&cv1=MÉXICO', ['Caro']],
    ['number range', 'cf1=puntos&co1=range&cv1=100&cw1=400', ['Ana', 'Dani']],
    ['number from only', 'cf1=puntos&co1=range&cv1=300', ['Caro', 'Dani']],
    ['number to only, decimal comma', 'cf1=puntos&co1=range&cw1=20,5', ['Beto']],
    ['number equals', 'cf1=puntos&co1=eq&cv1=600', ['Caro']],
    ['date range', 'cf1=alta&co1=range&cv1=2026-01-01&cw1=15/01/2026', ['Ana']],
    ['boolean', 'cf1=activo&co1=eq&cv1=false', ['Beto']],
    ['select in', 'cf1=plan&co1=in&cv1=premium&cv1=Básico', ['Ana', 'Beto', 'Caro']],
    ['multiselect in', 'cf1=intereses&co1=in&cv1=Ortodoncia', ['Ana']],
    ['is empty', 'cf1=plan&co1=is_not_set', ['Dani', 'Eva']],
    ['has a value', 'cf1=ciudad&co1=is_set', ['Ana', 'Beto', 'Caro', 'Dani']],
    ['three conditions AND', 'cf1=ciudad&co1=contains&cv1=mexico&cf2=puntos&co2=range&cv2=100&cw2=400&cf3=activo&co3=eq&cv3=true', ['Ana']],
    ['an empty panel row is skipped', 'cf1=plan&co1=in&cv1=Básico&cf2=&co2=contains&cv2=', ['Beto', 'Caro']],
    ['the older cf/cv pair', 'cf=ciudad&cv=monterrey', ['Beto']],
    ['the older cf without a value', 'cf=alta', ['Ana', 'Beto', 'Caro']],
  ];
  for (const [name, qs, expected] of cases) {
    it(name, async () => { assert.deepEqual(await listed(qs), expected); });
  }

  it('draws one row per condition plus an empty one, with the values kept', async () => {
    const r = await s.owner.get('/contacts?cf1=ciudad&co1=contains&cv1=mexico&cf2=plan&co2=in&cv2=Premium');
    assert.match(r.text, /<select id="f-cf1" name="cf1"[^>]*>[\s\S]*?<option value="ciudad"[^>]* selected>/);
    assert.match(r.text, /name="cv1" value="mexico"/);
    assert.match(r.text, /<select id="f-cv2" name="cv2" multiple[\s\S]*?<option value="Premium" selected>/);
    assert.match(r.text, /<select id="f-cf3" name="cf3"/);
    assert.doesNotMatch(r.text, /name="cf4"/);
    assert.match(r.text, /src="\/assets\/js\/contacts-filter\.js"/);
  });

  it('keeps every condition in the export link and the bulk form, which select the same contacts', async () => {
    const qs = 'cf1=ciudad&co1=contains&cv1=co&cf2=puntos&co2=range&cv2=100&cw2=700';
    const r = await s.owner.get(`/contacts?${qs}`);
    const href = /href="\/contacts\/export\?([^"]+)"/.exec(r.text)![1]!.replace(/&amp;/g, '&');
    assert.equal(href, qs);
    assert.deepEqual(names(listedIds(r.text)), ['Ana', 'Caro']);
    assert.match(r.text, /<input type="hidden" name="cw2" value="700">/);
    const audience = await filterFromQuery(s.app.deps, Object.fromEntries(new URLSearchParams(href)));
    const ids = (await contactIdsQuery(s.app.deps.db, audience.condition, audience.fields, audience.opts)).map((x: { id: number }) => Number(x.id));
    assert.deepEqual(names(ids), ['Ana', 'Caro']);
  });

  const errors: Array<[string, string, RegExp]> = [
    ['a number that is not one', 'cf1=puntos&co1=range&cv1=mucho', /«Puntos» lleva un número/],
    ['a date that is not one', 'cf1=alta&co1=eq&cv1=31/02/2026', /«Alta» lleva una fecha/],
    ['a comparison the type does not take', 'cf1=puntos&co1=contains&cv1=1', /no se puede usar con el campo «Puntos»/],
    ['a missing value', 'cf1=ciudad&co1=eq', /Escribe un valor para el campo «Ciudad»/],
    ['an option the field does not have', 'cf1=plan&co1=in&cv1=Oro', /«Oro» no es una opción del campo «Plan»/],
    ['an unknown operator', 'cf1=plan&co1=like&cv1=x', /.+/],
  ];
  for (const [name, qs, message] of errors) {
    it(`answers ${name} with a message, not a 500`, async () => {
      const r = await s.owner.get(`/contacts?${qs}`);
      assert.equal(r.status, 422);
      assert.match(textOf(r.text), message);
      assert.match(r.text, /data-custom-filters/, 'the panel is still there');
    });
  }

  it('reports a condition on a deleted custom field by name, and the panel drops it', async () => {
    assert.deepEqual(await listed('cf1=borrable&co1=is_not_set'), ['Ana', 'Beto', 'Caro', 'Dani', 'Eva']);
    const def = (await s.app.deps.db('custom_fields').where({ key: 'borrable' }).first()) as { id: number };
    await removeField(s.app.deps, Number(def.id), auditAs(SYSTEM_ACTOR, s.app.deps.clock));
    for (const qs of ['cf1=borrable&co1=is_not_set', 'cf=borrable&cv=x']) {
      const r = await s.owner.get(`/contacts?${qs}`);
      assert.equal(r.status, 422, qs);
      assert.match(textOf(r.text), /El campo personalizado «borrable» ya no existe/);
      assert.doesNotMatch(r.text, /value="borrable"/);
    }
  });
});
