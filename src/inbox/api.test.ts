// /api/v1/conversations: list with filters and cursor paging, one conversation
// with its messages, PATCH of status and assignee; scopes enforced.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, newKey } from '../../test/api-helpers.js';
import { completeSetup, makeUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { HttpClient } from '../../test/http.js';
import type { User } from '../users/queries.js';
import { seedContact, seedConversation, seedMessage, seedNumber } from './test-seed.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('conversations API', () => {
  let app: TestApp;
  let c: HttpClient;
  let readKey: string;
  let replyKey: string;
  let agent: User;
  const conv: Record<string, number> = {};

  before(async () => {
    app = await startTestApp();
    c = app.client();
    await completeSetup(c);
    agent = await makeUser(app.deps, 'agent', { name: 'Beto Agente' });
    readKey = (await newKey(app.deps, ['inbox:read'])).secret;
    replyKey = (await newKey(app.deps, ['inbox:read', 'inbox:reply'])).secret;
    const n1 = await seedNumber(app.deps);
    const n2 = await seedNumber(app.deps, { label: 'Soporte', phoneNumberId: '100000000000002' });
    const t = app.clock.now();
    conv.a = await seedConversation(app.deps, await seedContact(app.deps, '+5215511110001', { first: 'Ana' }), n1, { lastMessageAt: t - 1000, unread: 2, preview: 'Hola' });
    conv.b = await seedConversation(app.deps, await seedContact(app.deps, '+5215511110002', { first: 'Beto' }), n1, { lastMessageAt: t - 2000, assignedUserId: agent.id });
    conv.c = await seedConversation(app.deps, await seedContact(app.deps, '+5215511110003', { first: 'Carla' }), n2, { lastMessageAt: t - 3000, status: 'closed', lastInboundAt: t - 48 * 3600_000 });
    for (let i = 1; i <= 5; i++) await seedMessage(app.deps, conv.a, { type: 'text', body: `mensaje ${i}`, payload: { content: { type: 'text', text: `mensaje ${i}` } } });
    await seedMessage(app.deps, conv.a, { direction: 'out', type: 'text', body: 'falló', status: 'failed', errorCode: 131047, errorTitle: 'Re-engagement message' });
  });
  after(async () => app?.close());

  const get = (path: string, key = readKey) => c.get(`/api/v1${path}`, bearer(key));

  it('lists conversations newest first, with filters and cursor paging', async () => {
    const all = (await get('/conversations')).json<Json>();
    assert.deepEqual(all.data.map((x: Json) => x.id), [conv.a, conv.b, conv.c]);
    const a = all.data[0];
    assert.equal(a.contact.name, 'Ana');
    assert.equal(a.unread_count, 2);
    assert.equal(a.window.open, true);
    assert.equal(all.data[2].window.open, false);
    assert.deepEqual((await get('/conversations?status=closed')).json<Json>().data.map((x: Json) => x.id), [conv.c]);
    assert.deepEqual((await get('/conversations?assigned=none')).json<Json>().data.map((x: Json) => x.id), [conv.a, conv.c]);
    assert.deepEqual((await get(`/conversations?assigned=${agent.id}`)).json<Json>().data.map((x: Json) => x.id), [conv.b]);
    const n2 = all.data[2].number.id;
    assert.deepEqual((await get(`/conversations?number=${n2}`)).json<Json>().data.map((x: Json) => x.id), [conv.c]);
    const p1 = (await get('/conversations?limit=2')).json<Json>();
    assert.equal(p1.data.length, 2);
    const p2 = (await get(`/conversations?limit=2&cursor=${p1.next_cursor}`)).json<Json>();
    assert.deepEqual(p2.data.map((x: Json) => x.id), [conv.c]);
    assert.equal(p2.next_cursor, null);
    const bad = await get('/conversations?cursor=nonsense&status=zzz');
    assert.equal(bad.status, 422);
    assert.equal(bad.json<Json>().error.code, 'validation_failed');
  });

  it('returns one conversation with a page of messages, newest first', async () => {
    const one = (await get(`/conversations/${conv.a}?limit=4`)).json<Json>();
    assert.equal(one.id, conv.a);
    assert.equal(one.messages.data.length, 4);
    const [failed, fifth] = one.messages.data;
    assert.equal(failed.direction, 'out');
    assert.deepEqual(failed.error, { code: 131047, title: 'Re-engagement message' });
    assert.equal(fifth.body, 'mensaje 5');
    assert.deepEqual(fifth.content, { type: 'text', text: 'mensaje 5' });
    const rest = (await get(`/conversations/${conv.a}?limit=4&cursor=${one.messages.next_cursor}`)).json<Json>();
    assert.deepEqual(rest.messages.data.map((m: Json) => m.body), ['mensaje 2', 'mensaje 1']);
    assert.equal((await get('/conversations/999999')).status, 404);
  });

  it('changes status and assignee with inbox:reply, audited under the key', async () => {
    const denied = await c.json('PATCH', `/api/v1/conversations/${conv.a}`, { status: 'pending' }, bearer(readKey));
    assert.equal(denied.status, 403);
    assert.equal(denied.json<Json>().error.details.required_scope, 'inbox:reply');
    const res = await c.json('PATCH', `/api/v1/conversations/${conv.a}`, { status: 'pending', assigned_user_id: agent.id }, bearer(replyKey));
    assert.equal(res.status, 200, res.text);
    const body = res.json<Json>();
    assert.equal(body.status, 'pending');
    assert.deepEqual(body.assigned_user, { id: agent.id, name: 'Beto Agente' });
    const audits = await app.deps.db('audit_log').where({ entity_type: 'conversation', entity_id: String(conv.a) }).orderBy('id');
    assert.deepEqual(audits.map((r: Json) => r.action), ['conversation.assigned', 'conversation.status_changed']);
    assert.match(audits[0].actor, /^apikey:/);
    const unassign = await c.json('PATCH', `/api/v1/conversations/${conv.a}`, { assigned_user_id: null }, bearer(replyKey));
    assert.equal(unassign.json<Json>().assigned_user, null);
  });

  it('rejects bad patches with field errors', async () => {
    const viewer = await makeUser(app.deps, 'viewer');
    const r1 = await c.json('PATCH', `/api/v1/conversations/${conv.b}`, { assigned_user_id: viewer.id }, bearer(replyKey));
    assert.equal(r1.status, 422);
    assert.ok(r1.json<Json>().error.details.fields.assigned_user_id);
    assert.equal((await c.json('PATCH', `/api/v1/conversations/${conv.b}`, { status: 'archived' }, bearer(replyKey))).status, 422);
    assert.equal((await c.json('PATCH', `/api/v1/conversations/${conv.b}`, {}, bearer(replyKey))).status, 422);
    assert.equal((await get('/conversations', 'cf_wrong')).status, 401);
  });
});
