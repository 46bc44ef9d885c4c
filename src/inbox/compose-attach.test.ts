// Attachments from the composer, against the sandbox over HTTP: a real
// multipart body (busboy), Meta's types and sizes checked with clear errors
// in es/en before anything is kept or uploaded, the file stored in the
// install's media and uploaded to Meta, the message sent by media id (stored
// before the call, wamid after) and shown in the thread.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { login, makeUser } from '../../test/factories.js';
import type { HttpClient, Res } from '../../test/http.js';
import { mediaDir, storedPath } from '../whatsapp/media-service.js';
import { startConversationTest, type ChannelTest } from '../whatsapp/test-kit.js';
import { settleMarkReads } from './service.js';

const WA = '5215512340003';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

type Part = { data: Buffer; type: string; name: string };

async function multipart(fields: Record<string, string>, file?: Part): Promise<{ body: Buffer; type: string }> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) fd.append('file', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  const req = new Request('http://local/', { method: 'POST', body: fd });
  return { body: Buffer.from(await req.arrayBuffer()), type: req.headers.get('content-type')! };
}

describe('composer: attachments', () => {
  let t: ChannelTest;
  let conv: number;
  let csrf: string;

  before(async () => {
    ({ t, conv, csrf } = await startConversationTest({ from: WA, text: '¿Me mandas el menú?', profileName: 'Iris' }));
  });
  after(async () => {
    await settleMarkReads();
    await t?.close();
  });

  async function attach(client: HttpClient, fields: Record<string, string>, file?: Part, token: string | null = csrf): Promise<Res> {
    const { body, type } = await multipart({ back: '?view=mine', ...fields }, file);
    return client.request('POST', `/inbox/${conv}/attach`, { body, headers: { 'content-type': type, ...(token ? { 'x-csrf-token': token } : {}) } });
  }
  const uploads = () => t.sb.sandbox.state.requests.media_upload ?? 0;
  const sentToPhone = () => t.sb.sandbox.state.messagesFor(WA).filter((e) => e.direction === 'out');
  const lastOut = () => t.app.deps.db('messages').where({ conversation_id: conv, direction: 'out' }).orderBy('id', 'desc').first();

  it('offers the attachment form with WhatsApp’s types inside the window', async () => {
    const html = (await t.owner.get(`/inbox/${conv}`)).text;
    assert.match(html, /<form method="post" action="\/inbox\/\d+\/attach" enctype="multipart\/form-data"[^>]*data-attach-form/);
    assert.match(html, /accept="[^"]*\.png[^"]*\.pdf[^"]*application\/pdf/);
  });

  it('sends an image with its caption: stored, uploaded to Meta, sent by id, shown in the thread', async () => {
    const r = await attach(t.owner, { caption: 'Nuestro menú de hoy' }, { data: PNG, type: 'image/png', name: 'menu.png' });
    assert.equal(r.status, 303);
    assert.equal(r.location, `/inbox/${conv}?view=mine`);
    const row = await lastOut();
    assert.equal(row.type, 'image');
    assert.equal(row.status, 'sent');
    assert.match(String(row.wamid), /^wamid\./);
    assert.match(String(row.callback_id), /^m:/, 'stored with its callback data before the call');
    const media = await t.app.deps.db('media').where({ id: row.media_id }).first();
    assert.equal(media.status, 'stored');
    assert.equal(media.mime_type, 'image/png');
    assert.deepEqual(await fs.readFile(storedPath(t.app.deps, media.file_path)!), PNG);
    assert.deepEqual(t.sb.sandbox.state.media.get(media.meta_media_id)?.data, PNG, 'Meta has the same bytes');
    const wire = sentToPhone().at(-1)!;
    assert.equal(wire.wamid, row.wamid);
    assert.deepEqual((wire.body as { image: unknown }).image, { id: media.meta_media_id, caption: 'Nuestro menú de hoy' });
    const html = (await t.owner.get(`/inbox/${conv}`)).text;
    assert.match(html, new RegExp(`id="msg-${row.id}"[\\s\\S]*?<img class="msg-image" src="/media/${media.id}"[\\s\\S]*?Nuestro menú de hoy[\\s\\S]*?data-tick="(sent|delivered)"`));
    const file = await t.owner.get(`/media/${media.id}`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'image/png');
  });

  it('sends a document by its extension when the browser gives no useful type, with its file name', async () => {
    const r = await attach(t.owner, {}, { data: PDF, type: 'application/octet-stream', name: 'Carta 2026.pdf' });
    assert.equal(r.status, 303);
    const row = await lastOut();
    assert.equal(row.type, 'document');
    const media = await t.app.deps.db('media').where({ id: row.media_id }).first();
    assert.equal(media.mime_type, 'application/pdf');
    assert.equal(media.file_name, 'Carta 2026.pdf');
    assert.deepEqual((sentToPhone().at(-1)!.body as { document: unknown }).document, { id: media.meta_media_id, filename: 'Carta 2026.pdf' });
    const html = (await t.owner.get(`/inbox/${conv}`)).text;
    assert.match(html, new RegExp(`<a class="msg-file" href="/media/${media.id}" download="Carta 2026.pdf">Carta 2026.pdf</a>`));
  });

  it('refuses what WhatsApp would refuse, beside the file input, before any upload', async () => {
    const before = { up: uploads(), sent: sentToPhone().length, rows: (await t.app.deps.db('media')).length };
    const exe = await attach(t.owner, { compose: 'attach' }, { data: Buffer.from('MZ…'), type: 'application/x-msdownload', name: 'setup.exe' });
    assert.equal(exe.status, 422);
    assert.match(exe.text, /id="file-err">WhatsApp no acepta «setup\.exe»/);
    assert.match(exe.text, /data-compose-panel="attach" open/);
    const big = await attach(t.owner, {}, { data: Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]), type: 'image/png', name: 'grande.png' });
    assert.equal(big.status, 422);
    assert.match(big.text, /id="file-err">La imagen pesa 5\.0 MB; WhatsApp admite hasta 5 MB\./);
    const fake = await attach(t.owner, {}, { data: Buffer.from('not really a png'), type: 'image/png', name: 'foto.png' });
    assert.match(fake.text, /id="file-err">«foto\.png» no es un archivo PNG válido/);
    const audio = await attach(t.owner, { caption: 'escucha esto' }, { data: Buffer.alloc(100, 1), type: 'audio/mpeg', name: 'nota.mp3' });
    assert.equal(audio.status, 422);
    assert.match(audio.text, /id="caption-err">No se permite aquí\./);
    const none = await attach(t.owner, { caption: 'sin archivo' });
    assert.match(none.text, /id="file-err">Elige un archivo para adjuntar\./);
    assert.match(none.text, />sin archivo<\/textarea>/, 'the caption is kept');
    assert.deepEqual({ up: uploads(), sent: sentToPhone().length, rows: (await t.app.deps.db('media')).length }, before);
  });

  it('a body cut off inside the file is a form error, not a crash; the app keeps serving', async () => {
    const { body, type } = await multipart({ back: '' }, { data: PNG, type: 'image/png', name: 'cut.png' });
    const cut = body.subarray(0, body.length - 60); // ends inside the file part, no closing boundary
    const before = uploads();
    const r = await t.owner.request('POST', `/inbox/${conv}/attach`, { body: cut, headers: { 'content-type': type, 'x-csrf-token': csrf } });
    assert.equal(r.status, 422);
    assert.equal(uploads(), before, 'nothing uploaded');
    assert.equal((await t.owner.get(`/inbox/${conv}`)).status, 200, 'the server is still up');
    const incoming = await fs.readdir(path.join(mediaDir(t.app.deps), 'incoming')).catch(() => []);
    assert.deepEqual(incoming, [], 'no temporary upload left behind');
  });

  it('speaks English to an English user', async () => {
    const u = await makeUser(t.app.deps, 'agent', { locale: 'en' });
    const c = t.app.client();
    await login(c, u.email);
    const token = await c.csrf(`/inbox/${conv}`);
    const r = await attach(c, {}, { data: Buffer.from('x'), type: 'application/zip', name: 'fotos.zip' }, token);
    assert.equal(r.status, 422);
    assert.match(r.text, /id="file-err">WhatsApp does not take “fotos\.zip”/);
  });

  it('a Meta refusal of the upload is shown with its code; nothing is sent', async () => {
    t.sb.sandbox.state.addErrorRule({ route: 'media_upload', code: 131053, times: 1 });
    const sent = sentToPhone().length;
    const r = await attach(t.owner, {}, { data: PNG, type: 'image/png', name: 'otra.png' });
    assert.equal(r.status, 422);
    assert.match(r.text, /data-send-error>[^<]*131053/);
    assert.equal(sentToPhone().length, sent);
  });

  it('needs the CSRF header and the reply permission', async () => {
    assert.equal((await attach(t.owner, {}, { data: PNG, type: 'image/png', name: 'a.png' }, null)).status, 403);
    const v = await makeUser(t.app.deps, 'viewer');
    const c = t.app.client();
    await login(c, v.email);
    const token = await c.csrf(`/inbox/${conv}`);
    assert.equal((await attach(c, {}, { data: PNG, type: 'image/png', name: 'a.png' }, token)).status, 403);
  });

  it('outside the window the form is gone and a send is refused before the upload', async () => {
    await t.app.deps.db('conversations').where({ id: conv }).update({ last_inbound_at: t.app.clock.now() - 25 * 3600_000 });
    assert.doesNotMatch((await t.owner.get(`/inbox/${conv}`)).text, /data-attach-form/);
    const up = uploads();
    const r = await attach(t.owner, {}, { data: PNG, type: 'image/png', name: 'tarde.png' });
    assert.equal(r.status, 422);
    assert.match(r.text, /data-send-error>La ventana de 24 horas está cerrada/);
    assert.equal(uploads(), up);
  });
});
