// Workflow in a thread: status changes and assignment (audited, announced on
// the event bus), and quick replies with {{variables}}.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { completeSetup, login, makeUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { HttpClient } from '../../test/http.js';
import type { User } from '../users/queries.js';
import { renderQuickReply } from './quick-replies.js';
import { seedContact, seedConversation, seedNumber } from './test-seed.js';

describe('conversation workflow', () => {
  let app: TestApp;
  let owner: HttpClient;
  let agent: User;
  let conv: number;
  const updates: number[] = [];

  before(async () => {
    app = await startTestApp();
    owner = app.client();
    await completeSetup(owner);
    agent = await makeUser(app.deps, 'agent', { name: 'Beto Agente' });
    const contactId = await seedContact(app.deps, '+5215511112222', { first: 'Lucía', last: 'Gómez', email: 'lucia@example.com' });
    await app.deps.db('custom_fields').insert({ key: 'ciudad', label: 'Ciudad', type: 'text', created_at: app.clock.now() });
    await app.deps.db('contacts').where({ id: contactId }).update({ custom: JSON.stringify({ ciudad: 'Puebla' }) });
    conv = await seedConversation(app.deps, contactId, await seedNumber(app.deps));
    app.deps.events.on('conversation.updated', (e) => updates.push(e.conversationId));
  });
  after(async () => app?.close());

  const row = () => app.deps.db('conversations').where({ id: conv }).first();
  const audits = (action: string) => app.deps.db('audit_log').where({ action, entity_type: 'conversation', entity_id: String(conv) }).orderBy('id');

  it('changes the status, audits it and announces it', async () => {
    updates.length = 0;
    const res = await owner.post(`/inbox/${conv}/status`, { status: 'pending', back: '?status=any' }, { csrfFrom: `/inbox/${conv}` });
    assert.equal(res.status, 303);
    assert.equal(res.location, `/inbox/${conv}?status=any`);
    assert.equal((await row()).status, 'pending');
    const [entry] = await audits('conversation.status_changed');
    assert.deepEqual(JSON.parse(entry.changes), { before: { status: 'open' }, after: { status: 'pending' } });
    assert.ok(entry.user_id, 'the acting user is recorded');
    assert.deepEqual(updates, [conv]);
    const page = await owner.get(res.location!);
    assert.match(page.text, /Conversación marcada como Pendiente\./);
    assert.equal((await owner.post(`/inbox/${conv}/status`, { status: 'archived' }, { csrfFrom: `/inbox/${conv}` })).status, 422);
  });

  it('assigns to an agent and back to nobody, audited', async () => {
    const res = await owner.post(`/inbox/${conv}/assign`, { assignee: String(agent.id) }, { csrfFrom: `/inbox/${conv}` });
    assert.equal(res.status, 303);
    assert.equal(Number((await row()).assigned_user_id), agent.id);
    const page = await owner.get(`/inbox/${conv}`);
    assert.match(page.text, /Conversación asignada a Beto Agente\./);
    assert.match(page.text, new RegExp(`<option value="${agent.id}" selected>Beto Agente</option>`));
    await owner.post(`/inbox/${conv}/assign`, { assignee: '' }, { csrfFrom: `/inbox/${conv}` });
    assert.equal((await row()).assigned_user_id, null);
    const entries = await audits('conversation.assigned');
    assert.equal(entries.length, 2);
    assert.deepEqual(JSON.parse(entries[0].changes).after, { assigned_user_id: agent.id, assigned_to: 'Beto Agente' });
    assert.deepEqual(JSON.parse(entries[1].changes).before, { assigned_user_id: agent.id, assigned_to: 'Beto Agente' });
  });

  it('refuses assignees who cannot reply or are inactive', async () => {
    const viewer = await makeUser(app.deps, 'viewer');
    const res = await owner.post(`/inbox/${conv}/assign`, { assignee: String(viewer.id) }, { csrfFrom: `/inbox/${conv}` });
    assert.equal(res.status, 422);
    assert.match(res.text, /Elige a un miembro activo del equipo que pueda responder\./);
    assert.doesNotMatch((await owner.get(`/inbox/${conv}`)).text, new RegExp(`<option value="${viewer.id}"`));
    const gone = await makeUser(app.deps, 'agent');
    await app.deps.db('users').where({ id: gone.id }).update({ active: false });
    assert.equal((await owner.post(`/inbox/${conv}/assign`, { assignee: String(gone.id) }, { csrfFrom: `/inbox/${conv}` })).status, 422);
    assert.equal((await row()).assigned_user_id, null);
  });

  it('lets an agent work the inbox but a viewer only read it', async () => {
    const a = app.client();
    await login(a, agent.email);
    assert.equal((await a.post(`/inbox/${conv}/status`, { status: 'closed' }, { csrfFrom: `/inbox/${conv}` })).status, 303);
    const viewer = await makeUser(app.deps, 'viewer');
    const v = app.client();
    await login(v, viewer.email);
    const token = await v.csrf('/account');
    assert.equal((await v.post(`/inbox/${conv}/status`, { status: 'open' }, { csrf: token })).status, 403);
    assert.equal((await v.post(`/inbox/${conv}/assign`, { assignee: '' }, { csrf: token })).status, 403);
    assert.equal((await row()).status, 'closed');
  });
});

describe('quick replies', () => {
  let app: TestApp;
  let owner: HttpClient;
  let conv: number;

  before(async () => {
    app = await startTestApp();
    owner = app.client();
    await completeSetup(owner, { name: 'Ana Dueña' });
    const contactId = await seedContact(app.deps, '+5215511112222', { first: 'Lucía', last: 'Gómez' });
    await app.deps.db('contacts').where({ id: contactId }).update({ custom: JSON.stringify({ ciudad: 'Puebla' }) });
    conv = await seedConversation(app.deps, contactId, await seedNumber(app.deps));
  });
  after(async () => app?.close());

  it('fills variables from the contact, the agent and the company', () => {
    const vars = { contact: { firstName: 'Lucía', lastName: 'Gómez', name: 'Lucía Gómez', phone: '+525511112222', email: null, custom: { ciudad: 'Puebla' } }, agentName: 'Ana', company: 'Sonrisa' };
    assert.equal(renderQuickReply('Hola {{first_name}} {{ last_name }}, soy {{agent_name}} de {{company}} ({{ciudad}}). {{desconocida}}', vars),
      'Hola Lucía Gómez, soy Ana de Sonrisa (Puebla). {{desconocida}}');
    assert.equal(renderQuickReply('{{email}}|{{FIRST_NAME}}', { ...vars, contact: { ...vars.contact, firstName: null } }), '|Lucía');
  });

  it('creates, lists, edits and deletes quick replies (audited)', async () => {
    const create = await owner.post('/settings/quick-replies', { shortcut: 'Horario', title: 'Horario', body: 'Hola {{first_name}}, abrimos de 9 a 18 h en {{ciudad}}.' }, { csrfFrom: '/settings/quick-replies/new' });
    assert.equal(create.status, 303);
    const qr = await app.deps.db('quick_replies').where({ shortcut: 'horario' }).first();
    assert.ok(qr, 'shortcut stored lower-cased');
    const list = await owner.get('/settings/quick-replies');
    assert.match(list.text, /\/horario/);
    const dup = await owner.post('/settings/quick-replies', { shortcut: 'horario', title: 'x', body: 'y' }, { csrfFrom: '/settings/quick-replies/new' });
    assert.equal(dup.status, 422);
    assert.match(dup.text, /El atajo \/horario ya existe\./);
    const bad = await owner.post('/settings/quick-replies', { shortcut: 'con espacio', title: '', body: '' }, { csrfFrom: '/settings/quick-replies/new' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Usa solo minúsculas, números, - y _\./);
    const edit = await owner.post(`/settings/quick-replies/${qr.id}`, { shortcut: 'horario', title: 'Horario de atención', body: 'Hola {{first_name}}, abrimos de 9 a 18 h en {{ciudad}}.' }, { csrfFrom: `/settings/quick-replies/${qr.id}` });
    assert.equal(edit.status, 303);
    assert.equal((await app.deps.db('quick_replies').where({ id: qr.id }).first()).title, 'Horario de atención');
    const actions = (await app.deps.db('audit_log').where({ entity_type: 'quick_reply' }).orderBy('id')).map((r: { action: string }) => r.action);
    assert.deepEqual(actions, ['quick_reply.created', 'quick_reply.updated']);
  });

  it('offers rendered quick replies in the composer, also without JavaScript', async () => {
    const qr = await app.deps.db('quick_replies').where({ shortcut: 'horario' }).first();
    const page = await owner.get(`/inbox/${conv}`);
    assert.match(page.text, /data-text="Hola Lucía, abrimos de 9 a 18 h en Puebla\.">\/horario · Horario de atención<\/option>/);
    const prefilled = await owner.get(`/inbox/${conv}?qr=${qr.id}`);
    assert.match(prefilled.text, /data-composer-body>Hola Lucía, abrimos de 9 a 18 h en Puebla\.<\/textarea>/);
  });

  it('lets agents use quick replies but only managers change them', async () => {
    const agent = await makeUser(app.deps, 'agent');
    const a = app.client();
    await login(a, agent.email);
    const list = await a.get('/settings/quick-replies');
    assert.equal(list.status, 200);
    assert.doesNotMatch(list.text, /href="\/settings\/quick-replies\/new"/);
    assert.equal((await a.get('/settings/quick-replies/new')).status, 403);
    const qr = await app.deps.db('quick_replies').first();
    assert.equal((await a.post(`/settings/quick-replies/${qr.id}/delete`, {}, { csrf: await a.csrf('/settings/quick-replies') })).status, 403);
    const del = await owner.post(`/settings/quick-replies/${qr.id}/delete`, {}, { csrfFrom: '/settings/quick-replies' });
    assert.equal(del.status, 303);
    assert.equal(await app.deps.db('quick_replies').first(), undefined);
    assert.equal((await owner.get('/settings/quick-replies/99999')).status, 404);
  });
});
