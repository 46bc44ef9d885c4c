// What an import does to contacts that already exist (skip, fill empty
// fields, overwrite), to consent, tags, custom values and the timeline, and
// how the plan's contact limit cuts a file.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import type { HttpClient } from '../../../test/http.js';
import { insertCustomField } from '../fields-queries.js';
import { contactsByPhone, importFile, ownerClient, rejectedText } from './test-helpers.js';

const BASE = 'Nombre,Apellido,Teléfono,Correo,Cliente desde,Nivel\n' +
  'Ana,,+52 55 2000 0001,,2020-01-15,oro\n' +
  'Beto,Ruiz,+52 55 2000 0002,beto@viejo.mx,,plata\n';
const UPDATE = 'Nombre,Apellido,Teléfono,Correo,Cliente desde,Nivel\n' +
  'Ana María,Peña,+52 1 55 2000 0001,ana@nuevo.mx,2021-02-01,plata\n' +
  'Roberto,,5520000002,beto@nuevo.mx,15/03/2022,\n' +
  'Nueva,Persona,+52 55 2000 0003,,,\n';

describe('contacts import: dedupe rules, consent, custom values, plan limit', () => {
  let app: TestApp;
  let c: HttpClient;
  before(async () => {
    app = await startTestApp();
    c = await ownerClient(app);
    await insertCustomField(app.deps.db, { key: 'since', label: 'Cliente desde', type: 'date', options: [], position: 1 }, app.clock.now());
    await insertCustomField(app.deps.db, { key: 'level', label: 'Nivel', type: 'select', options: ['Oro', 'Plata'], position: 2 }, app.clock.now());
  });
  after(() => app.close());
  beforeEach(async () => {
    await app.deps.db('contacts').delete();
  });

  const map = { 'Cliente desde': 'custom:since', Nivel: 'custom:level' };

  it('skip: existing contacts stay as they are; only new ones are added', async () => {
    await importFile(app, c, 'base.csv', BASE, { map });
    const job = await importFile(app, c, 'update.csv', UPDATE, { map, dedupe: 'skip' });
    assert.deepEqual([job.inserted, job.updated, job.skipped, job.rejected], [1, 0, 2, 0]);
    const byPhone = await contactsByPhone(app);
    assert.equal(byPhone.get('+525520000001')!.display_name, 'Ana');
    assert.equal(byPhone.get('+525520000002')!.email, 'beto@viejo.mx');
    assert.equal(byPhone.size, 3);
  });

  it('fill_empty: only blank fields and unset custom values are filled', async () => {
    await importFile(app, c, 'base.csv', BASE, { map });
    const job = await importFile(app, c, 'update.csv', UPDATE, { map, dedupe: 'fill_empty' });
    assert.deepEqual([job.inserted, job.updated, job.skipped], [1, 2, 0]);
    const byPhone = await contactsByPhone(app);
    const ana = byPhone.get('+525520000001')!;
    assert.deepEqual([ana.first_name, ana.last_name, ana.email, ana.display_name], ['Ana', 'Peña', 'ana@nuevo.mx', 'Ana Peña']);
    assert.deepEqual(JSON.parse(String(ana.custom)), { since: '2020-01-15', level: 'Oro' });
    const beto = byPhone.get('+525520000002')!;
    assert.deepEqual([beto.first_name, beto.email], ['Beto', 'beto@viejo.mx']);
    assert.deepEqual(JSON.parse(String(beto.custom)), { level: 'Plata', since: '2022-03-15' });
    const values = await app.deps.db('contact_values').where({ contact_id: beto.id }).orderBy('field_id').select('text_value', 'num_value');
    assert.deepEqual(values, [{ text_value: '2022-03-15', num_value: Date.UTC(2022, 2, 15) }, { text_value: 'Plata', num_value: null }]);
    assert.match(String(ana.search_text), /ana pena ana@nuevo\.mx 525520000001/);
  });

  it('overwrite: every value the file gives replaces the stored one; empty cells never blank a field', async () => {
    await importFile(app, c, 'base.csv', BASE, { map });
    const job = await importFile(app, c, 'update.csv', UPDATE, { map, dedupe: 'overwrite' });
    assert.deepEqual([job.inserted, job.updated], [1, 2]);
    const byPhone = await contactsByPhone(app);
    const ana = byPhone.get('+525520000001')!;
    assert.deepEqual([ana.display_name, ana.email, ana.sort_name], ['Ana María Peña', 'ana@nuevo.mx', 'ana maria pena']);
    assert.deepEqual(JSON.parse(String(ana.custom)), { since: '2021-02-01', level: 'Plata' });
    const beto = byPhone.get('+525520000002')!;
    assert.deepEqual([beto.first_name, beto.last_name, beto.email], ['Roberto', 'Ruiz', 'beto@nuevo.mx']);
    assert.deepEqual(JSON.parse(String(beto.custom)), { since: '2022-03-15', level: 'Plata' });
    const anaValues = await app.deps.db('contact_values').where({ contact_id: ana.id }).count({ n: '*' }).first();
    assert.equal(Number(anaValues!.n), 2, 'replaced, not added');
    const activity = await app.deps.db('contact_activity').where({ contact_id: ana.id, kind: 'import' }).orderBy('id').pluck('summary');
    assert.equal(activity.length, 2, 'one timeline row per import');
    assert.deepEqual(JSON.parse(activity[1]).fields.sort(), ['custom:level', 'custom:since', 'display_name', 'email', 'first_name', 'last_name'].sort());
  });

  it('rejects a value a typed custom field cannot hold, naming the field', async () => {
    const job = await importFile(app, c, 'malo.csv', 'Teléfono,Nivel,Cliente desde\n+52 55 2000 0005,Bronce,\n+52 55 2000 0006,,31/02/2020\n', { map });
    assert.deepEqual([job.inserted, job.rejected], [0, 2]);
    const text = rejectedText(job);
    assert.match(text, /\+52 55 2000 0005,Bronce,,2,"?Nivel: .*\(Bronce\)/);
    assert.match(text, /\+52 55 2000 0006,,31\/02\/2020,3,"?Cliente desde: .*\(31\/02\/2020\)/);
  });

  it('opt-in checkbox: ledger rows with source import, tags for every row; an opted-out contact stays out', async () => {
    await importFile(app, c, 'base.csv', 'Teléfono,Acepta\n+52 55 2000 0001,no\n');
    const job = await importFile(app, c, 'feria.csv', 'Teléfono,Etiquetas\n+52 55 2000 0001,vip\n+52 55 2000 0007,\n', { opt_in: true, tags: 'Feria 2026, prospecto', dedupe: 'overwrite' });
    assert.deepEqual([job.inserted, job.updated], [1, 1]);
    const byPhone = await contactsByPhone(app);
    assert.equal(byPhone.get('+525520000001')!.opt_in, 'opted_out', 'an import never re-subscribes an opt-out');
    const fresh = byPhone.get('+525520000007')!;
    assert.deepEqual([fresh.opt_in, fresh.opt_in_source], ['opted_in', 'import']);
    const ledger = await app.deps.db('consent_events').where({ contact_id: fresh.id });
    assert.deepEqual(ledger.map((e) => [e.status, e.source, e.actor, e.detail]), [['opted_in', 'import', 'ana@clinica.mx', `import #${job.id}`]]);
    const tagsOf = (id: unknown) => app.deps.db('contact_tags').join('tags', 'tags.id', 'contact_tags.tag_id').where('contact_id', Number(id)).orderBy('name_key').pluck('name');
    assert.deepEqual(await tagsOf(fresh.id), ['Feria 2026', 'prospecto']);
    assert.deepEqual(await tagsOf(byPhone.get('+525520000001')!.id), ['Feria 2026', 'prospecto', 'vip']);
  });

  it('a row whose phone is already held by a contact under another key is skipped, not a failed batch', async () => {
    const now = app.clock.now();
    await app.deps.db('contacts').insert({ phone: '+525520000009', wa_key: '999000111', display_name: 'Legado', sort_name: 'legado', search_text: 'legado', created_at: now, updated_at: now });
    const job = await importFile(app, c, 'legado.csv', 'Nombre,Teléfono\nOtra,+52 55 2000 0009\nNueva,+52 55 2000 0010\n', { dedupe: 'overwrite' });
    assert.deepEqual([job.status, job.inserted, job.updated, job.skipped, job.rejected], ['done', 1, 0, 1, 0]);
    assert.equal((await contactsByPhone(app)).get('+525520000009')!.display_name, 'Legado');
  });

  it('stops at the plan\'s contact limit: rows over it are rejected with that reason, updates still apply', async () => {
    const limit = (await app.deps.plans.limit('contacts'))!;
    const now = app.clock.now();
    const filler = Array.from({ length: limit - 2 }, (_, i) => {
      const n = String(30000000 + i);
      return { phone: `+5255${n}`, wa_key: `5255${n}`, display_name: n, sort_name: n, search_text: n, created_at: now, updated_at: now };
    });
    for (let i = 0; i < filler.length; i += 500) await app.deps.db('contacts').insert(filler.slice(i, i + 500));
    const csv = 'Nombre,Teléfono\nYa,+52 55 3000 0000\nUno,+52 55 2000 0011\nDos,+52 55 2000 0012\nTres,+52 55 2000 0013\nCuatro,+52 55 2000 0014\n';
    const job = await importFile(app, c, 'limite.csv', csv, { dedupe: 'overwrite' });
    assert.deepEqual([job.inserted, job.updated, job.rejected], [2, 1, 2]);
    assert.equal(Number((await app.deps.db('contacts').count({ n: '*' }).first())!.n), limit);
    const text = rejectedText(job);
    assert.match(text, /Tres,\+52 55 2000 0013,5,Supera el límite de 5000 contactos de tu plan/);
    assert.match(text, /Cuatro,\+52 55 2000 0014,6,Supera el límite/);
  });
});
