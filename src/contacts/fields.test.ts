// Settings → Custom fields and Contacts → Tags over HTTP: key rules, plan
// limit, reorder, edit, delete with confirmation; tag rename/colour/delete.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { installed, seedContact, signedIn, textOf, type Session } from './test-support.js';

let s: Session;
before(async () => { s = await installed(); });
after(async () => { await s.app.close(); });

const addField = (f: Record<string, string>) => s.owner.post('/settings/fields', { options: '', type: 'text', ...f }, { csrfFrom: '/settings/fields' });

describe('custom fields', () => {
  it('enforces key rules with clear messages', async () => {
    const bad = await addField({ key: 'Mi Campo', label: 'Mi campo' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Usa minúsculas, dígitos y _/);
    assert.match(bad.text, /value="Mi Campo"/);
    assert.match((await addField({ key: 'email', label: 'Correo 2' })).text, /campo propio del contacto/);
    assert.equal((await addField({ key: 'ciudad', label: 'Ciudad' })).status, 302);
    assert.match((await addField({ key: 'ciudad', label: 'Otra' })).text, /Otro campo personalizado ya usa esta clave/);
    assert.match((await addField({ key: 'plan', label: 'Plan', type: 'select' })).text, /Agrega al menos una opción/);
  });

  it('edits label and options, refusing to drop an option still in use', async () => {
    assert.equal((await addField({ key: 'plan', label: 'Plan', type: 'select', options: 'Básico\nPremium' })).status, 302);
    const f = await s.app.deps.db('custom_fields').where({ key: 'plan' }).first();
    await seedContact(s.app.deps, { phone: '+52 55 2000 0001', custom: { plan: 'Premium' } });
    const drop = await s.owner.post(`/settings/fields/${f.id}`, { label: 'Plan', options: 'Básico' }, { csrfFrom: `/settings/fields/${f.id}` });
    assert.equal(drop.status, 422);
    assert.match(drop.text, /Algunos contactos aún tienen una opción que quitaste/);
    const ok = await s.owner.post(`/settings/fields/${f.id}`, { label: 'Plan contratado', options: 'Básico\nPremium\nEmpresa' }, { csrfFrom: `/settings/fields/${f.id}` });
    assert.equal(ok.status, 302);
    const after = await s.app.deps.db('custom_fields').where({ id: f.id }).first();
    assert.equal(after.label, 'Plan contratado');
    assert.deepEqual(JSON.parse(after.options), ['Básico', 'Premium', 'Empresa']);
  });

  it('reorders fields', async () => {
    const plan = await s.app.deps.db('custom_fields').where({ key: 'plan' }).first();
    assert.equal((await s.owner.post(`/settings/fields/${plan.id}/move`, { direction: 'up' }, { csrfFrom: '/settings/fields' })).status, 302);
    const order = await s.app.deps.db('custom_fields').orderBy('position').pluck('key');
    assert.deepEqual(order, ['plan', 'ciudad']);
    const page = await s.owner.get('/settings/fields');
    assert.ok(page.text.indexOf('Plan contratado') < page.text.indexOf('>Ciudad<'));
  });

  it('deletes a field and its values after a confirmation that gives the count', async () => {
    const plan = await s.app.deps.db('custom_fields').where({ key: 'plan' }).first();
    const page = await s.owner.get(`/settings/fields/${plan.id}`);
    assert.match(page.text, /data-confirm="¿Eliminar Plan contratado y los valores de 1 contactos\?/);
    assert.equal((await s.owner.post(`/settings/fields/${plan.id}/delete`, {}, { csrfFrom: `/settings/fields/${plan.id}` })).status, 302);
    assert.equal((await s.app.deps.db('contact_values').where({ field_id: plan.id })).length, 0);
    const c = await s.app.deps.db('contacts').where({ phone: '+525520000001' }).first();
    assert.equal((await s.owner.get(`/contacts/${c.id}`)).status, 200);
    assert.doesNotMatch(textOf((await s.owner.get(`/contacts/${c.id}`)).text), /Premium/);
  });

  it('stops at the plan limit with a message', async () => {
    for (let i = (await s.app.deps.db('custom_fields').count({ n: '*' }).first().then((r) => Number(r!.n))); i < 10; i++) {
      assert.equal((await addField({ key: `extra_${i}`, label: `Extra ${i}` })).status, 302);
    }
    const page = await s.owner.get('/settings/fields');
    assert.match(textOf(page.text), /10 de 10 campos personalizados/);
    assert.match(textOf(page.text), /Tu plan permite 10 campos personalizados/);
    const r = await addField({ key: 'once', label: 'Once' });
    assert.equal(r.status, 402);
    assert.equal(await s.app.deps.db('custom_fields').where({ key: 'once' }).first(), undefined);
  });

  it('is for admins only', async () => {
    const agent = await signedIn(s.app, 'agent');
    assert.equal((await agent.get('/settings/fields')).status, 403);
  });
});

describe('tags', () => {
  it('creates, renames, recolours and deletes tags', async () => {
    const c = await seedContact(s.app.deps, { phone: '+52 55 2000 0002', tags: ['Mayorista'] });
    assert.match((await s.owner.post('/contacts/tags', { name: 'mayorista', color: '#1d4ed8' }, { csrfFrom: '/contacts/tags' })).text, /Ya existe una etiqueta con este nombre/);
    const t = await s.app.deps.db('tags').where({ name: 'Mayorista' }).first();
    const page = await s.owner.get('/contacts/tags');
    assert.match(textOf(page.text), /Mayorista 1 contactos/);
    const r = await s.owner.post(`/contacts/tags/${t.id}`, { name: 'Mayoristas', color: '#be185d' }, { csrfFrom: '/contacts/tags' });
    assert.equal(r.status, 302);
    const after = await s.app.deps.db('tags').where({ id: t.id }).first();
    assert.equal(after.name, 'Mayoristas');
    assert.equal(after.color, '#be185d');
    assert.match((await s.owner.get(`/contacts/${c.id}`)).text, /class="tag tag-c3">Mayoristas</);
    assert.equal((await s.owner.post(`/contacts/tags/${t.id}`, { name: 'X', color: 'red' }, { csrfFrom: '/contacts/tags' })).status, 422);
    const agent = await signedIn(s.app, 'agent');
    assert.equal((await agent.post(`/contacts/tags/${t.id}/delete`, {}, { csrfFrom: '/contacts/tags' })).status, 403);
    assert.equal((await s.owner.post(`/contacts/tags/${t.id}/delete`, {}, { csrfFrom: '/contacts/tags' })).status, 302);
    assert.equal((await s.app.deps.db('contact_tags').where({ contact_id: c.id })).length, 0);
  });
});
