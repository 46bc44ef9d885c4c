// Settings → WhatsApp against a Graph emulator standing in for Meta
// (CHATFLOW_WHATSAPP_GRAPH_URL), plus the built-in sandbox number.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { login, makeUser } from '../../test/factories.js';
import { createSandboxServer, type Sandbox } from './sandbox/index.js';
import { startSandbox } from './sandbox-boot.js';
import { startChannelTest, type ChannelTest } from './test-kit.js';

const TOKEN = 'EAAGm0PX4ZCpsBAExampleToken1234WXYZ';
const SECRET = 'f00dfeedcafebabe0123456789abcdef';
let meta: Sandbox;
let t: ChannelTest;
const form = (over: Record<string, string> = {}) => ({
  label: 'Recepción', display_phone: '+52 55 1234 5678', phone_number_id: '106540352242922', waba_id: '102290129340398',
  access_token: TOKEN, app_secret: SECRET, verify_token: '', ...over,
});

before(async () => {
  meta = await createSandboxServer({
    tokens: [TOKEN],
    numbers: [{ phoneNumberId: '106540352242922', wabaId: '102290129340398', displayPhoneNumber: '525512345678', verifiedName: 'Clínica Sonrisa', qualityRating: 'GREEN', throughputLevel: 'STANDARD' }],
  });
  t = await startChannelTest({ samples: false, env: { CHATFLOW_WHATSAPP_GRAPH_URL: meta.url } });
});
after(async () => {
  await t.close();
  await meta.close();
});

describe('numbers', () => {
  it('lists the sandbox number, clearly labelled, with the webhook URL and verify token', async () => {
    const page = await t.owner.get('/settings/whatsapp');
    assert.equal(page.status, 200);
    assert.match(page.text, /data-sandbox-badge>Sandbox</);
    assert.match(page.text, /http:\/\/localhost:3000\/webhooks\/whatsapp/);
    assert.ok(page.text.includes(t.number.verifyToken), 'verify token shown');
    assert.match(page.text, /Cómo conectar tu número con Meta, paso a paso/);
  });

  it('refuses an incomplete form in Spanish', async () => {
    const res = await t.owner.post('/settings/whatsapp', form({ phone_number_id: 'abc', access_token: 'short' }), { csrfFrom: '/settings/whatsapp/new' });
    assert.equal(res.status, 422);
    assert.match(res.text, /Solo dígitos/);
    assert.match(res.text, /El token parece incompleto/);
  });

  it('adds a number: secrets encrypted at rest, shown only by their last 4, verify token generated', async () => {
    const res = await t.owner.post('/settings/whatsapp', form(), { csrfFrom: '/settings/whatsapp/new' });
    assert.equal(res.status, 302);
    const row = await t.app.deps.db('wa_numbers').where({ phone_number_id: '106540352242922' }).first();
    assert.ok(!row.access_token_enc.includes(TOKEN) && !row.app_secret_enc.includes(SECRET), 'encrypted');
    assert.match(row.verify_token, /^cf_[\w-]{20,}$/);
    const page = await t.owner.get('/settings/whatsapp');
    assert.ok(!page.text.includes(TOKEN) && !page.text.includes(SECRET), 'never shown in full');
    assert.ok(page.text.includes('••••WXYZ'), 'last 4 of the token');
    const audit = await t.app.deps.db('audit_log').where({ action: 'whatsapp.number_created' }).first();
    assert.ok(audit && !JSON.stringify(audit).includes(TOKEN), 'audited without the secret');
  });

  it('adding a number subscribes our app to its WABA webhooks, and the page says so', async () => {
    assert.ok(meta.state.subscriptions.has('102290129340398'), 'POST /{WABA}/subscribed_apps reached Meta');
    const row = await t.app.deps.db('wa_numbers').where({ phone_number_id: '106540352242922' }).first();
    assert.ok(Number(row.webhooks_subscribed_at) > 0);
    assert.equal(row.webhooks_error, null);
    const page = await t.owner.get('/settings/whatsapp');
    const card = page.text.slice(page.text.indexOf(`id="number-${row.id}"`));
    assert.match(card, /Webhooks de Meta<\/th><td data-webhooks-state>\s*<span class="badge badge-success">Suscritos desde/);
  });

  it('a failed subscription is shown with Meta\'s code and can be retried from the number', async () => {
    const row = await t.app.deps.db('wa_numbers').where({ phone_number_id: '106540352242922' }).first();
    meta.state.addErrorRule({ route: 'subscribed_apps', code: 200, message: '(#200) Permissions error', times: 1 });
    const failed = await t.owner.post(`/settings/whatsapp/${row.id}/subscribe`, {}, { csrfFrom: '/settings/whatsapp' });
    assert.equal(failed.status, 302);
    const page = await t.owner.get('/settings/whatsapp');
    assert.match(page.text, /No se pudo suscribir la app a los webhooks de la cuenta\..*\(código 200\)/);
    assert.match(page.text, /La última suscripción falló: \(#200\) \(#200\) Permissions error/);
    assert.equal((await t.owner.post(`/settings/whatsapp/${row.id}/subscribe`, {}, { csrfFrom: '/settings/whatsapp' })).status, 302);
    const after = await t.app.deps.db('wa_numbers').where({ id: row.id }).first();
    assert.equal(after.webhooks_error, null, 'a later success clears the error');
    assert.equal((await t.app.deps.db('audit_log').where({ action: 'whatsapp.number_webhooks_subscribed', entity_id: String(row.id) })).length, 3);
  });

  it('the plan allows one number (the sandbox does not count)', async () => {
    const res = await t.owner.post('/settings/whatsapp', form({ phone_number_id: '106540352242999' }), { csrfFrom: '/settings/whatsapp/new' });
    assert.equal(res.status, 402);
    assert.match(res.text, /Tu plan permite 1 número/);
  });

  it('test connection shows the name, quality and throughput from Meta', async () => {
    const row = await t.app.deps.db('wa_numbers').where({ phone_number_id: '106540352242922' }).first();
    const res = await t.owner.post(`/settings/whatsapp/${row.id}/test`, {}, { csrfFrom: '/settings/whatsapp' });
    assert.equal(res.status, 302);
    const page = await t.owner.get('/settings/whatsapp');
    assert.match(page.text, /Conexión correcta: Clínica Sonrisa \(525512345678\), calidad GREEN, capacidad STANDARD/);
    assert.equal((await t.app.deps.db('wa_numbers').where({ id: row.id }).first()).quality_rating, 'GREEN');
  });

  it('a rejected token shows Meta\'s exact error with its code in Spanish, and marks the number', async () => {
    const row = await t.app.deps.db('wa_numbers').where({ phone_number_id: '106540352242922' }).first();
    const edit = { label: 'Recepción', display_phone: '+52 55 1234 5678', waba_id: '102290129340398', verify_token: row.verify_token, enabled: 'on', access_token: 'EAAG-another-token-that-meta-rejects' };
    assert.equal((await t.owner.post(`/settings/whatsapp/${row.id}`, edit, { csrfFrom: `/settings/whatsapp/${row.id}/edit` })).status, 302);
    await t.owner.post(`/settings/whatsapp/${row.id}/test`, {}, { csrfFrom: '/settings/whatsapp' });
    const page = await t.owner.get('/settings/whatsapp');
    assert.match(page.text, /La conexión falló\. El token de acceso del número caducó o no es válido\. .*\(código 190\)/);
    assert.match(page.text, /Invalid OAuth access token/);
    assert.equal((await t.app.deps.db('wa_numbers').where({ id: row.id }).first()).status, 'token_invalid');
  });

  it('editing with blank secrets keeps them; the new verify token passes Meta\'s handshake', async () => {
    const row = await t.app.deps.db('wa_numbers').where({ phone_number_id: '106540352242922' }).first();
    const edit = { label: 'Recepción 2', display_phone: '+52 55 1234 5678', waba_id: '102290129340398', verify_token: 'mi-token-de-prueba-123', enabled: 'on', access_token: TOKEN };
    assert.equal((await t.owner.post(`/settings/whatsapp/${row.id}`, edit, { csrfFrom: `/settings/whatsapp/${row.id}/edit` })).status, 302);
    const after = await t.app.deps.db('wa_numbers').where({ id: row.id }).first();
    assert.equal(after.app_secret_enc, row.app_secret_enc);
    assert.equal(after.status, 'active');
    const r = await fetch(`${t.app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=mi-token-de-prueba-123&hub.challenge=42`);
    assert.equal(await r.text(), '42');
  });

  it('agents cannot manage numbers; the number can be removed', async () => {
    const agent = await makeUser(t.app.deps, 'agent');
    const c = t.app.client();
    await login(c, agent.email);
    assert.equal((await c.get('/settings/whatsapp')).status, 403);
    const row = await t.app.deps.db('wa_numbers').where({ phone_number_id: '106540352242922' }).first();
    assert.equal((await t.owner.post(`/settings/whatsapp/${row.id}/remove`, {}, { csrfFrom: '/settings/whatsapp' })).status, 302);
    assert.equal(await t.app.deps.db('wa_numbers').where({ id: row.id }).first(), undefined);
  });

  it('the sandbox number cannot be removed while the sandbox is on', async () => {
    const res = await t.owner.post(`/settings/whatsapp/${t.number.id}/remove`, {}, { csrfFrom: '/settings/whatsapp' });
    assert.equal(res.status, 409);
  });
});

describe('sandbox boot', () => {
  it('repeated boots keep exactly one sandbox number with the same secrets, pointing at the running emulator', async () => {
    const before = await t.app.deps.db('wa_numbers').where({ is_sandbox: true }).first();
    const second = await startSandbox(t.app.deps, { webhookUrl: `${t.app.url}/webhooks/whatsapp`, samples: false });
    const third = await startSandbox(t.app.deps, { webhookUrl: `${t.app.url}/webhooks/whatsapp`, samples: false });
    const rows = await t.app.deps.db('wa_numbers').where({ is_sandbox: true });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].access_token_enc, before.access_token_enc);
    assert.equal(rows[0].graph_url, third.sandbox.url);
    const info = await t.owner.post(`/settings/whatsapp/${rows[0].id}/test`, {}, { csrfFrom: '/settings/whatsapp' });
    assert.equal(info.status, 302);
    assert.match((await t.owner.get('/settings/whatsapp')).text, /Conexión correcta: ChatFlow Sandbox/);
    await second.close();
    await third.close();
  });
});
