// Contacts over HTTP: create/edit with per-field errors, LatAm duplicates,
// custom values of every type, tags, notes, consent ledger, timeline, audit,
// escaping and permissions. Runs on SQLite and Postgres.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { installed, seedContact, signedIn, textOf, type Session } from './test-support.js';

let s: Session;
before(async () => { s = await installed(); });
after(async () => { await s.app.close(); });

const post = (path: string, form: Record<string, string | string[]>, from = '/contacts/new') => s.owner.post(path, form, { csrfFrom: from });

describe('create and validate', () => {
  it('creates a contact with a national number using the default country (MX)', async () => {
    const r = await post('/contacts', { phone: '55 1111 2222', first_name: 'José', last_name: 'Muñoz', email: 'Jose@Example.MX', tags: 'vip, Clientes', opt_in: 'opted_in' });
    assert.equal(r.status, 302);
    const id = Number(/\/contacts\/(\d+)/.exec(r.location!)![1]);
    const row = await s.app.deps.db('contacts').where({ id }).first();
    assert.equal(row.phone, '+525511112222');
    assert.equal(row.email, 'jose@example.mx');
    assert.equal(row.search_text, 'jose munoz jose@example.mx 525511112222');
    assert.equal(row.timezone, 'America/Mexico_City');
    assert.equal(row.opt_in, 'opted_in');
    const page = await s.owner.get(r.location!);
    const text = textOf(page.text);
    assert.match(text, /José Muñoz/);
    assert.match(text, /Clientes/);
    assert.match(text, /Acepta/);
    assert.match(text, /Contacto creado/);
    const ledger = await s.app.deps.db('consent_events').where({ contact_id: id });
    assert.equal(ledger.length, 1);
    assert.equal(ledger[0].source, 'agent');
    assert.equal(ledger[0].actor, 'ana@clinica.mx');
    const audit = await s.app.deps.db('audit_log').where({ action: 'contact.created', entity_id: String(id) });
    assert.equal(audit.length, 1);
  });

  it('says what is wrong with a phone, in Spanish, and keeps the typed values', async () => {
    await s.owner.post('/settings/fields/country', { country: '' }, { csrfFrom: '/settings/fields' });
    const r = await post('/contacts', { phone: '55 1234 5678', first_name: 'Sin País' });
    assert.equal(r.status, 422);
    assert.match(r.text, /Falta el código de país/);
    assert.match(r.text, /aria-invalid="true"/);
    assert.match(r.text, /value="Sin País"/);
    const short = await post('/contacts', { phone: '+52 55 12' });
    assert.match(short.text, /El teléfono es demasiado corto/);
    const email = await post('/contacts', { phone: '+52 55 3333 4444', email: 'no-es-correo' });
    assert.equal(email.status, 422);
    assert.match(email.text, /e-mail|correo/i);
    await s.owner.post('/settings/fields/country', { country: 'MX' }, { csrfFrom: '/settings/fields' });
  });

  const variants: Array<[string, string, string]> = [
    ['Mexico +52 1', '+52 1 55 1234 5678', '+52 55 1234 5678'],
    ['Argentina +54 9', '+54 9 11 2345 6789', '+54 11 2345 6789'],
    ['Brazil ninth digit', '+55 11 98765 4321', '+55 11 8765 4321'],
  ];
  for (const [name, first, second] of variants) {
    it(`resolves ${name} spellings to one contact and links the existing one`, async () => {
      const a = await post('/contacts', { phone: first, first_name: `Primero ${name}` });
      assert.equal(a.status, 302);
      const id = /\/contacts\/(\d+)/.exec(a.location!)![1];
      const b = await post('/contacts', { phone: second, first_name: 'Segundo' });
      assert.equal(b.status, 409);
      assert.ok(textOf(b.text).includes(`Ya existe un contacto con este número: Primero ${name}`));
      assert.match(b.text, new RegExp(`<a href="/contacts/${id}">`));
    });
  }

  it('escapes HTML in names and notes everywhere', async () => {
    const c = await seedContact(s.app.deps, { phone: '+52 55 9999 0000', first_name: '<script>alert(1)</script>', last_name: '<b>x</b>' });
    const n = await s.owner.post(`/contacts/${c.id}/notes`, { body: '<img src=x onerror=alert(2)>' }, { csrfFrom: `/contacts/${c.id}` });
    assert.equal(n.status, 302);
    for (const path of [`/contacts/${c.id}`, '/contacts?q=alert', `/contacts/${c.id}/edit`]) {
      const page = await s.owner.get(path);
      assert.equal(page.status, 200, path);
      assert.ok(!page.text.includes('<script>alert(1)'), path);
      assert.ok(!page.text.includes('<img src=x'), path);
      assert.ok(!page.text.includes('<b>x</b>'), path);
      assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, path);
    }
  });
});

describe('custom fields, tags, notes, consent and timeline', () => {
  let id: number;
  before(async () => {
    const defs = [
      { key: 'ciudad', label: 'Ciudad', type: 'text' }, { key: 'puntos', label: 'Puntos', type: 'number' },
      { key: 'nacimiento', label: 'Nacimiento', type: 'date' }, { key: 'activo', label: 'Activo', type: 'boolean' },
      { key: 'plan', label: 'Plan', type: 'select', options: 'Básico\nPremium' }, { key: 'intereses', label: 'Intereses', type: 'multiselect', options: 'Dental\nOrtodoncia' },
    ];
    for (const d of defs) {
      const r = await s.owner.post('/settings/fields', { options: '', ...d }, { csrfFrom: '/settings/fields' });
      assert.equal(r.status, 302, `field ${d.key}`);
    }
    id = (await seedContact(s.app.deps, { phone: '+52 81 1234 0001', first_name: 'Lupe' })).id;
  });

  it('saves a value of every type and shows them', async () => {
    const r = await s.owner.post(`/contacts/${id}`, {
      phone: '+52 81 1234 0001', first_name: 'Lupe', last_name: 'Núñez', tags: 'nueva-etiqueta',
      'custom.ciudad': 'Monterrey', 'custom.puntos': '1234,5', 'custom.nacimiento': '1990-05-10', 'custom.activo': 'true',
      'custom.plan': 'premium', 'custom.intereses': ['', 'Dental', 'Ortodoncia'],
    }, { csrfFrom: `/contacts/${id}/edit` });
    assert.equal(r.status, 302, r.text.slice(0, 400));
    const row = await s.app.deps.db('contacts').where({ id }).first();
    assert.deepEqual(JSON.parse(row.custom), { ciudad: 'Monterrey', puntos: 1234.5, nacimiento: '1990-05-10', activo: true, plan: 'Premium', intereses: ['Dental', 'Ortodoncia'] });
    assert.equal((await s.app.deps.db('contact_values').where({ contact_id: id })).length, 7);
    const text = textOf((await s.owner.get(`/contacts/${id}`)).text);
    assert.match(text, /Monterrey/);
    assert.match(text, /1,234\.5|1234,5|1\.234,5/);
    assert.match(text, /Premium/);
    assert.match(text, /Dental, Ortodoncia/);
    assert.match(text, /nueva-etiqueta/);
    assert.match(text, /Cambios: /);
    assert.ok(await s.app.deps.db('tags').where({ name: 'nueva-etiqueta' }).first());
  });

  it('gives per-field errors for bad custom values', async () => {
    const r = await s.owner.post(`/contacts/${id}`, {
      phone: '+52 81 1234 0001', 'custom.puntos': 'muchos', 'custom.nacimiento': '31/02/2020', 'custom.plan': 'Oro',
    }, { csrfFrom: `/contacts/${id}/edit` });
    assert.equal(r.status, 422);
    assert.match(r.text, /Escribe un número/);
    assert.match(r.text, /Escribe una fecha/);
    assert.match(r.text, /Elige una de las opciones de Plan/);
  });

  it('adds notes and records consent in the ledger and the timeline', async () => {
    await s.owner.post(`/contacts/${id}/notes`, { body: 'Llamar después de las 5' }, { csrfFrom: `/contacts/${id}` });
    const empty = await s.owner.post(`/contacts/${id}/notes`, { body: '  ' }, { csrfFrom: `/contacts/${id}` });
    assert.equal(empty.status, 422);
    await s.owner.post(`/contacts/${id}/consent`, { status: 'opted_in', detail: 'lo pidió por teléfono' }, { csrfFrom: `/contacts/${id}` });
    await s.owner.post(`/contacts/${id}/consent`, { status: 'opted_out' }, { csrfFrom: `/contacts/${id}` });
    const row = await s.app.deps.db('contacts').where({ id }).first();
    assert.equal(row.opt_in, 'opted_out');
    assert.equal(row.opt_in_source, 'agent');
    const ledger = await s.app.deps.db('consent_events').where({ contact_id: id }).orderBy('id');
    assert.deepEqual(ledger.map((e: { status: string }) => e.status), ['opted_in', 'opted_out']);
    assert.equal(ledger[0].detail, 'lo pidió por teléfono');
    const text = textOf((await s.owner.get(`/contacts/${id}`)).text);
    assert.match(text, /Llamar después de las 5/);
    assert.match(text, /Se dio de baja \(personal\)/);
    assert.match(text, /Aceptó recibir mensajes \(personal\)/);
    const kinds = (await s.app.deps.db('contact_activity').where({ contact_id: id })).map((a: { kind: string }) => a.kind);
    for (const k of ['created', 'change', 'note', 'consent']) assert.ok(kinds.includes(k), k);
  });

  it('deletes a contact (manager) with a confirmation on the button', async () => {
    const c = await seedContact(s.app.deps, { phone: '+52 81 1234 0002', first_name: 'Borrar' });
    const page = await s.owner.get(`/contacts/${c.id}`);
    assert.match(page.text, /data-confirm="¿Eliminar a Borrar/);
    const r = await s.owner.post(`/contacts/${c.id}/delete`, {}, { csrfFrom: `/contacts/${c.id}` });
    assert.equal(r.status, 302);
    assert.equal(await s.app.deps.db('contacts').where({ id: c.id }).first(), undefined);
    assert.equal((await s.owner.get(`/contacts/${c.id}`)).status, 404);
  });
});

describe('plan limit and language', () => {
  it('refuses a contact past the plan limit with a 402 and a message', async () => {
    const db = s.app.deps.db;
    const have = Number((await db('contacts').count({ n: '*' }).first())!.n);
    const rows = [];
    for (let i = have; i < 5000; i++) {
      const phone = `+5233${String(10_000_000 + i)}`;
      rows.push({ phone, wa_key: phone.slice(1), display_name: phone, sort_name: phone, search_text: phone.slice(1), created_at: 1, updated_at: 1 });
    }
    for (let k = 0; k < rows.length; k += 500) await db('contacts').insert(rows.slice(k, k + 500));
    const r = await post('/contacts', { phone: '+52 33 9999 0000', first_name: 'Uno más' });
    assert.equal(r.status, 402);
    assert.match(textOf(r.text), /5000|5,000|5\.000/);
    assert.equal(await db('contacts').where({ phone: '+523399990000' }).first(), undefined);
    await db('contacts').where('created_at', 1).delete();
  });

  it('speaks English to an English-speaking user', async () => {
    const en = await signedIn(s.app, 'agent', 'en');
    const list = textOf((await en.get('/contacts')).text);
    assert.match(list, /Search by name, phone or e-mail/);
    assert.match(list, /Act on every matching contact/);
    const r = await en.post('/contacts', { phone: '+52 55 12' }, { csrfFrom: '/contacts/new' });
    assert.match(r.text, /Phone number is too short/);
  });
});

describe('permissions', () => {
  it('lets a viewer read but not edit, and an agent edit but not delete', async () => {
    const c = await seedContact(s.app.deps, { phone: '+52 81 1234 0003', first_name: 'Permisos' });
    const viewer = await signedIn(s.app, 'viewer');
    assert.equal((await viewer.get(`/contacts/${c.id}`)).status, 200);
    assert.doesNotMatch((await viewer.get(`/contacts/${c.id}`)).text, /\/edit"/);
    assert.equal((await viewer.get(`/contacts/${c.id}/edit`)).status, 403);
    const token = await viewer.csrf(`/contacts/${c.id}`);
    assert.equal((await viewer.post(`/contacts/${c.id}`, { phone: '+52 81 1234 0003', first_name: 'Hack' }, { csrf: token })).status, 403);
    assert.equal((await viewer.post(`/contacts/${c.id}/notes`, { body: 'x' }, { csrf: token })).status, 403);
    const agent = await signedIn(s.app, 'agent');
    assert.equal((await agent.post(`/contacts/${c.id}`, { phone: '+52 81 1234 0003', first_name: 'Editado' }, { csrfFrom: `/contacts/${c.id}/edit` })).status, 302);
    const del = await agent.post(`/contacts/${c.id}/delete`, {}, { csrfFrom: `/contacts/${c.id}` });
    assert.equal(del.status, 403);
    assert.ok(await s.app.deps.db('contacts').where({ id: c.id }).first());
    assert.doesNotMatch((await agent.get(`/contacts/${c.id}`)).text, /\/delete"/);
  });
});
