// Creating templates in the UI against the sandbox over HTTP: a media header
// whose sample is uploaded through Meta's Resumable Upload API (limits checked
// first, errors in the user's language), and NAMED parameters from the form
// to Meta, the template page's preview and a send with named values.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { login, makeUser } from '../../test/factories.js';
import type { HttpClient } from '../../test/http.js';
import { templateParamsFrom } from '../inbox/composer.js';
import { sendTemplate } from './send-service.js';
import { startChannelTest, type ChannelTest } from './test-kit.js';

let t: ChannelTest;
let csrf: string;
before(async () => {
  t = await startChannelTest({ samples: false });
  csrf = await t.owner.csrf('/templates/new');
});
after(async () => t.close());

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(32)]);

function upload(c: HttpClient, token: string, format: string, data: Buffer, name: string, type: string, numberId = t.number.id) {
  return c.request('POST', `/templates/header-sample?number_id=${numberId}&format=${format}`, {
    body: data, headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': token, 'x-file-name': encodeURIComponent(name), 'x-file-type': type },
  });
}
const errorOf = (r: { json<T>(): T }) => r.json<{ error: string }>().error;
const base = (over: Record<string, string>) => ({
  number_id: String(t.number.id), language: 'es_MX', category: 'MARKETING', parameter_format: 'POSITIONAL', header_type: 'NONE', body: 'Texto de prueba para la plantilla.', ...over,
});

describe('media header samples', () => {
  it('checks type, size and content before calling Meta, in Spanish', async () => {
    const before = t.sb.sandbox.state.requests.upload_session ?? 0;
    assert.match(errorOf(await upload(t.owner, csrf, 'IMAGE', Buffer.from('GIF89a....'), 'anim.gif', 'image/gif')), /Este encabezado solo admite: JPG, PNG/);
    assert.match(errorOf(await upload(t.owner, csrf, 'DOCUMENT', PNG, 'foto.png', 'image/png')), /solo admite: PDF/);
    assert.match(errorOf(await upload(t.owner, csrf, 'IMAGE', PDF, 'falsa.png', 'image/png')), /no es un PNG válido/);
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
    const tooBig = await upload(t.owner, csrf, 'IMAGE', big, 'enorme.png', 'image/png');
    assert.equal(tooBig.status, 422);
    assert.match(errorOf(tooBig), /supera el máximo de 5 MB/);
    assert.match(errorOf(await upload(t.owner, csrf, 'IMAGE', Buffer.alloc(0), 'vacia.png', 'image/png')), /está vacío/);
    assert.match(errorOf(await upload(t.owner, csrf, 'AUDIO', PNG, 'a.png', 'image/png')), /Elige primero un encabezado/);
    assert.equal(t.sb.sandbox.state.requests.upload_session ?? 0, before, 'Meta was never called');
  });

  it('needs the Meta app id of the number, and says where to set it', async () => {
    await t.app.deps.db('wa_numbers').where({ id: t.number.id }).update({ meta_app_id: null });
    const r = await upload(t.owner, csrf, 'IMAGE', PNG, 'promo.png', 'image/png');
    assert.equal(r.status, 422);
    assert.match(errorOf(r), /no tiene el ID de la app de Meta\. Añádelo en Ajustes → WhatsApp/);
    await t.app.deps.db('wa_numbers').where({ id: t.number.id }).update({ meta_app_id: '300000000000001' });
  });

  it('uploads through the Resumable Upload API and creates the template with the handle', async () => {
    const r = await upload(t.owner, csrf, 'IMAGE', PNG, 'verano ñ.png', 'image/png');
    assert.equal(r.status, 200, r.text);
    const sample = r.json<{ handle: string; filename: string; bytes: number; mimeType: string }>();
    assert.deepEqual([sample.filename, sample.bytes, sample.mimeType], ['verano ñ.png', PNG.length, 'image/png']);
    assert.equal(t.sb.sandbox.state.handles.get(sample.handle)?.size, PNG.length);
    const missing = await t.owner.post('/templates', base({ name: 'promo_verano', header_type: 'IMAGE' }), { csrf });
    assert.equal(missing.status, 422);
    assert.match(missing.text, /Sube un archivo de ejemplo/);
    const res = await t.owner.post('/templates', base({ name: 'promo_verano', header_type: 'IMAGE', header_handle: sample.handle, header_file: sample.filename }), { csrf });
    assert.equal(res.status, 302, res.text.slice(0, 400));
    const atMeta = t.sb.sandbox.state.findTemplate(t.number.wabaId, 'promo_verano', 'es_MX');
    assert.deepEqual(atMeta?.components[0], { type: 'HEADER', format: 'IMAGE', example: { header_handle: [sample.handle] } });
  });

  it('video (MP4) and document (PDF) samples work; a handle of another type is refused by Meta with its code', async () => {
    const video = (await upload(t.owner, csrf, 'VIDEO', MP4, 'clip.mp4', '')).json<{ handle: string }>();
    const pdf = (await upload(t.owner, csrf, 'DOCUMENT', PDF, 'factura.pdf', 'application/pdf')).json<{ handle: string }>();
    assert.equal(t.sb.sandbox.state.handles.get(video.handle)?.mimeType, 'video/mp4');
    assert.equal((await t.owner.post('/templates', base({ name: 'factura_lista', header_type: 'DOCUMENT', header_handle: pdf.handle }), { csrf })).status, 302);
    const wrong = await t.owner.post('/templates', base({ name: 'video_mal', header_type: 'VIDEO', header_handle: pdf.handle }), { csrf });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /Meta rechazó la plantilla: HEADER VIDEO cannot use a application\/pdf example \(código 100\)/);
  });

  it('a location header needs no sample', async () => {
    assert.equal((await t.owner.post('/templates', base({ name: 'nuestra_tienda', header_type: 'LOCATION' }), { csrf })).status, 302);
    assert.deepEqual(t.sb.sandbox.state.findTemplate(t.number.wabaId, 'nuestra_tienda', 'es_MX')?.components[0], { type: 'HEADER', format: 'LOCATION' });
  });

  it('English users get the same errors in English; viewers cannot upload', async () => {
    const admin = await makeUser(t.app.deps, 'admin', { locale: 'en' });
    const c = t.app.client();
    await login(c, admin.email);
    const token = await c.csrf('/templates/new');
    assert.match(errorOf(await upload(c, token, 'IMAGE', Buffer.from('GIF89a'), 'x.gif', 'image/gif')), /This header only takes: JPG, PNG/);
    const viewer = await makeUser(t.app.deps, 'viewer');
    const v = t.app.client();
    await login(v, viewer.email);
    assert.equal((await upload(v, await v.csrf('/templates'), 'IMAGE', PNG, 'a.png', 'image/png')).status, 403);
    assert.equal((await upload(c, 'bad-token', 'IMAGE', PNG, 'a.png', 'image/png')).status, 403, 'CSRF enforced');
  });
});

describe('named parameters', () => {
  const named = (over: Record<string, string>) => base({ name: 'pedido_listo', category: 'UTILITY', parameter_format: 'NAMED', header_type: 'TEXT', header_text: 'Pedido {{order_id}}', header_example: 'A-1', ...over });

  it('validates names and examples', async () => {
    const bad = await t.owner.post('/templates', named({ body: 'Hola {{FirstName}}, tu pedido está listo.', body_examples: 'FirstName: Ana' }), { csrf });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /solo pueden tener minúsculas y guiones bajos/);
    const noExample = await t.owner.post('/templates', named({ body: 'Hola {{first_name}}, tu pedido {{order_id}} está listo.', body_examples: 'first_name: Ana' }), { csrf });
    assert.match(noExample.text, /Hace falta un ejemplo para cada variable/);
    const positional = await t.owner.post('/templates', base({ name: 'pos_mal', body: 'Hola {{first_name}}, listo.', body_examples: 'Ana' }), { csrf });
    assert.match(positional.text, /Numera las variables en orden/);
  });

  it('submits body_text_named_params and header_text_named_params; the page previews by name', async () => {
    const res = await t.owner.post('/templates', named({ body: 'Hola {{first_name}}, tu pedido {{order_id}} está listo.', body_examples: 'first_name: Ana\norder_id = B-22' }), { csrf });
    assert.equal(res.status, 302, res.text.slice(0, 400));
    const atMeta = t.sb.sandbox.state.findTemplate(t.number.wabaId, 'pedido_listo', 'es_MX')!;
    assert.equal(atMeta.parameter_format, 'NAMED');
    assert.deepEqual(atMeta.components.find((c) => c.type === 'BODY')?.example, { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }, { param_name: 'order_id', example: 'B-22' }] });
    assert.deepEqual(atMeta.components.find((c) => c.type === 'HEADER')?.example, { header_text_named_params: [{ param_name: 'order_id', example: 'A-1' }] });
    const row = await t.app.deps.db('templates').where({ name: 'pedido_listo' }).first();
    assert.equal(row.parameter_format, 'named');
    const page = await t.owner.get(`/templates/${row.id}`);
    assert.match(page.text, /data-var="first_name" *>|data-var="first_name"/);
    assert.match(page.text, /id="var-order_id" type="text" value="B-22"/);
    assert.match(page.text, /Variables con nombre/);
  });

  it('sends with named values from the composer fields (body and header carry parameter_name)', async () => {
    t.sb.sandbox.state.approveTemplate('pedido_listo');
    await t.settle();
    await t.sb.sandbox.simulateInbound({ from: '5215511112222', type: 'text', text: 'hola', profileName: 'Ana' });
    await t.settle();
    const contact = await t.app.deps.db('contacts').where({ wa_id: '5215511112222' }).first();
    const tpl = await t.app.deps.db('templates').where({ name: 'pedido_listo' }).first();
    const values = await templateParamsFrom(t.app.deps.db, tpl.id, { var_first_name: 'Ana', var_order_id: 'C-7', header_text: 'C-7' });
    assert.deepEqual(values.params, { first_name: 'Ana', order_id: 'C-7' });
    const sent = await sendTemplate(t.app.deps, { contactId: Number(contact.id), numberId: t.number.id, templateId: Number(tpl.id), params: values.params, header: values.header, userId: null });
    assert.equal(sent.body, 'Pedido C-7\nHola Ana, tu pedido C-7 está listo.');
    const out = t.sb.sandbox.state.messagesFor('5215511112222').filter((m) => m.direction === 'out').at(-1)!;
    const comps = (out.body as { template: { components: Array<{ type: string; parameters: Array<{ parameter_name?: string; text?: string }> }> } }).template.components;
    assert.deepEqual(comps.find((c) => c.type === 'header')?.parameters, [{ type: 'text', text: 'C-7', parameter_name: 'order_id' }]);
    assert.deepEqual(comps.find((c) => c.type === 'body')?.parameters.map((p) => p.parameter_name), ['first_name', 'order_id']);
  });
});

describe('the Meta app id of a number', () => {
  const numberForm = (over: Record<string, string>) => ({
    label: 'Tienda', phone_number_id: '106540352242922', waba_id: '102290129340398', display_phone: '+52 55 1234 5678',
    access_token: 'EAAGm0PX4ZCpsBAExampleToken1234WXYZ', app_secret: 'f00dfeedcafebabe0123456789abcdef', verify_token: '', ...over,
  });

  it('is optional, digits only, saved on the number and shown on its edit form; the sandbox number has its own', async () => {
    const sandboxEdit = await t.owner.get(`/settings/whatsapp/${t.number.id}/edit`);
    assert.match(sandboxEdit.text, /name="meta_app_id" type="text" value="300000000000001"/);
    const bad = await t.owner.post('/settings/whatsapp', numberForm({ meta_app_id: '12ab' }), { csrfFrom: '/settings/whatsapp/new' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /ID de la app de Meta/);
    assert.match(bad.text, /Solo dígitos/);
    const ok = await t.owner.post('/settings/whatsapp', numberForm({ meta_app_id: '987654321012345' }), { csrfFrom: '/settings/whatsapp/new' });
    assert.equal(ok.status, 302, ok.text.slice(0, 300));
    const row = await t.app.deps.db('wa_numbers').where({ phone_number_id: '106540352242922' }).first();
    assert.equal(row.meta_app_id, '987654321012345');
    assert.match((await t.owner.get(`/settings/whatsapp/${row.id}/edit`)).text, /value="987654321012345"/);
  });
});
