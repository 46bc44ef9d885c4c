// Auto-reply rules and the away message: they answer customers, never loop,
// never answer opted-out contacts, and respect business hours by timezone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backtracksBadly } from './auto-replies-service.js';
import { ruleMatches } from './auto-replies.js';
import { isOpenAt } from './business-hours.js';
import { startChannelTest, type ChannelTest } from './test-kit.js';

let t: ChannelTest;
before(async () => {
  t = await startChannelTest();
});
after(async () => t.close());

async function write(from: string, text: string) {
  await t.sb.sandbox.simulateInbound({ from, type: 'text', text, profileName: 'Cliente' });
  await t.settle();
}
const outbound = (waId: string) => t.sb.sandbox.state.messagesFor(waId).filter((m) => m.direction === 'out').map((m) => JSON.stringify(m.body));
const addRule = (form: Record<string, string>) => t.owner.post('/settings/auto-replies', form, { csrfFrom: '/settings/auto-replies' });

describe('matching', () => {
  it('keywords match whole words without case or accents; regex is case-insensitive; bad regex never matches', () => {
    assert.equal(ruleMatches({ matchType: 'keyword', pattern: 'precio, horario' }, '¿Cuál es el PRECIO?'), true);
    assert.equal(ruleMatches({ matchType: 'keyword', pattern: 'horario' }, 'Horário de atención'), true);
    assert.equal(ruleMatches({ matchType: 'keyword', pattern: 'precio' }, 'preciosa'), false);
    assert.equal(ruleMatches({ matchType: 'regex', pattern: '^cita\\s+\\d+' }, 'CITA 12'), true);
    assert.equal(ruleMatches({ matchType: 'regex', pattern: '(' }, 'x'), false);
  });

  it('business hours are evaluated in the number\'s timezone', () => {
    const hours = { tz: 'America/Mexico_City', days: { mon: [['09:00', '18:00']] as Array<[string, string]> } };
    // Monday 2026-11-23 15:00 UTC = 09:00 in Mexico City.
    assert.equal(isOpenAt(hours, Date.UTC(2026, 10, 23, 15, 0)), true);
    assert.equal(isOpenAt(hours, Date.UTC(2026, 10, 23, 14, 59)), false);
    assert.equal(isOpenAt(hours, Date.UTC(2026, 10, 24, 15, 0)), false);
  });
});

describe('rules in action', () => {
  it('a keyword rule replies once; within the throttle a second match gets no second reply', async () => {
    const res = await addRule({ name: 'Precios', match_type: 'keyword', pattern: 'precio', action: 'reply_text', reply_text: 'Nuestros precios: consulta https://ejemplo.mx' });
    assert.equal(res.status, 302);
    const W = '5215510000001';
    await write(W, '¿Qué precio tiene?');
    assert.equal(outbound(W).length, 1);
    assert.match(outbound(W)[0]!, /Nuestros precios/);
    await write(W, 'Y el precio del otro?');
    assert.equal(outbound(W).length, 1, 'throttled');
    t.app.clock.advance(31 * 60_000);
    await write(W, 'precio otra vez');
    assert.equal(outbound(W).length, 2, 'after the gap');
  });

  it('our own replies never trigger rules (no loop), and opted-out contacts get no reply', async () => {
    const W = '5215510000002';
    await write(W, 'BAJA');
    const afterOptOut = outbound(W).length;
    await write(W, 'precio');
    assert.equal(outbound(W).length, afterOptOut, 'no auto-reply after opting out');
  });

  it('tag and assign rules', async () => {
    const owner = await t.app.deps.db('users').first();
    await addRule({ name: 'Etiqueta', match_type: 'regex', pattern: 'factura', action: 'tag', tag: 'Facturación' });
    await addRule({ name: 'Asignar', match_type: 'keyword', pattern: 'factura', action: 'assign', user_id: String(owner.id) });
    const W = '5215510000003';
    await write(W, 'Necesito mi FACTURA');
    const c = await t.app.deps.db('contacts').where({ wa_id: W }).first();
    const tags = await t.app.deps.db('contact_tags').join('tags', 'tags.id', 'contact_tags.tag_id').where({ contact_id: c.id }).select('tags.name');
    assert.deepEqual(tags.map((x: { name: string }) => x.name), ['Facturación']);
    const conv = await t.app.deps.db('conversations').where({ contact_id: c.id }).first();
    assert.equal(conv.assigned_user_id, owner.id);
  });

  it('editing a rule changes what it answers, keeps it off when it was off, and refuses bad input on the edit form', async () => {
    await addRule({ name: 'Horario', match_type: 'keyword', pattern: 'horario', action: 'reply_text', reply_text: 'Abrimos a las 9.' });
    const rule = await t.app.deps.db('auto_reply_rules').where({ name: 'Horario' }).first();
    const edit = await t.owner.get(`/settings/auto-replies/${rule.id}/edit`);
    assert.equal(edit.status, 200);
    assert.match(edit.text, /Abrimos a las 9\./, 'the form shows the current reply');
    const form = { name: 'Horario nuevo', match_type: 'keyword', pattern: 'abren, horario', action: 'reply_text', reply_text: 'Abrimos de 8 a 20 h.' };
    const saved = await t.owner.post(`/settings/auto-replies/${rule.id}`, form, { csrfFrom: `/settings/auto-replies/${rule.id}/edit` });
    assert.equal(saved.status, 302);
    const W = '5215510000006';
    await write(W, '¿A qué hora abren?');
    assert.equal(outbound(W).length, 1);
    assert.match(outbound(W)[0]!, /Abrimos de 8 a 20 h\./);

    await t.owner.post(`/settings/auto-replies/${rule.id}/toggle`, {}, { csrfFrom: '/settings/auto-replies' });
    await t.owner.post(`/settings/auto-replies/${rule.id}`, { ...form, reply_text: 'Otro texto' }, { csrfFrom: `/settings/auto-replies/${rule.id}/edit` });
    const row = await t.app.deps.db('auto_reply_rules').where({ id: rule.id }).first();
    assert.equal(Boolean(row.enabled), false, 'an edit does not switch a rule back on');
    assert.match(String(row.action_value), /Otro texto/);

    const bad = await t.owner.post(`/settings/auto-replies/${rule.id}`, { ...form, match_type: 'regex', pattern: '[' }, { csrfFrom: `/settings/auto-replies/${rule.id}/edit` });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /expresión regular no es válida/);
    assert.match(bad.text, /value="\["/, 'the typed pattern is kept');
    const missing = await t.owner.post(`/settings/auto-replies/${rule.id}`, { ...form, reply_text: '' }, { csrfFrom: `/settings/auto-replies/${rule.id}/edit` });
    assert.equal(missing.status, 422);
    assert.equal((await t.owner.get('/settings/auto-replies/999999/edit')).status, 404);
    const audit = await t.app.deps.db('audit_log').where({ action: 'whatsapp.auto_reply_updated', entity_id: String(rule.id) });
    assert.equal(audit.length, 2);
  });

  it('a number, template or agent that does not exist is a field error on create and edit, not a 500', async () => {
    const base = { name: 'Refs', match_type: 'keyword', pattern: 'refs', action: 'reply_text', reply_text: 'ok' };
    const count = async () => (await t.app.deps.db('auto_reply_rules').where({ name: 'Refs' })).length;
    const noNumber = await addRule({ ...base, number_id: '99999' });
    assert.equal(noNumber.status, 422);
    assert.match(noNumber.text, /Ese número de WhatsApp no existe\./);
    assert.match((await addRule({ ...base, action: 'reply_template', template_id: '99999' })).text, /La plantilla no existe/);
    assert.match((await addRule({ ...base, action: 'assign', user_id: '99999' })).text, /Ese usuario no existe\./);
    assert.equal(await count(), 0, 'nothing saved');
    assert.equal((await addRule(base)).status, 302);
    const rule = await t.app.deps.db('auto_reply_rules').where({ name: 'Refs' }).first();
    const edit = await t.owner.post(`/settings/auto-replies/${rule.id}`, { ...base, number_id: '99999' }, { csrfFrom: `/settings/auto-replies/${rule.id}/edit` });
    assert.equal(edit.status, 422);
    assert.match(edit.text, /Ese número de WhatsApp no existe\./);
    assert.equal((await t.app.deps.db('auto_reply_rules').where({ id: rule.id }).first()).number_id, null, 'the rule is unchanged');
  });

  it('a regex that backtracks exponentially is refused (one message would hold the worker for hours)', async () => {
    for (const pattern of ['(a+)+$', '^(\\w*)*x', '(hola|ho)*!', '((ab)+c?)+']) {
      assert.equal(backtracksBadly(pattern), true, pattern);
    }
    for (const pattern of ['^hola', '\\b(precio|costo)s?\\b', 'fact(ura)?', '[(a+)+]', '\\(a+\\)+', '(?:buen[oa]s)? d[ií]as', 'a{2,3}']) {
      assert.equal(backtracksBadly(pattern), false, pattern);
    }
    const res = await addRule({ name: 'Lenta', match_type: 'regex', pattern: '(a+)+$', action: 'reply_text', reply_text: 'x' });
    assert.equal(res.status, 422);
    assert.match(res.text, /con algunos mensajes tardaría horas/);
    assert.equal(await t.app.deps.db('auto_reply_rules').where({ name: 'Lenta' }).first(), undefined);
  });

  it('a bad regex is refused in the form with a Spanish message', async () => {
    const res = await addRule({ name: 'Mala', match_type: 'regex', pattern: '(', action: 'reply_text', reply_text: 'x' });
    assert.equal(res.status, 422);
    assert.match(res.text, /expresión regular no es válida/);
  });
});

describe('the away message', () => {
  it('outside business hours it answers once per throttle window; inside it stays quiet', async () => {
    const edit = await t.owner.get(`/settings/whatsapp/${t.number.id}/edit`);
    assert.equal(edit.status, 200);
    const form: Record<string, string> = {
      label: 'Sandbox', display_phone: t.number.displayPhone, waba_id: t.number.wabaId, verify_token: t.number.verifyToken, enabled: 'on',
      hours_tz: 'America/Mexico_City', hours_mon: '09:00-18:00', away_message: 'Estamos cerrados; te respondemos mañana.',
    };
    const saved = await t.owner.post(`/settings/whatsapp/${t.number.id}`, form, { csrfFrom: `/settings/whatsapp/${t.number.id}/edit` });
    assert.equal(saved.status, 302);
    // Test clock: Tuesday 2026-11-24 — closed all day.
    const W = '5215510000004';
    await write(W, 'Hola, ¿hay alguien?');
    assert.equal(outbound(W).length, 1);
    assert.match(outbound(W)[0]!, /Estamos cerrados/);
    await write(W, '¿Hola?');
    assert.equal(outbound(W).length, 1);
    // Monday 10:00 in Mexico City: open.
    t.app.clock.t = Date.UTC(2026, 10, 30, 16, 0);
    const W2 = '5215510000005';
    await write(W2, 'Hola');
    assert.equal(outbound(W2).length, 0);
  });
});
