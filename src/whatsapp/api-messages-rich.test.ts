// /api/v1/messages with reply buttons and lists, and /api/v1/messages/media
// (multipart) — the same send service as the inbox, against the sandbox.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, newKey, type Envelope } from '../../test/api-helpers.js';
import { startChannelTest, type ChannelTest } from './test-kit.js';

let t: ChannelTest;
let key: string;
let readOnly: string;
const CUSTOMER = '5215512343434';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 3)]);

const api = (method: string, path: string, body?: unknown, k = key) =>
  t.app.client().json(method, `/api/v1${path}`, body, { ...bearer(k), 'accept-language': 'es' });

async function upload(fields: Record<string, string>, file?: { data: Buffer; type: string; name: string }, k = key) {
  const fd = new FormData();
  for (const [name, v] of Object.entries(fields)) fd.append(name, v);
  if (file) fd.append('file', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  const req = new Request('http://local/', { method: 'POST', body: fd });
  return t.app.client().request('POST', '/api/v1/messages/media', {
    body: Buffer.from(await req.arrayBuffer()), headers: { ...bearer(k), 'accept-language': 'es', 'content-type': req.headers.get('content-type')! },
  });
}

const lastWire = () => t.sb.sandbox.state.messagesFor(CUSTOMER).filter((e) => e.direction === 'out').at(-1)?.body as Record<string, unknown> | undefined;

before(async () => {
  t = await startChannelTest();
  key = (await newKey(t.app.deps, ['inbox:read', 'inbox:reply'])).secret;
  readOnly = (await newKey(t.app.deps, ['inbox:read'])).secret;
  await t.sb.sandbox.simulateInbound({ from: CUSTOMER, type: 'text', text: 'hola', profileName: 'Marta' });
  await t.work();
});
after(async () => t.close());

describe('POST /messages: interactive', () => {
  it('sends reply buttons inside the window', async () => {
    const r = await api('POST', '/messages', {
      number_id: t.number.id, phone: '+52 55 1234 3434', type: 'interactive',
      interactive: { kind: 'buttons', body: '¿Confirmas?', footer: 'Clínica Sol', buttons: [{ id: 'yes', title: 'Sí' }, { id: 'no', title: 'No' }] },
    });
    assert.equal(r.status, 201, r.text);
    const m = r.json<{ type: string; status: string; body: string }>();
    assert.deepEqual([m.type, m.status, m.body], ['interactive', 'sent', '¿Confirmas?']);
    const wire = lastWire()!.interactive as { type: string; footer: unknown; action: { buttons: Array<{ reply: { id: string } }> } };
    assert.equal(wire.type, 'button');
    assert.deepEqual(wire.footer, { text: 'Clínica Sol' });
    assert.deepEqual(wire.action.buttons.map((b) => b.reply.id), ['yes', 'no']);
  });

  it('sends a list', async () => {
    const r = await api('POST', '/messages', {
      number_id: t.number.id, phone: '+52 55 1234 3434', type: 'interactive',
      interactive: { kind: 'list', body: 'Elige horario', button: 'Horarios', sections: [{ rows: [{ id: 'am', title: 'Mañana' }, { id: 'pm', title: 'Tarde', description: '16–19 h' }] }] },
    });
    assert.equal(r.status, 201, r.text);
    const wire = lastWire()!.interactive as { type: string; action: { button: string; sections: unknown[] } };
    assert.equal(wire.type, 'list');
    assert.deepEqual(wire.action.sections, [{ rows: [{ id: 'am', title: 'Mañana' }, { id: 'pm', title: 'Tarde', description: '16–19 h' }] }]);
  });

  it("refuses Meta's limits per field under interactive., before Meta", async () => {
    const sent = t.sb.sandbox.state.messagesFor(CUSTOMER).length;
    const r = await api('POST', '/messages', {
      number_id: t.number.id, phone: '+52 55 1234 3434', type: 'interactive',
      interactive: { kind: 'buttons', body: 'x', buttons: [{ id: 'a', title: 'Un título demasiado largo' }, { id: 'b', title: 'B' }, { id: 'c', title: 'C' }, { id: 'd', title: 'D' }] },
    });
    assert.equal(r.status, 422);
    const fields = (r.json<Envelope>().error.details as { fields: Record<string, { code: string; message: string }> }).fields;
    assert.equal(fields['interactive.buttons']!.code, 'whatsapp.too_many');
    assert.equal(fields['interactive.buttons.0.title']!.message, 'Demasiado largo (máximo 20 caracteres).');
    const none = await api('POST', '/messages', { number_id: t.number.id, phone: '+52 55 1234 3434', type: 'interactive' });
    assert.equal(none.status, 422);
    assert.ok((none.json<Envelope>().error.details as { fields: Record<string, unknown> }).fields.interactive);
    assert.equal(t.sb.sandbox.state.messagesFor(CUSTOMER).length, sent);
  });
});

describe('POST /messages/media', () => {
  it('uploads and sends an image with a caption', async () => {
    const r = await upload({ number_id: String(t.number.id), phone: '+52 55 1234 3434', caption: 'Tu receta' }, { data: PNG, type: 'image/png', name: 'receta.png' });
    assert.equal(r.status, 201, r.text);
    const m = r.json<{ id: number; type: string; status: string; wamid: string }>();
    assert.deepEqual([m.type, m.status], ['image', 'sent']);
    const row = await t.app.deps.db('messages').where({ id: m.id }).first();
    const media = await t.app.deps.db('media').where({ id: row.media_id }).first();
    assert.equal(media.status, 'stored');
    assert.deepEqual(lastWire()!.image, { id: media.meta_media_id, caption: 'Tu receta' });
    assert.deepEqual(t.sb.sandbox.state.media.get(media.meta_media_id)?.data, PNG);
  });

  it('binds an Idempotency-Key to the file and the fields: the same file replays, another file or another caption is a 409', async () => {
    const withKey = async (caption: string, data: Buffer, k: string) => {
      const fd = new FormData();
      fd.append('number_id', String(t.number.id));
      fd.append('phone', '+52 55 1234 3434');
      fd.append('caption', caption);
      fd.append('file', new Blob([new Uint8Array(data)], { type: 'image/png' }), 'foto.png');
      const req = new Request('http://local/', { method: 'POST', body: fd });
      return t.app.client().request('POST', '/api/v1/messages/media', {
        body: Buffer.from(await req.arrayBuffer()),
        headers: { ...bearer(key), 'accept-language': 'es', 'idempotency-key': k, 'content-type': req.headers.get('content-type')! },
      });
    };
    const uploads = () => t.sb.sandbox.state.requests.media_upload ?? 0;
    const before = uploads();
    const first = await withKey('Foto', PNG, 'media-key-1');
    assert.equal(first.status, 201, first.text);
    const again = await withKey('Foto', PNG, 'media-key-1');
    assert.equal(again.status, 201, again.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.json<{ id: number }>().id, first.json<{ id: number }>().id);
    assert.equal(uploads(), before + 1, 'the replay uploaded nothing');
    const other = Buffer.concat([PNG, Buffer.from([1])]);
    const otherFile = await withKey('Foto', other, 'media-key-1');
    assert.equal(otherFile.status, 409, otherFile.text);
    assert.equal(otherFile.json<Envelope>().error.code, 'conflict');
    assert.equal((await withKey('Otra', PNG, 'media-key-1')).status, 409);
    assert.equal(uploads(), before + 1, 'a refused retry uploaded nothing');
  });

  it('refuses a type WhatsApp does not take, a missing file and a missing contact with clear reasons', async () => {
    const bad = await upload({ number_id: String(t.number.id), phone: '+52 55 1234 3434' }, { data: Buffer.from('PK'), type: 'application/zip', name: 'todo.zip' });
    assert.equal(bad.status, 422);
    const fields = (bad.json<Envelope>().error.details as { fields: Record<string, { message: string }> }).fields;
    assert.match(fields.file!.message, /WhatsApp no acepta «todo\.zip»/);
    const none = await upload({ number_id: String(t.number.id), phone: '+52 55 1234 3434' });
    assert.equal(none.status, 422);
    assert.equal((none.json<Envelope>().error.details as { fields: Record<string, { code: string }> }).fields.file!.code, 'whatsapp.media.required');
    assert.equal((await upload({ number_id: String(t.number.id), phone: '+52 55 9999 0000' }, { data: PNG, type: 'image/png', name: 'a.png' })).status, 404);
    assert.equal((await upload({ number_id: 'abc' }, { data: PNG, type: 'image/png', name: 'a.png' })).status, 422);
  });

  it('needs inbox:reply and the window', async () => {
    assert.equal((await upload({ number_id: String(t.number.id), phone: '+52 55 1234 3434' }, { data: PNG, type: 'image/png', name: 'a.png' }, readOnly)).status, 403);
    t.app.clock.advance(25 * 3600_000);
    const up = t.sb.sandbox.state.requests.media_upload ?? 0;
    const r = await upload({ number_id: String(t.number.id), phone: '+52 55 1234 3434' }, { data: PNG, type: 'image/png', name: 'a.png' });
    assert.equal(r.status, 400);
    assert.equal(r.json<Envelope>().error.details?.reason, 'whatsapp.window_closed');
    assert.equal(t.sb.sandbox.state.requests.media_upload ?? 0, up, 'nothing uploaded');
  });

  it('is in the OpenAPI document as a multipart upload', async () => {
    const doc = (await t.app.client().get('/api/v1/openapi.json')).json<{ paths: Record<string, { post?: { requestBody?: { content: Record<string, unknown> } } }> }>();
    assert.ok(doc.paths['/messages/media']?.post?.requestBody?.content['multipart/form-data']);
  });
});
