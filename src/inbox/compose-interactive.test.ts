// Reply buttons and lists from the composer, against the sandbox over HTTP:
// each error beside its input (Meta's limits, via the builders), nothing sent
// when refused; the thread shows what was sent; the customer taps on the
// sandbox phone and the reply arrives in the inbox as an interactive reply.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { settleMarkReads } from './service.js';
import { startConversationTest, type ChannelTest } from '../whatsapp/test-kit.js';

const WA = '5215512340002';

describe('composer: interactive messages', () => {
  let t: ChannelTest;
  let conv: number;
  let csrf: string;

  before(async () => {
    ({ t, conv, csrf } = await startConversationTest({ from: WA, text: 'Quiero reservar', profileName: 'Tomás' }));
  });
  after(async () => {
    await settleMarkReads();
    await t?.close();
  });

  const sentToPhone = () => t.sb.sandbox.state.messagesFor(WA).filter((e) => e.direction === 'out');
  const send = (form: Record<string, string>) => t.owner.post(`/inbox/${conv}/send-interactive`, { back: '?view=mine', ...form }, { csrf });
  type Bubble = { wamid: string; direction: string; buttons: Array<{ kind: string; id: string; title: string }> };
  const phone = async () => (await t.owner.get(`/sandbox/phone/messages.json?wa_id=${WA}`)).json<{ messages: Bubble[] }>().messages;

  it('offers the buttons and list forms inside the window', async () => {
    const html = (await t.owner.get(`/inbox/${conv}`)).text;
    assert.match(html, /data-compose-panel="buttons"/);
    assert.match(html, /name="btn_title_2" type="text" maxlength="20"/);
    assert.match(html, /name="list_row_1_4" type="text" maxlength="24"/);
    assert.match(html, /name="list_desc_0_0" type="text" maxlength="72"/);
  });

  it('refuses bad buttons field by field, in Spanish, and sends nothing', async () => {
    const r = await send({ kind: 'buttons', compose: 'buttons', btn_body: '¿Cuándo?', btn_title_0: 'Mañana', btn_title_1: 'Una tarde muy muy larga', btn_title_2: 'Mañana' });
    assert.equal(r.status, 422);
    assert.match(r.text, /name="btn_title_1"[^>]*aria-invalid="true"[^>]*>\s*<p class="field-msg" id="btn_title_1-err">Demasiado largo \(máximo 20 caracteres\)/);
    assert.match(r.text, /id="btn_title_2-err">Repetido/);
    assert.match(r.text, /data-compose-panel="buttons" open/, 'the panel stays open with the typed values');
    assert.match(r.text, /value="Una tarde muy muy larga"/);
    const none = await send({ kind: 'buttons', btn_body: 'Sin botones' });
    assert.equal(none.status, 422);
    assert.match(none.text, /id="btn_title_0-err">Hace falta al menos 1/);
    const noBody = await send({ kind: 'buttons', btn_title_0: 'Sí' });
    assert.match(noBody.text, /id="btn_body-err">Obligatorio/);
    assert.equal(sentToPhone().length, 0);
  });

  it('sends reply buttons; the thread shows them; a tap on the phone arrives as the reply', async () => {
    const r = await send({ kind: 'buttons', btn_header: 'Reserva', btn_body: '¿Qué horario prefieres?', btn_footer: 'Responde con un botón', btn_title_0: 'Mañana', btn_title_2: 'Tarde' });
    assert.equal(r.status, 303);
    assert.equal(r.location, `/inbox/${conv}?view=mine`);
    const row = await t.app.deps.db('messages').where({ conversation_id: conv, direction: 'out', type: 'interactive' }).first();
    assert.equal(row.status, 'sent');
    assert.equal(row.body, '¿Qué horario prefieres?');
    const wire = sentToPhone()[0]!.body as { interactive: { type: string; header: unknown; footer: unknown; action: { buttons: Array<{ reply: { id: string; title: string } }> } } };
    assert.equal(wire.interactive.type, 'button');
    assert.deepEqual(wire.interactive.header, { type: 'text', text: 'Reserva' });
    assert.deepEqual(wire.interactive.action.buttons.map((b) => [b.reply.id, b.reply.title]), [['btn_1', 'Mañana'], ['btn_3', 'Tarde']]);
    const html = (await t.owner.get(`/inbox/${conv}`)).text;
    assert.match(html, new RegExp(`id="msg-${row.id}"[\\s\\S]*?¿Qué horario prefieres\\?[\\s\\S]*?<li>Mañana</li><li>Tarde</li>`));

    const bubble = (await phone()).find((b) => b.wamid === row.wamid)!;
    assert.deepEqual(bubble.buttons.map((b) => b.title), ['Mañana', 'Tarde']);
    const tap = await t.owner.json('POST', '/sandbox/phone/tap', { wa_id: WA, name: 'Tomás', context: row.wamid, kind: 'reply', id: 'btn_3', title: 'Tarde' },
      { 'x-csrf-token': csrf, accept: 'application/json' });
    assert.equal(tap.status, 200);
    await t.settle();
    const reply = await t.app.deps.db('messages').where({ conversation_id: conv, direction: 'in', type: 'interactive' }).first();
    const payload = JSON.parse(reply.payload);
    assert.equal(payload.content.reply.id, 'btn_3');
    assert.equal(payload.context.id, row.wamid);
    const after = (await t.owner.get(`/inbox/${conv}`)).text;
    assert.match(after, new RegExp(`id="msg-${reply.id}"[\\s\\S]*?Tocó un botón[\\s\\S]*?<p class="msg-choice">Tarde</p>`));
  });

  it('refuses a bad list field by field', async () => {
    const before = sentToPhone().length;
    const r = await send({
      kind: 'list', compose: 'list', list_body: 'Elige un servicio', list_button: 'Ver servicios',
      list_section_0: 'Cortes', list_row_0_0: 'Corte clásico', list_row_0_1: 'Un nombre de opción demasiado largo',
      list_row_1_0: 'Tinte', list_desc_1_0: 'x'.repeat(73),
    });
    assert.equal(r.status, 422);
    assert.match(r.text, /id="list_row_0_1-err">Demasiado largo \(máximo 24 caracteres\)/);
    assert.match(r.text, /id="list_section_1-err">Obligatorio/, 'two sections: each needs a title');
    assert.match(r.text, /id="list_desc_1_0-err">Demasiado largo \(máximo 72 caracteres\)/);
    assert.match(r.text, /data-compose-panel="list" open/);
    const noButton = await send({ kind: 'list', list_body: 'Elige', list_row_0_0: 'Uno' });
    assert.match(noButton.text, /id="list_button-err">Obligatorio/);
    const noRows = await send({ kind: 'list', list_body: 'Elige', list_button: 'Ver' });
    assert.match(noRows.text, /id="list_row_0_0-err">Hace falta al menos 1/);
    assert.equal(sentToPhone().length, before);
  });

  it('sends a list with sections; a row picked on the phone arrives as a list reply', async () => {
    const r = await send({
      kind: 'list', list_header: 'Servicios', list_body: 'Elige un servicio', list_button: 'Ver servicios', list_footer: 'Precios con IVA',
      list_section_0: 'Cortes', list_row_0_0: 'Corte clásico', list_desc_0_0: '30 min', list_row_0_2: 'Barba',
      list_section_1: 'Color', list_row_1_0: 'Tinte',
    });
    assert.equal(r.status, 303);
    const row = await t.app.deps.db('messages').where({ conversation_id: conv, direction: 'out', type: 'interactive' }).orderBy('id', 'desc').first();
    const wire = sentToPhone().at(-1)!.body as { interactive: { type: string; action: { button: string; sections: Array<{ title: string; rows: Array<{ id: string; title: string; description?: string }> }> } } };
    assert.equal(wire.interactive.type, 'list');
    assert.equal(wire.interactive.action.button, 'Ver servicios');
    assert.deepEqual(wire.interactive.action.sections, [
      { title: 'Cortes', rows: [{ id: 'row_1_1', title: 'Corte clásico', description: '30 min' }, { id: 'row_1_3', title: 'Barba' }] },
      { title: 'Color', rows: [{ id: 'row_2_1', title: 'Tinte' }] },
    ]);
    const html = (await t.owner.get(`/inbox/${conv}`)).text;
    assert.match(html, new RegExp(`id="msg-${row.id}"[\\s\\S]*?Elige un servicio[\\s\\S]*?<li>Corte clásico</li><li>Barba</li><li>Tinte</li>`));

    const bubble = (await phone()).find((b) => b.wamid === row.wamid)!;
    assert.deepEqual(bubble.buttons.map((b) => [b.kind, b.id]), [['list', 'row_1_1'], ['list', 'row_1_3'], ['list', 'row_2_1']]);
    await t.owner.json('POST', '/sandbox/phone/tap', { wa_id: WA, name: 'Tomás', context: row.wamid, kind: 'list', id: 'row_1_3', title: 'Barba' },
      { 'x-csrf-token': csrf, accept: 'application/json' });
    await t.settle();
    const reply = await t.app.deps.db('messages').where({ conversation_id: conv, direction: 'in', type: 'interactive' }).orderBy('id', 'desc').first();
    assert.equal(JSON.parse(reply.payload).content.reply.id, 'row_1_3');
    const after = (await t.owner.get(`/inbox/${conv}`)).text;
    assert.match(after, new RegExp(`id="msg-${reply.id}"[\\s\\S]*?Eligió de una lista[\\s\\S]*?<p class="msg-choice">Barba</p>`));
  });

  it('outside the window neither form is offered and a send is refused before Meta', async () => {
    await t.app.deps.db('conversations').where({ id: conv }).update({ last_inbound_at: t.app.clock.now() - 25 * 3600_000 });
    const html = (await t.owner.get(`/inbox/${conv}`)).text;
    assert.doesNotMatch(html, /data-compose-panel/);
    const before = sentToPhone().length;
    const r = await send({ kind: 'buttons', btn_body: '¿Sigues ahí?', btn_title_0: 'Sí' });
    assert.equal(r.status, 422);
    assert.match(r.text, /data-send-error>La ventana de 24 horas está cerrada/);
    assert.equal(sentToPhone().length, before);
  });
});
