// Opt-out keywords: the contact is opted out at once, gets exactly one
// confirmation, and nothing more can be sent to them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { isOptOutMessage, normalizeKeyword, DEFAULT_OPTOUT_KEYWORDS } from './opt-out.js';
import { sendTemplate, sendText } from './send-service.js';
import { startChannelTest, type ChannelTest } from './test-kit.js';

let t: ChannelTest;
before(async () => {
  t = await startChannelTest();
});
after(async () => t.close());

async function write(from: string, text: string, type = 'text') {
  const spec = type === 'button' ? { type, button: { text, payload: text } } : { type, text };
  await t.sb.sandbox.simulateInbound({ from, profileName: 'Cliente', ...spec } as never);
  await t.settle();
}
const contactOf = (waId: string) => t.app.deps.db('contacts').where({ wa_id: waId }).first();
const outbound = (waId: string) => t.sb.sandbox.state.messagesFor(waId).filter((m) => m.direction === 'out');

describe('keyword matching', () => {
  it('the whole message is the keyword, ignoring case, accents and punctuation', () => {
    for (const text of ['BAJA', 'baja', ' Stop ', '¡Alto!', 'cancelar.', 'PARAR', 'unsubscribe']) assert.equal(isOptOutMessage(text, DEFAULT_OPTOUT_KEYWORDS), true, text);
    for (const text of ['no puedo parar de reír', 'bajar precio', 'STOPPED', '']) assert.equal(isOptOutMessage(text, DEFAULT_OPTOUT_KEYWORDS), false, text);
    assert.equal(normalizeKeyword('  ¡Cáncelar! '), 'CANCELAR');
  });
});

describe('opting out by keyword', () => {
  const WA = '5215577778888';

  it('opts out at once, records consent, and confirms exactly once', async () => {
    await write(WA, 'Hola');
    await write(WA, 'BAJA');
    const c = await contactOf(WA);
    assert.equal(c.opt_in, 'opted_out');
    assert.equal(c.opt_in_source, 'keyword');
    const consent = await t.app.deps.db('consent_events').where({ contact_id: c.id });
    assert.equal(consent.length, 1);
    assert.equal(consent[0].status, 'opted_out');
    const sent = outbound(WA);
    assert.equal(sent.length, 1);
    assert.match(JSON.stringify(sent[0]!.body), /ya no recibir/);
  });

  it('a second keyword sends no second confirmation', async () => {
    await write(WA, 'stop');
    await write(WA, 'ALTO');
    assert.equal(outbound(WA).length, 1);
    assert.equal((await t.app.deps.db('consent_events').where({ contact_id: (await contactOf(WA)).id })).length, 1);
  });

  it('nothing else can be sent to the contact, even inside the window', async () => {
    const c = await contactOf(WA);
    const conv = await t.app.deps.db('conversations').where({ contact_id: c.id }).first();
    const before = t.sb.sandbox.state.requests.messages;
    await assert.rejects(sendText(t.app.deps, { conversationId: conv.id, text: 'hola', userId: null }), (e: DomainError) => e.code === 'whatsapp.opted_out');
    const tpl = await t.app.deps.db('templates').where({ name: 'bienvenida' }).first();
    await assert.rejects(sendTemplate(t.app.deps, { conversationId: conv.id, templateId: tpl.id, params: ['a', 'b'], userId: null }), (e: DomainError) => e.code === 'whatsapp.opted_out');
    assert.equal(t.sb.sandbox.state.requests.messages, before);
  });

  it('emits contact.opted_out once; a template quick-reply button with the keyword works too', async () => {
    const WB = '5215588889999';
    const seen: number[] = [];
    const off = t.app.deps.events.on('contact.opted_out', (e) => seen.push(e.contactId));
    await write(WB, 'Parar', 'button');
    await write(WB, 'Parar', 'button');
    off();
    const c = await contactOf(WB);
    assert.deepEqual(seen, [c.id]);
    assert.equal(c.opt_in, 'opted_out');
    assert.equal(outbound(WB).length, 1);
  });

  it('the keywords are configurable in settings', async () => {
    const form = await t.owner.post('/settings/auto-replies/settings', { keywords: 'BASTA, no más', confirmation: 'Hecho, {sin variables}.', gap_minutes: '30' }, { csrfFrom: '/settings/auto-replies' });
    assert.equal(form.status, 302);
    const WC = '5215599990001';
    await write(WC, 'BAJA');
    assert.equal((await contactOf(WC)).opt_in, 'unknown');
    await write(WC, 'No más');
    assert.equal((await contactOf(WC)).opt_in, 'opted_out');
    assert.match(JSON.stringify(outbound(WC).at(-1)!.body), /Hecho/);
  });
});
