// The send service's rules, decided before Meta is called, and Meta's errors
// stored on the message and explained in Spanish with the code.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { translator } from '../i18n/i18n.js';
import { WhatsAppSendError, sendTemplate, sendText } from './send-service.js';
import { syncTemplates } from './templates-sync.js';
import { periodOf } from './usage.js';
import { startChannelTest, type ChannelTest } from './test-kit.js';

let t: ChannelTest;
let convId: number;
let contactId: number;
let templateId: number;
const CUSTOMER = '5215566667777';
const HOUR = 3600_000;
const sends = () => t.sb.sandbox.state.requests.messages ?? 0;
const es = () => translator(t.app.deps.catalog, 'es');

async function customerWrites(text = 'hola') {
  await t.sb.sandbox.simulateInbound({ from: CUSTOMER, type: 'text', text, profileName: 'Pablo' });
  await t.work();
}

async function refused(p: Promise<unknown>, code: string): Promise<DomainError> {
  const before = sends();
  const err = await p.then(() => assert.fail('expected a refusal'), (e: unknown) => e);
  assert.ok(err instanceof DomainError, `DomainError, got ${String(err)}`);
  assert.equal(err.code, code);
  assert.equal(sends(), before, 'Meta was not called');
  return err;
}

before(async () => {
  t = await startChannelTest();
  await customerWrites();
  const conv = await t.app.deps.db('conversations').first();
  convId = Number(conv.id);
  contactId = Number(conv.contact_id);
  templateId = Number((await t.app.deps.db('templates').where({ name: 'bienvenida' }).first()).id);
});
after(async () => t.close());
beforeEach(() => t.sb.sandbox.state.clearErrorRules());

describe('the 24-hour window', () => {
  it('allows free text inside the window', async () => {
    const m = await sendText(t.app.deps, { conversationId: convId, text: 'Claro', userId: null });
    assert.equal(m.status, 'sent');
    assert.equal(m.businessInitiated, false);
  });

  it('refuses free text outside it, before calling Meta, with a Spanish explanation', async () => {
    t.app.clock.advance(25 * HOUR);
    const err = await refused(sendText(t.app.deps, { conversationId: convId, text: 'Hola?', userId: null }), 'whatsapp.window_closed');
    assert.match(es()(err.code, err.params), /24 horas/);
  });

  it('allows an approved template outside it, counted as business-initiated for the month', async () => {
    const m = await sendTemplate(t.app.deps, { conversationId: convId, templateId, params: ['Pablo', 'Clínica Sonrisa'], userId: null });
    assert.equal(m.status, 'sent');
    assert.equal(m.businessInitiated, true);
    assert.equal(m.body, 'Hola Pablo, gracias por escribir a Clínica Sonrisa. ¿En qué podemos ayudarte?');
    const period = periodOf(t.app.clock.now(), 'America/Mexico_City');
    const counter = await t.app.deps.db('usage_counters').where({ name: 'messages_per_month', period }).first();
    assert.equal(Number(counter.value), 1);
    assert.equal(await t.app.deps.plans.usage('messages_per_month'), 1);
  });

  it('opens again when the customer writes', async () => {
    await customerWrites('sigo aquí');
    const m = await sendText(t.app.deps, { conversationId: convId, text: 'Perfecto', userId: null });
    assert.equal(m.status, 'sent');
  });
});

describe('refusals before Meta', () => {
  it('a template that is not APPROVED', async () => {
    t.sb.sandbox.state.addTemplate({ name: 'en_revision', language: 'es_MX', status: 'PENDING', wabaId: t.number.wabaId });
    await syncTemplates(t.app.deps);
    const pending = await t.app.deps.db('templates').where({ name: 'en_revision' }).first();
    const err = await refused(sendTemplate(t.app.deps, { conversationId: convId, templateId: Number(pending.id), userId: null }), 'whatsapp.template_not_approved');
    assert.match(es()(err.code, err.params), /no está aprobada/);
  });

  it('missing template values', async () => {
    await assert.rejects(sendTemplate(t.app.deps, { conversationId: convId, templateId, params: ['solo uno'], userId: null }), (e: DomainError) => e.code === 'errors.invalid');
  });

  it('the monthly plan limit for business-initiated messages', async () => {
    t.app.clock.advance(25 * HOUR);
    const period = periodOf(t.app.clock.now(), 'America/Mexico_City');
    await t.app.deps.db('usage_counters').insert({ name: 'messages_per_month', period, value: 10_000 }).onConflict(['name', 'period']).merge(['value']);
    await refused(sendTemplate(t.app.deps, { contactId, numberId: t.number.id, templateId, params: ['a', 'b'], userId: null }), 'plan.limit_reached.messages_per_month');
    await t.app.deps.db('usage_counters').where({ period }).update({ value: 0 });
  });

  it('a disabled number', async () => {
    await t.app.deps.db('wa_numbers').where({ id: t.number.id }).update({ status: 'disabled' });
    await refused(sendTemplate(t.app.deps, { contactId, numberId: t.number.id, templateId, params: ['a', 'b'], userId: null }), 'whatsapp.number_unavailable');
    await t.app.deps.db('wa_numbers').where({ id: t.number.id }).update({ status: 'active' });
  });
});

describe("Meta's errors, stored and explained in Spanish with the code", () => {
  async function metaError(code: number): Promise<WhatsAppSendError> {
    await customerWrites();
    t.sb.sandbox.state.addErrorRule({ code, times: 1 });
    const err = await sendText(t.app.deps, { conversationId: convId, text: `prueba ${code}`, userId: null }).then(() => assert.fail('expected an error'), (e: unknown) => e);
    assert.ok(err instanceof WhatsAppSendError, `WhatsAppSendError, got ${String(err)}`);
    const row = await t.app.deps.db('messages').where({ id: err.stored.id }).first();
    assert.equal(row.status, 'failed');
    assert.equal(row.error_code, code);
    return err;
  }

  it('131047 → window closed', async () => {
    const err = await metaError(131047);
    assert.equal(es()(err.code, err.params), 'Pasaron más de 24 horas desde el último mensaje del cliente; envía una plantilla aprobada (código 131047).');
  });

  it('131026 → undeliverable', async () => {
    const err = await metaError(131026);
    assert.match(es()(err.code, err.params), /no usa WhatsApp.*\(código 131026\)/);
  });

  it('130429 → throughput, retry later', async () => {
    const err = await metaError(130429);
    assert.match(es()(err.code, err.params), /mensajes por segundo.*\(código 130429\)/);
  });

  it('190 → token expired: the number is marked and further sends are refused before Meta', async () => {
    const err = await metaError(190);
    assert.match(es()(err.code, err.params), /token de acceso.*\(código 190\)/);
    const n = await t.app.deps.db('wa_numbers').where({ id: t.number.id }).first();
    assert.equal(n.status, 'token_invalid');
    await refused(sendText(t.app.deps, { conversationId: convId, text: 'otra', userId: null }), 'whatsapp.number_unavailable');
    await t.app.deps.db('wa_numbers').where({ id: t.number.id }).update({ status: 'active' });
  });

  it('an unknown code still shows the code and Meta\'s details', async () => {
    const err = await metaError(135000);
    assert.match(es()(err.code, err.params), /código 135000/);
  });
});
