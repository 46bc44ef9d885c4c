// The client against the sandbox over HTTP: Meta's Resumable Upload API (the
// example handle of a media header), creating with it, NAMED templates, edits
// (who may be edited, category, edit limits) and deletes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudApiClient } from './cloud-api.js';
import { MetaApiError } from './errors.js';
import { createSandboxServer, SANDBOX_DEFAULTS as D, type Sandbox } from './sandbox/index.js';

let sandbox: Sandbox;
let client: CloudApiClient;
let now = Date.UTC(2026, 11, 3, 12);

before(async () => {
  sandbox = await createSandboxServer({ clock: { now: () => now } });
  client = new CloudApiClient({ graphUrl: sandbox.url, apiVersion: 'v24.0' });
});
after(async () => {
  await client.close();
  await sandbox.close();
});

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');
const graph = (path: string, init: RequestInit = {}) =>
  fetch(`${sandbox.url}/v24.0/${path}`, { ...init, headers: { authorization: `Bearer ${D.token}`, ...(init.headers as Record<string, string>) } });
const metaError = (code: number, details?: RegExp, subcode?: number) => (e: unknown) => {
  assert.ok(e instanceof MetaApiError, String(e));
  assert.equal(e.code, code);
  if (details) assert.match(String(e.details), details);
  if (subcode !== undefined) assert.equal(e.subcode, subcode);
  return true;
};

describe('resumable upload', () => {
  it('opens a session on the app, sends the bytes with file_offset 0 and returns the handle', async () => {
    const r = await client.uploadTemplateSample(D.appId, D.token, { data: PNG, mimeType: 'image/png', filename: 'promo.png' });
    assert.match(r.uploadId, /^upload:[\w-]+\?sig=[\w-]+$/);
    const file = sandbox.state.handles.get(r.handle);
    assert.deepEqual([file?.mimeType, file?.size, file?.fileName], ['image/png', PNG.length, 'promo.png']);
  });

  it('validates file_length and file_type like Meta', async () => {
    const session = (q: string) => graph(`${D.appId}/uploads?${q}`, { method: 'POST' }).then(async (r) => ({ status: r.status, body: await r.json() as { error?: { code: number; message: string } } }));
    for (const [q, msg] of [['file_type=image/png', /file_length is required/], ['file_length=0&file_type=image/png', /positive integer/], ['file_length=-5&file_type=image/png', /positive integer/],
      ['file_length=10', /file_type is required/], ['file_length=10&file_type=image/gif', /file_type must be one of/]] as const) {
      const r = await session(q);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.error?.code, 100);
      assert.match(r.body.error!.message, msg, q);
    }
    await assert.rejects(client.uploadTemplateSample('999', D.token, { data: PNG, mimeType: 'image/png' }), metaError(100));
    await assert.rejects(client.uploadTemplateSample(D.appId, 'wrong-token', { data: PNG, mimeType: 'image/png' }), metaError(190));
  });

  it('refuses content that is not the declared type, a wrong offset, a bad signature, and resumes from file_offset', async () => {
    await assert.rejects(client.uploadTemplateSample(D.appId, D.token, { data: PDF, mimeType: 'image/png' }), metaError(100, /does not match file_type image\/png/));
    const open = await (await graph(`${D.appId}/uploads?file_length=${PDF.length}&file_type=application/pdf`, { method: 'POST' })).json() as { id: string };
    const [path, sig] = open.id.split('?');
    assert.equal((await graph(`${path}?sig=nope`, { method: 'POST', headers: { file_offset: '0' }, body: PDF })).status, 400);
    const wrong = await graph(open.id, { method: 'POST', headers: { file_offset: '3' }, body: PDF });
    assert.match(((await wrong.json()) as { error: { error_data: { details: string } } }).error.error_data.details, /file_offset must be 0/);
    const first = await (await graph(open.id, { method: 'POST', headers: { file_offset: '0' }, body: PDF.subarray(0, 10) })).json() as { file_offset: number };
    assert.equal(first.file_offset, 10);
    assert.equal(((await (await graph(`${path}?${sig}`)).json()) as { file_offset: number }).file_offset, 10);
    const done = await (await graph(open.id, { method: 'POST', headers: { authorization: `OAuth ${D.token}`, file_offset: '10' }, body: PDF.subarray(10) })).json() as { h: string };
    assert.equal(sandbox.state.handles.get(done.h)?.mimeType, 'application/pdf');
  });
});

describe('creating with media headers and named parameters', () => {
  it('a media header needs a handle of the right type', async () => {
    const png = await client.uploadTemplateSample(D.appId, D.token, { data: PNG, mimeType: 'image/png' });
    const body = { type: 'BODY' as const, text: 'Nueva colección de verano.' };
    const def = (format: 'IMAGE' | 'DOCUMENT', handle: string) => ({ name: `promo_${format.toLowerCase()}`, language: 'es_MX', category: 'MARKETING' as const,
      components: [{ type: 'HEADER' as const, format, example: { header_handle: [handle] } }, body] });
    await assert.rejects(client.createTemplate(D.wabaId, D.token, def('IMAGE', 'made-up')), metaError(100, /header_handle/));
    await assert.rejects(client.createTemplate(D.wabaId, D.token, def('DOCUMENT', png.handle)), metaError(100, /cannot use a image\/png example/));
    const created = await client.createTemplate(D.wabaId, D.token, def('IMAGE', png.handle));
    assert.equal(created.status, 'PENDING');
  });

  it('NAMED: examples by name, lower-case names only; positional must be numbered in order', async () => {
    const named = (text: string, example: unknown) => client.createTemplate(D.wabaId, D.token, { name: 'pedido_listo', language: 'es_MX', category: 'UTILITY', parameterFormat: 'NAMED',
      components: [{ type: 'BODY', text, example: example as Record<string, unknown> }] });
    await assert.rejects(named('Hola {{Nombre}}, listo.', { body_text_named_params: [{ param_name: 'Nombre', example: 'Ana' }] }), metaError(100, /lower-case/));
    await assert.rejects(named('Hola {{first_name}}, tu pedido {{order_id}} está listo.', { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] }), metaError(100, /order_id/));
    await assert.rejects(named('{{first_name}}, listo.', { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] }), metaError(100, undefined, 2388299));
    const ok = await named('Hola {{first_name}}, tu pedido {{order_id}} está listo.', { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }, { param_name: 'order_id', example: 'A-1' }] });
    assert.equal(sandbox.state.templateById(ok.id)?.parameter_format, 'NAMED');
    await assert.rejects(client.createTemplate(D.wabaId, D.token, { name: 'mal_orden', language: 'es', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hola {{2}} y {{1}}, juntos.', example: { body_text: [['a', 'b']] } }] }), metaError(100, /in order/));
  });
});

describe('edit and delete', () => {
  it('edits only APPROVED, REJECTED or PAUSED; never the category of an approved one; 1 edit per 24 h while approved', async () => {
    const t = sandbox.state.addTemplate({ name: 'aviso_pago', language: 'es_MX', category: 'UTILITY', status: 'PENDING', components: [{ type: 'BODY', text: 'Tu pago fue recibido.' }] });
    const components = [{ type: 'BODY' as const, text: 'Recibimos tu pago, gracias.' }];
    await assert.rejects(client.editTemplate(t.id, D.token, { components }), metaError(100, /is PENDING/));
    sandbox.state.approveTemplate('aviso_pago');
    await assert.rejects(client.editTemplate(t.id, D.token, { category: 'MARKETING' }), metaError(100, /category of an approved template/));
    await assert.rejects(client.editTemplate(t.id, D.token, {}), metaError(100, /category or components/));
    assert.equal(await client.editTemplate(t.id, D.token, { components }), true);
    assert.deepEqual([t.status, t.components[0]?.text], ['PENDING', 'Recibimos tu pago, gracias.']);
    sandbox.state.approveTemplate('aviso_pago');
    await assert.rejects(client.editTemplate(t.id, D.token, { components }), metaError(100, /once per 24 hours/));
    now += 25 * 3600_000;
    assert.equal(await client.editTemplate(t.id, D.token, { components }), true);
    sandbox.state.setTemplateStatus('aviso_pago', 'REJECTED');
    assert.equal(await client.editTemplate(t.id, D.token, { category: 'MARKETING' }), true, 'a rejected one may change category');
    assert.equal(t.category, 'MARKETING');
  });

  it('deletes one language by hsm_id, or all; disabled ones cannot be deleted', async () => {
    const es = sandbox.state.addTemplate({ name: 'bienvenida', language: 'es' });
    sandbox.state.addTemplate({ name: 'bienvenida', language: 'en' });
    sandbox.state.addTemplate({ name: 'bienvenida', language: 'pt_BR' });
    assert.equal(await client.deleteTemplate(D.wabaId, D.token, { name: 'bienvenida', hsmId: es.id }), true);
    assert.deepEqual(sandbox.state.templatesOf(D.wabaId).filter((x) => x.name === 'bienvenida').map((x) => x.language), ['en', 'pt_BR']);
    sandbox.state.setTemplateStatus('bienvenida', 'DISABLED', 'en');
    await assert.rejects(client.deleteTemplate(D.wabaId, D.token, { name: 'bienvenida' }), metaError(100, /Disabled/));
    sandbox.state.setTemplateStatus('bienvenida', 'APPROVED', 'en');
    assert.equal(await client.deleteTemplate(D.wabaId, D.token, { name: 'bienvenida' }), true);
    assert.equal(sandbox.state.templatesOf(D.wabaId).filter((x) => x.name === 'bienvenida').length, 0);
  });
});
