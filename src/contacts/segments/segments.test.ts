// Segments over HTTP: builder count endpoint, save/edit/delete, "view
// contacts", and a condition on a deleted custom field or tag reported, not
// crashed on. SQLite and Postgres.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { installed, listedIds, seedContact, signedIn, textOf, type Session } from '../test-support.js';

let s: Session;
let csrf: string;
const ids: Record<string, number> = {};

async function count(definition: unknown) {
  return s.owner.json('POST', '/segments/count', { definition }, { 'x-csrf-token': csrf, accept: 'application/json' });
}

before(async () => {
  s = await installed();
  for (const f of [{ key: 'ciudad', label: 'Ciudad', type: 'text', options: '' }, { key: 'plan', label: 'Plan', type: 'select', options: 'Básico\nPremium' }]) {
    assert.equal((await s.owner.post('/settings/fields', f, { csrfFrom: '/settings/fields' })).status, 302);
  }
  ids.a = (await seedContact(s.app.deps, { phone: '+52 55 1000 0001', first_name: 'Ana', tags: ['vip'], custom: { ciudad: 'Puebla', plan: 'Premium' } }, 'opted_in')).id;
  ids.b = (await seedContact(s.app.deps, { phone: '+52 55 1000 0002', first_name: 'Beto', tags: ['vip'], custom: { ciudad: 'León', plan: 'Básico' } })).id;
  ids.c = (await seedContact(s.app.deps, { phone: '+52 55 1000 0003', first_name: 'Cris', custom: { ciudad: 'Puebla' } }, 'opted_in')).id;
  csrf = await s.owner.csrf('/segments/new');
});
after(async () => { await s.app.close(); });

describe('segments', () => {
  it('counts live while editing, and explains a bad tree instead of failing', async () => {
    const r = await count({ all: [{ field: 'custom:ciudad', op: 'eq', value: 'puebla' }, { field: 'opt_in', op: 'eq', value: 'opted_in' }] });
    assert.equal(r.status, 200);
    assert.equal(r.json<{ count: number }>().count, 2);
    assert.equal(r.json<{ text: string }>().text, '2 contactos coinciden');
    const bad = await count({ all: [{ field: 'custom:nope', op: 'eq', value: 'x' }] });
    assert.equal(bad.status, 422);
    assert.match(bad.json<{ error: string }>().error, /«nope», que ya no existe/);
    const shape = await count({ all: [{ field: 'name', op: 'explode' }] });
    assert.equal(shape.status, 422);
  });

  it('offers the campaigns that have messages in the builder and counts campaign rules', async () => {
    const db = s.app.deps.db;
    const now = s.app.clock.now();
    const [num] = await db('wa_numbers').insert({
      label: 'Recepción', phone_number_id: '5001', waba_id: '6002', display_phone: '+52 55 0000 0000', access_token_enc: 'x',
      app_secret_enc: 'x', verify_token: 'v', created_at: now, updated_at: now,
    }, ['id']);
    const [conv] = await db('conversations').insert({ contact_id: ids.a, number_id: num.id, last_message_at: now, created_at: now, updated_at: now }, ['id']);
    for (const campaign of [41, 41, 57]) {
      await db('messages').insert({ conversation_id: conv.id, contact_id: ids.a, number_id: num.id, direction: 'out', type: 'template', status: 'delivered', campaign_id: campaign, created_at: now });
    }
    const page = await s.owner.get('/segments/new');
    const meta = JSON.parse(/data-meta="([^"]+)"/.exec(page.text)![1]!.replace(/&#34;/g, '"').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
    assert.equal(meta.maxDepth, 4);
    const picker = meta.fields.find((f: { field: string }) => f.field === 'campaign');
    assert.deepEqual(picker.choices, [{ value: 57, label: 'Campaña n.º 57' }, { value: 41, label: 'Campaña n.º 41' }]);
    assert.equal((await count({ field: 'campaign', op: 'has', value: [41] })).json<{ count: number }>().count, 1);
    assert.equal((await count({ field: 'any_campaign', op: 'eq', value: false })).json<{ count: number }>().count, 2);
    assert.equal((await count({ field: 'campaign', op: 'has', value: 'x' })).status, 422);
  });

  it('filters the list by a custom field value', async () => {
    assert.deepEqual(listedIds((await s.owner.get('/contacts?cf=ciudad&cv=pueb')).text).sort(), [ids.a!, ids.c!].sort());
    assert.deepEqual(listedIds((await s.owner.get('/contacts?cf=plan&cv=premium')).text), [ids.a!]);
    assert.deepEqual(listedIds((await s.owner.get('/contacts?cf=plan')).text).sort(), [ids.a!, ids.b!].sort());
  });

  it('saves a segment with AND/OR groups and lists its contacts', async () => {
    const vip = (await s.app.deps.db('tags').where({ name: 'vip' }).first()).id;
    const definition = { any: [{ all: [{ field: 'tag', op: 'has', value: vip }, { field: 'custom:plan', op: 'eq', value: 'Premium' }] }, { field: 'name', op: 'contains', value: 'cris' }] };
    const r = await s.owner.post('/segments', { name: 'Premium o Cris', definition: JSON.stringify(definition) }, { csrf });
    assert.equal(r.status, 302);
    const seg = await s.app.deps.db('segments').where({ name: 'Premium o Cris' }).first();
    assert.deepEqual(JSON.parse(seg.definition), definition);
    const list = await s.owner.get('/segments');
    assert.match(textOf(list.text), /Premium o Cris/);
    assert.match(list.text, /data-segment-count="\/segments\/\d+\/count"/);
    const c = await s.owner.get(`/segments/${seg.id}/count`);
    assert.equal(c.json<{ count: number }>().count, 2);
    const page = await s.owner.get(`/contacts?segment=${seg.id}`);
    assert.deepEqual(listedIds(page.text).sort(), [ids.a!, ids.c!].sort());
    assert.match(textOf(page.text), /Mostrando los contactos del segmento «Premium o Cris»/);
    const edit = await s.owner.get(`/segments/${seg.id}`);
    assert.equal(edit.status, 200);
    assert.match(edit.text, /data-meta="/);
    assert.match(edit.text, /<script src="\/assets\/js\/segments.js" defer><\/script>/);
    assert.doesNotMatch(edit.text, /<script>/);
  });

  it('refuses to save what cannot run, with the reason', async () => {
    const json = await s.owner.post('/segments', { name: 'Roto', definition: '{no json' }, { csrf });
    assert.equal(json.status, 422);
    assert.match(json.text, /no es un JSON válido/);
    const unknown = await s.owner.post('/segments', { name: 'Roto', definition: JSON.stringify({ all: [{ field: 'custom:borrado', op: 'eq', value: 1 }] }) }, { csrf });
    assert.equal(unknown.status, 422);
    assert.match(unknown.text, /«borrado», que ya no existe/);
    const dup = await s.owner.post('/segments', { name: 'Premium o Cris', definition: '{"all":[]}' }, { csrf });
    assert.match(dup.text, /Ya hay otro segmento con este nombre/);
  });

  it('reports a deleted custom field and a deleted tag on the segment, never a 500', async () => {
    const vip = (await s.app.deps.db('tags').where({ name: 'vip' }).first()).id;
    const r = await s.owner.post('/segments', { name: 'Por ciudad', definition: JSON.stringify({ all: [{ field: 'custom:ciudad', op: 'eq', value: 'Puebla' }, { field: 'tag', op: 'has', value: vip }] }) }, { csrf });
    assert.equal(r.status, 302);
    const seg = await s.app.deps.db('segments').where({ name: 'Por ciudad' }).first();
    const field = await s.app.deps.db('custom_fields').where({ key: 'ciudad' }).first();
    assert.equal((await s.owner.post(`/settings/fields/${field.id}/delete`, {}, { csrfFrom: '/settings/fields' })).status, 302);
    assert.equal((await s.owner.post(`/contacts/tags/${vip}/delete`, {}, { csrfFrom: '/contacts/tags' })).status, 302);
    const list = await s.owner.get('/segments');
    assert.equal(list.status, 200);
    assert.match(textOf(list.text), /Por ciudad Revisar Usa una etiqueta que se eliminó/);
    assert.match(textOf(list.text), /Usa el campo personalizado «ciudad», que ya no existe/);
    const edit = await s.owner.get(`/segments/${seg.id}`);
    assert.equal(edit.status, 200);
    assert.match(textOf(edit.text), /Este segmento necesita atención/);
    const c = await s.owner.get(`/segments/${seg.id}/count`);
    assert.equal(c.status, 422);
    const contacts = await s.owner.get(`/contacts?segment=${seg.id}`);
    assert.equal(contacts.status, 422);
    assert.match(textOf(contacts.text), /que ya no existe/);
  });

  it('lets a viewer see segments but not change them; deletes with confirmation', async () => {
    const viewer = await signedIn(s.app, 'viewer');
    assert.equal((await viewer.get('/segments')).status, 200);
    assert.equal((await viewer.get('/segments/new')).status, 403);
    assert.doesNotMatch((await viewer.get('/segments')).text, /\/delete"/);
    const seg = await s.app.deps.db('segments').where({ name: 'Premium o Cris' }).first();
    const token = await viewer.csrf('/segments');
    assert.equal((await viewer.post(`/segments/${seg.id}/delete`, {}, { csrf: token })).status, 403);
    assert.match((await s.owner.get('/segments')).text, /data-confirm="¿Eliminar el segmento Premium o Cris\?/);
    assert.equal((await s.owner.post(`/segments/${seg.id}/delete`, {}, { csrf })).status, 302);
    assert.equal(await s.app.deps.db('segments').where({ id: seg.id }).first(), undefined);
    assert.equal((await s.owner.get(`/segments/${seg.id}`)).status, 404);
  });
});
