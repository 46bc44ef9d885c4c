// The conversation list: filters (mine, unassigned, status, number), search by
// name and phone, unread counts, keyset paging, and opening a thread reading it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { completeSetup, login, makeUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { HttpClient } from '../../test/http.js';
import type { User } from '../users/queries.js';
import { seedContact, seedConversation, seedNumber } from './test-seed.js';

/** Names of the conversations a list page shows, in order. */
function names(html: string): string[] {
  return [...html.matchAll(/<span class="conv-name">([^<]*)<\/span>/g)].map((m) => m[1]!);
}

describe('inbox list', () => {
  let app: TestApp;
  let owner: HttpClient;
  let agent: User;
  let agentClient: HttpClient;
  const ids: Record<string, number> = {};

  before(async () => {
    app = await startTestApp();
    owner = app.client();
    await completeSetup(owner);
    agent = await makeUser(app.deps, 'agent', { name: 'Beto Agente' });
    agentClient = app.client();
    await login(agentClient, agent.email);
    const ventas = await seedNumber(app.deps, { label: 'Ventas' });
    const soporte = await seedNumber(app.deps, { label: 'Soporte', phoneNumberId: '100000000000002' });
    const t0 = app.clock.now() - 3600_000;
    const mk = async (key: string, phone: string, first: string, numberId: number, o: Parameters<typeof seedConversation>[3]) => {
      ids[key] = await seedConversation(app.deps, await seedContact(app.deps, phone, { first, last: 'Pérez' }), numberId, o);
    };
    await mk('ana', '+5215512345671', 'Ana', ventas, { unread: 3, lastMessageAt: t0 + 5000, preview: 'Hola, ¿tienen citas?' });
    await mk('beto', '+5215512345672', 'José', ventas, { assignedUserId: agent.id, lastMessageAt: t0 + 4000, preview: 'Gracias' });
    await mk('carla', '+5215512345673', 'Carla', soporte, { status: 'pending', unread: 1, lastMessageAt: t0 + 3000 });
    await mk('dani', '+5215512345674', 'Dani', soporte, { status: 'closed', lastMessageAt: t0 + 2000 });
  });
  after(async () => app?.close());

  it('lists open conversations newest first with unread counts and previews', async () => {
    const res = await owner.get('/inbox');
    assert.equal(res.status, 200);
    assert.deepEqual(names(res.text), ['Ana Pérez', 'José Pérez']);
    assert.match(res.text, /<span aria-hidden="true">3<\/span><span class="sr-only">3 sin leer<\/span>/);
    assert.match(res.text, /Hola, ¿tienen citas\?/);
    assert.match(res.text, /2 conversaciones con mensajes sin leer/);
  });

  it('filters by owner, status and number', async () => {
    assert.deepEqual(names((await agentClient.get('/inbox?view=mine')).text), ['José Pérez']);
    assert.deepEqual(names((await owner.get('/inbox?view=unassigned&status=any')).text), ['Ana Pérez', 'Carla Pérez', 'Dani Pérez']);
    assert.deepEqual(names((await owner.get('/inbox?status=pending')).text), ['Carla Pérez']);
    assert.deepEqual(names((await owner.get('/inbox?status=closed')).text), ['Dani Pérez']);
    const soporte = (await app.deps.db('wa_numbers').where({ label: 'Soporte' }).first()).id;
    assert.deepEqual(names((await owner.get(`/inbox?status=any&number=${soporte}`)).text), ['Carla Pérez', 'Dani Pérez']);
    // Nonsense filters fall back to the defaults instead of an error page.
    const bad = await owner.get('/inbox?view=everyone&status=zzz&number=abc');
    assert.equal(bad.status, 200);
    assert.deepEqual(names(bad.text), ['Ana Pérez', 'José Pérez']);
  });

  it('searches by name (accents folded) and by phone digits', async () => {
    assert.deepEqual(names((await owner.get('/inbox?status=any&q=jose')).text), ['José Pérez']);
    assert.deepEqual(names((await owner.get('/inbox?status=any&q=CARLA')).text), ['Carla Pérez']);
    assert.deepEqual(names((await owner.get('/inbox?status=any&q=' + encodeURIComponent('55 1234 5674'))).text), ['Dani Pérez']);
    const none = await owner.get('/inbox?status=any&q=zzzz');
    assert.deepEqual(names(none.text), []);
    assert.match(none.text, /Ninguna conversación coincide/);
  });

  it('pages with a keyset cursor without skipping or repeating', async () => {
    const base = await seedNumber(app.deps, { label: 'Masivo', phoneNumberId: '100000000000009' });
    for (let i = 0; i < 32; i++) {
      await seedConversation(app.deps, await seedContact(app.deps, `+52155100000${String(i).padStart(2, '0')}`, { first: `Zeta${i}` }), base, { lastMessageAt: app.clock.now() - 10 * 3600_000 - i * 1000 });
    }
    const first = await owner.get(`/inbox?number=${base}`);
    const seen = names(first.text);
    assert.equal(seen.length, 30);
    const next = /href="(\/inbox\?number=\d+&amp;cursor=[^"]+)" rel="next"/.exec(first.text);
    assert.ok(next, 'a next-page link');
    const second = await owner.get(next[1]!.replace(/&amp;/g, '&'));
    const more = names(second.text);
    assert.deepEqual(more, ['Zeta30', 'Zeta31']);
    assert.equal(new Set([...seen, ...more]).size, 32);
    assert.equal((await owner.get('/inbox?cursor=garbage')).status, 422);
  });

  it('opening a thread zeroes its unread count', async () => {
    const res = await owner.get(`/inbox/${ids.ana}`);
    assert.equal(res.status, 200);
    assert.match(res.text, /<h2 id="thread-title">Ana Pérez<\/h2>/);
    const row = await app.deps.db('conversations').where({ id: ids.ana }).first();
    assert.equal(Number(row.unread_count), 0);
    assert.doesNotMatch((await owner.get('/inbox')).text, /3 sin leer/);
  });

  it('needs a session and answers 404 for unknown conversations', async () => {
    const anon = app.client();
    const res = await anon.get('/inbox');
    assert.equal(res.status, 302);
    assert.equal(res.location, '/login');
    assert.equal((await owner.get('/inbox/999999')).status, 404);
    assert.equal((await owner.get('/inbox/abc')).status, 404);
  });

  it('speaks English to English users', async () => {
    const en = await makeUser(app.deps, 'viewer', { locale: 'en' });
    const c = app.client();
    await login(c, en.email);
    const res = await c.get('/inbox?status=any');
    assert.match(res.text, /<h1 id="inbox-title">Inbox<\/h1>/);
    assert.match(res.text, /conversations with unread messages/);
  });
});
