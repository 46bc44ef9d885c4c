// The composer against the real send service and a sandbox Graph server:
// free text inside the 24-hour window, only templates outside it, refusals
// shown in the user's language, notes never sent, read-only for viewers.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { completeSetup, login, makeUser } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { HttpClient } from '../../test/http.js';
import { closeGraphClients } from '../whatsapp/graph-clients.js';
import { createSandboxServer, SANDBOX_DEFAULTS, type Sandbox } from '../whatsapp/sandbox/index.js';
import { seedContact, seedConversation, seedNumber, seedTemplate } from './test-seed.js';

describe('composer and the 24-hour window', () => {
  let app: TestApp;
  let sandbox: Sandbox;
  let client: HttpClient;
  let conv: number;
  let waId: string;
  let templateId: number;

  before(async () => {
    app = await startTestApp();
    sandbox = await createSandboxServer({ statusWebhooks: 'off' });
    client = app.client();
    await completeSetup(client);
    const numberId = await seedNumber(app.deps, { graphUrl: sandbox.url });
    const contactId = await seedContact(app.deps, '+5215511112222', { first: 'Lucía', last: 'Gómez' });
    conv = await seedConversation(app.deps, contactId, numberId);
    waId = String((await app.deps.db('contacts').where({ id: contactId }).first()).phone).replace(/\D/g, '');
    templateId = await seedTemplate(app.deps, { name: 'recordatorio', body: 'Hola {{1}}, tu cita es el {{2}}.' });
    await seedTemplate(app.deps, { name: 'borrador', status: 'PENDING', body: 'No aprobada' });
    sandbox.state.addTemplate({ name: 'recordatorio', language: 'es_MX', components: [{ type: 'BODY', text: 'Hola {{1}}, tu cita es el {{2}}.' }] });
  });
  after(async () => {
    await sandbox?.close();
    await closeGraphClients();
    await app?.close();
  });

  const setLastInbound = (at: number | null) => app.deps.db('conversations').where({ id: conv }).update({ last_inbound_at: at });
  const outbound = () => app.deps.db('messages').where({ conversation_id: conv, direction: 'out' }).orderBy('id');
  const sends = () => sandbox.state.requests.messages ?? 0;

  describe('inside the window', () => {
    beforeEach(async () => {
      await setLastInbound(app.clock.now() - 3600_000);
      sandbox.state.openWindow(SANDBOX_DEFAULTS.phoneNumberId, waId);
    });

    it('offers free text with a countdown to the window end', async () => {
      const html = (await client.get(`/inbox/${conv}`)).text;
      assert.match(html, /data-mode="text"/);
      assert.match(html, /<textarea id="composer-body" name="body"/);
      assert.match(html, /cierra en 22 h 58 min/); // 24 h − 1 h − the 2-minute safety margin
      const closesAt = app.clock.now() - 3600_000 + 24 * 3600_000 - 2 * 60_000;
      assert.match(html, new RegExp(`data-closes-at="${closesAt}"`));
    });

    it('sends text through the send service and shows it with its tick', async () => {
      const res = await client.post(`/inbox/${conv}/send`, { body: 'Claro, ¿a qué hora?', back: '?view=mine' }, { csrfFrom: `/inbox/${conv}` });
      assert.equal(res.status, 303);
      assert.equal(res.location, `/inbox/${conv}?view=mine`);
      const [row] = await outbound();
      assert.equal(row.body, 'Claro, ¿a qué hora?');
      assert.equal(row.status, 'sent');
      assert.match(String(row.wamid), /^wamid\./);
      const log = sandbox.state.messagesFor(waId).filter((e) => e.direction === 'out');
      assert.equal(log.length, 1);
      assert.equal(log[0]!.wamid, row.wamid);
      const html = (await client.get(`/inbox/${conv}`)).text;
      assert.match(html, new RegExp(`id="msg-${row.id}"[\\s\\S]*?Claro, ¿a qué hora\\?[\\s\\S]*?tick-sent`));
    });

    it('shows Meta’s refusal with its code in the composer', async () => {
      sandbox.state.addErrorRule({ code: 131026, times: 1 });
      const before = (await outbound()).length;
      const res = await client.post(`/inbox/${conv}/send`, { body: 'Hola otra vez' }, { csrfFrom: `/inbox/${conv}` });
      assert.equal(res.status, 422);
      assert.match(res.text, /<div class="alert alert-error" role="alert" data-send-error>[^<]*\(código 131026\)/);
      assert.doesNotMatch(res.text, /data-send-error>whatsapp\./, 'translated, not a raw key');
      assert.match(res.text, /Hola otra vez<\/textarea>/); // what was typed is kept
      const rows = await outbound();
      assert.equal(rows.length, before + 1);
      assert.equal(rows.at(-1).status, 'failed');
      assert.equal(Number(rows.at(-1).error_code), 131026);
    });

    it('keeps notes in the thread and never sends them', async () => {
      const before = sends();
      const res = await client.post(`/inbox/${conv}/notes`, { body: 'Prefiere por la tarde' }, { csrfFrom: `/inbox/${conv}` });
      assert.equal(res.status, 303);
      assert.equal(sends(), before, 'no Graph call for a note');
      const note = await app.deps.db('messages').where({ conversation_id: conv, direction: 'note' }).first();
      assert.equal(note.body, 'Prefiere por la tarde');
      assert.equal(note.wamid, null);
      assert.equal(note.callback_id, null);
      const audit = await app.deps.db('audit_log').where({ action: 'conversation.note_added', entity_id: String(conv) }).first();
      assert.ok(audit, 'note audited');
    });
  });

  describe('outside the window', () => {
    beforeEach(() => setLastInbound(app.clock.now() - 25 * 3600_000));

    it('offers only approved templates, with variables and a preview', async () => {
      const html = (await client.get(`/inbox/${conv}`)).text;
      assert.match(html, /data-mode="template"/);
      assert.match(html, /La ventana de respuesta de 24 horas está cerrada/);
      assert.doesNotMatch(html, /action="\/inbox\/\d+\/send"/);
      assert.match(html, /recordatorio \(es_MX\)/);
      assert.doesNotMatch(html, /borrador/);
      const chosen = (await client.get(`/inbox/${conv}?template=${templateId}&var_1=Lucía`)).text;
      assert.match(chosen, /name="var_1" value="Lucía"/);
      assert.match(chosen, /name="var_2" value=""/);
      assert.match(chosen, /data-template-preview>Hola Lucía, tu cita es el \{\{2\}\}\.<\/div>/);
    });

    it('refuses free text before calling Meta, in the user’s language', async () => {
      const before = sends();
      const count = (await outbound()).length;
      const res = await client.post(`/inbox/${conv}/send`, { body: 'Hola' }, { csrfFrom: `/inbox/${conv}` });
      assert.equal(res.status, 422);
      assert.match(res.text, /data-send-error>La ventana de 24 horas está cerrada/);
      assert.equal(sends(), before);
      assert.equal((await outbound()).length, count);
    });

    it('sends a template with its variables filled', async () => {
      const res = await client.post(`/inbox/${conv}/send-template`, { template_id: String(templateId), var_1: 'Lucía', var_2: '25/11' }, { csrfFrom: `/inbox/${conv}` });
      assert.equal(res.status, 303, res.text.slice(0, 300));
      const row = (await outbound()).at(-1);
      assert.equal(row.type, 'template');
      assert.equal(row.template_name, 'recordatorio');
      assert.equal(row.body, 'Hola Lucía, tu cita es el 25/11.');
      assert.equal(row.status, 'sent');
    });

    it('re-renders the template form when a variable is missing', async () => {
      const res = await client.post(`/inbox/${conv}/send-template`, { template_id: String(templateId), var_1: 'Lucía', var_2: '' }, { csrfFrom: `/inbox/${conv}` });
      assert.equal(res.status, 422);
      assert.match(res.text, /role="alert" data-send-error/);
      assert.match(res.text, /name="var_1" value="Lucía"/);
    });
  });

  it('is read-only for roles that cannot reply, and a viewer leaves it unread', async () => {
    await setLastInbound(app.clock.now() - 3600_000);
    await app.deps.db('conversations').where({ id: conv }).update({ unread_count: 2 });
    const viewer = await makeUser(app.deps, 'viewer');
    const v = app.client();
    await login(v, viewer.email);
    const html = (await v.get(`/inbox/${conv}`)).text;
    assert.match(html, /tu rol no puede responder/);
    assert.doesNotMatch(html, /<textarea/);
    assert.doesNotMatch(html, /action="\/inbox\/\d+\/status"/);
    assert.equal(Number((await app.deps.db('conversations').where({ id: conv }).first()).unread_count), 2);
    const token = await v.csrf(`/inbox/${conv}`).catch(() => '');
    const res = await v.post(`/inbox/${conv}/send`, { body: 'x' }, { csrf: token || (await v.csrf('/account')) });
    assert.equal(res.status, 403);
  });
});
