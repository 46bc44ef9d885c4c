// The thread renders every message type from rows stored the way the channel
// stores them, escapes HTML in bodies, and shows delivery ticks and notes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { completeSetup } from '../../test/factories.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import type { HttpClient } from '../../test/http.js';
import { seedContact, seedConversation, seedMedia, seedMessage, seedNumber } from './test-seed.js';

/** The <li> of message `id` in the page. */
function bubble(html: string, id: number): string {
  const at = html.indexOf(`id="msg-${id}"`);
  assert.ok(at > 0, `message ${id} is on the page`);
  const start = html.lastIndexOf('<li', at);
  return html.slice(start, html.indexOf('</div>\n</li>', at));
}

describe('thread rendering', () => {
  let app: TestApp;
  let client: HttpClient;
  let conv: number;
  let numberId: number;
  const m: Record<string, number> = {};
  let html = '';

  before(async () => {
    app = await startTestApp();
    client = app.client();
    await completeSetup(client);
    numberId = await seedNumber(app.deps);
    conv = await seedConversation(app.deps, await seedContact(app.deps, '+5215511112222', { first: 'Lucía' }), numberId);
    const inbound = (type: string, content: Record<string, unknown>, body: string | null = null, extra: Record<string, unknown> = {}) =>
      seedMessage(app.deps, conv, { type, body, payload: { content: { type, ...content }, ...extra }, wamid: `wamid.${type}.${Math.random()}` });
    m.text = await inbound('text', { text: 'Hola <script>alert(1)</script>\nsegunda línea' }, 'Hola <script>alert(1)</script>\nsegunda línea');
    const stored = await seedMedia(app.deps, numberId, { mime: 'image/jpeg', status: 'stored' });
    m.image = await seedMessage(app.deps, conv, { type: 'image', body: 'Mi receta', payload: { content: { type: 'image', media: { id: 'x', caption: 'Mi receta' } } }, mediaId: stored });
    const pending = await seedMedia(app.deps, numberId, { mime: 'application/pdf', status: 'pending', fileName: 'factura.pdf' });
    m.document = await seedMessage(app.deps, conv, { type: 'document', payload: { content: { type: 'document', media: { id: 'y', filename: 'factura.pdf' } } }, mediaId: pending });
    const voice = await seedMedia(app.deps, numberId, { mime: 'audio/ogg', status: 'stored' });
    m.audio = await seedMessage(app.deps, conv, { type: 'audio', payload: { content: { type: 'audio', media: { id: 'z', voice: true } } }, mediaId: voice });
    const vid = await seedMedia(app.deps, numberId, { mime: 'video/mp4', status: 'failed' });
    m.video = await seedMessage(app.deps, conv, { type: 'video', payload: { content: { type: 'video', media: { id: 'v' } } }, mediaId: vid });
    const st = await seedMedia(app.deps, numberId, { mime: 'image/webp', status: 'stored' });
    m.sticker = await seedMessage(app.deps, conv, { type: 'sticker', payload: { content: { type: 'sticker', media: { id: 's' } } }, mediaId: st });
    m.location = await inbound('location', { latitude: 19.432608, longitude: -99.133209, name: 'Zócalo', address: 'Centro, CDMX' });
    m.contacts = await inbound('contacts', { contacts: [{ name: 'Dra. Ruiz', phones: [{ phone: '+52 55 9999 0000' }] }] });
    m.button = await inbound('interactive', { reply: { kind: 'button_reply', id: 'confirm', title: 'Confirmar cita' } });
    m.list = await inbound('interactive', { reply: { kind: 'list_reply', id: 'l1', title: 'Limpieza', description: '30 min' } });
    m.tplButton = await inbound('button', { text: 'Parar promociones', payload: 'STOP_PROMO' });
    m.reaction = await inbound('reaction', { messageId: 'wamid.target', emoji: '👍' });
    m.system = await inbound('system', { systemType: 'customer_changed_number', body: 'Lucía cambió de número' });
    m.unsupported = await inbound('unsupported', { originalType: 'unknown', raw: { errors: [{ code: 131051 }] } });
    m.template = await seedMessage(app.deps, conv, { direction: 'out', type: 'template', templateName: 'recordatorio_cita', body: 'Hola Lucía, tu cita es el 25/11.', payload: { template: { name: 'recordatorio_cita' }, params: ['Lucía', '25/11'] }, status: 'read' });
    m.sent = await seedMessage(app.deps, conv, { direction: 'out', type: 'text', body: 'Enviado', payload: { text: 'Enviado' }, status: 'sent', wamid: 'wamid.target' });
    m.delivered = await seedMessage(app.deps, conv, { direction: 'out', type: 'text', body: 'Entregado', status: 'delivered' });
    m.failed = await seedMessage(app.deps, conv, { direction: 'out', type: 'text', body: 'Falló', status: 'failed', errorCode: 131047, errorTitle: 'Re-engagement message' });
    m.interactiveOut = await seedMessage(app.deps, conv, { direction: 'out', type: 'interactive', body: '¿Confirmas?', payload: { kind: 'buttons', body: '¿Confirmas?', buttons: [{ id: 'si', title: 'Sí' }, { id: 'no', title: 'No' }] } });
    m.note = await seedMessage(app.deps, conv, { direction: 'note', type: 'note', body: 'Cliente <b>VIP</b>', status: 'note' });
    html = (await client.get(`/inbox/${conv}`)).text;
  });
  after(async () => app?.close());

  it('escapes HTML in bodies and keeps line breaks', () => {
    const b = bubble(html, m.text!);
    assert.match(b, /Hola &lt;script&gt;alert\(1\)&lt;\/script&gt;\nsegunda línea/);
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(bubble(html, m.note!), /Cliente &lt;b&gt;VIP&lt;\/b&gt;/);
  });

  it('renders media through the authenticated route, or a pending/failed state', async () => {
    const media = await app.deps.db('messages').where({ id: m.image }).first('media_id');
    assert.match(bubble(html, m.image!), new RegExp(`<img class="msg-image" src="/media/${media.media_id}" alt="Imagen"`));
    assert.match(bubble(html, m.image!), /Mi receta/);
    assert.match(bubble(html, m.document!), /Documento · descargando… · factura\.pdf/);
    assert.match(bubble(html, m.audio!), /Mensaje de voz[\s\S]*<audio controls/);
    assert.match(bubble(html, m.video!), /Video · no se pudo descargar/);
    assert.match(bubble(html, m.sticker!), /<img class="msg-sticker"/);
  });

  it('renders locations as coordinates and a link, without map tiles', () => {
    const b = bubble(html, m.location!);
    assert.match(b, /Zócalo/);
    assert.match(b, /19\.432608, -99\.133209/);
    assert.match(b, /href="https:\/\/www\.openstreetmap\.org\/\?mlat=19\.432608&amp;mlon=-99\.133209/);
    assert.doesNotMatch(b, /<img|<iframe/);
  });

  it('renders shared contacts, replies, reactions, system and unsupported messages', () => {
    assert.match(bubble(html, m.contacts!), /Dra\. Ruiz[\s\S]*\+52 55 9999 0000/);
    assert.match(bubble(html, m.button!), /Tocó un botón[\s\S]*Confirmar cita/);
    assert.match(bubble(html, m.list!), /Eligió de una lista[\s\S]*Limpieza[\s\S]*30 min/);
    assert.match(bubble(html, m.tplButton!), /Tocó un botón de plantilla[\s\S]*Parar promociones/);
    assert.match(bubble(html, m.reaction!), /👍[\s\S]*reaccionó a un mensaje[\s\S]*Enviado/);
    assert.match(bubble(html, m.system!), /Aviso de WhatsApp:[\s\S]*Lucía cambió de número/);
    assert.match(bubble(html, m.unsupported!), /no pudo entregarnos[\s\S]*código 131051/);
    assert.match(bubble(html, m.interactiveOut!), /¿Confirmas\?[\s\S]*<li>Sí<\/li><li>No<\/li>/);
  });

  it('renders templates with their body and delivery ticks with readable labels', () => {
    const tpl = bubble(html, m.template!);
    assert.match(tpl, /Plantilla «recordatorio_cita»/);
    assert.match(tpl, /Hola Lucía, tu cita es el 25\/11\./);
    assert.match(tpl, /class="tick tick-read"[\s\S]*✓✓[\s\S]*<span class="sr-only">Leído<\/span>/);
    assert.match(bubble(html, m.sent!), /tick-sent[\s\S]*>✓<[\s\S]*Enviado<\/span>/);
    assert.match(bubble(html, m.delivered!), /tick-delivered[\s\S]*✓✓[\s\S]*Entregado<\/span>/);
    const failed = bubble(html, m.failed!);
    assert.match(failed, /tick-failed" title="[^"]*131047/);
    assert.match(failed, /⚠[\s\S]*No entregado/);
    assert.match(failed, /class="msg-error"[^>]*>No entregado: Pasaron más de 24 horas[^<]*\(código 131047\)/);
    assert.doesNotMatch(bubble(html, m.text!), /class="tick/); // inbound messages carry no tick
  });

  it('marks notes as internal and never as sent', () => {
    const note = bubble(html, m.note!);
    assert.match(note, /class="msg msg-note/);
    assert.match(note, /no se envía al cliente/);
    assert.doesNotMatch(note, /class="tick/);
  });

  it('serves the same markup as fragments for live updates', async () => {
    const frag = await client.get(`/inbox/${conv}/messages?after=${m.delivered}`);
    assert.equal(frag.status, 200);
    assert.doesNotMatch(frag.text, /<html/);
    assert.match(frag.text, new RegExp(`id="msg-${m.failed}"`));
    assert.doesNotMatch(frag.text, new RegExp(`id="msg-${m.delivered}"`));
    const one = await client.get(`/inbox/${conv}/messages/${m.sent}`);
    assert.match(one.text, /tick-sent/);
    const other = await seedConversation(app.deps, await seedContact(app.deps, '+5215511113333'), numberId);
    assert.equal((await client.get(`/inbox/${other}/messages/${m.sent}`)).status, 404);
  });
});
