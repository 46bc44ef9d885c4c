// Uploading a contacts file through HTTP: unusable files are refused up
// front with a message in the user's language and leave nothing behind;
// CSRF and permissions are enforced; the preview proposes a mapping.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { login, makeUser } from '../../../test/factories.js';
import type { HttpClient } from '../../../test/http.js';
import { pruneAbandonedUploads } from './service.js';
import { jobIdOf, multipart, ownerClient, uploadFile } from './test-helpers.js';

function uploadsLeft(app: TestApp): string[] {
  const dir = path.join(app.db.dataDir, 'uploads', 'imports');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

describe('contacts import: upload and refusals', () => {
  let app: TestApp;
  let c: HttpClient;
  before(async () => {
    process.env.CHATFLOW_IMPORT_MAX_MB = '1';
    app = await startTestApp();
    c = await ownerClient(app);
  });
  after(async () => {
    delete process.env.CHATFLOW_IMPORT_MAX_MB;
    await app.close();
  });

  const refusals: Array<[string, string, Buffer | string, RegExp]> = [
    ['a PDF', 'lista.pdf', Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1'), /No es un archivo CSV ni Excel/],
    ['an old .xls', 'viejo.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]), /\(\.xls\) no son compatibles/],
    ['an empty file', 'vacio.csv', '', /El archivo está vacío/],
    ['a header-only file', 'solo.csv', 'Nombre,Teléfono\r\n', /tiene encabezados pero ningún contacto/],
    ['a file without a phone column', 'sin.csv', 'Nombre,Ciudad\nAna,Puebla\nLuis,León\n', /No se encontró una columna de teléfono/],
    ['a CSV with an unclosed quote', 'roto.csv', `Nombre,Teléfono\nAna,5512345678\n"Luis,5587654321\n${'x,1\n'.repeat(5)}`, /mal formado/],
    ['a renamed .docx', 'falso.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200)]), /No se pudo leer el archivo de Excel/],
  ];
  for (const [what, name, content, message] of refusals) {
    it(`refuses ${what} with a clear Spanish message and keeps no file`, async () => {
      const r = await uploadFile(c, name, content);
      assert.equal(r.status, 422, r.text);
      assert.match(r.json<{ error: string }>().error, message);
      assert.deepEqual(uploadsLeft(app), []);
      assert.equal(Number((await app.deps.db('import_jobs').count({ n: '*' }).first())!.n), 0);
    });
  }

  it('refuses a file over the size limit with 413 (the page shows it on the file field, the script gets JSON)', async () => {
    const big = 'Nombre,Teléfono\n' + 'Ana María de la Peña,+52 55 1234 5678\n'.repeat(40_000);
    const r = await uploadFile(c, 'grande.csv', big, { json: false });
    assert.equal(r.status, 413);
    assert.match(r.text, /<form[^>]+data-import-upload[\s\S]*supera los 1 MB/);
    const j = await uploadFile(c, 'grande.csv', big);
    assert.equal(j.status, 413);
    assert.match(j.json<{ error: string }>().error, /El archivo supera los 1 MB/);
    assert.deepEqual(uploadsLeft(app), []);
  });

  it('refuses an upload with no file chosen and one with two files', async () => {
    const token = await c.csrf('/contacts/import');
    const none = multipart([], { other: 'x' });
    const r1 = await c.request('POST', '/contacts/import', { body: none.body, headers: { 'content-type': none.contentType, 'x-csrf-token': token, accept: 'application/json' } });
    assert.equal(r1.status, 422);
    assert.match(r1.json<{ error: string }>().error, /Elige un archivo/);
    const two = multipart([{ name: 'a.csv', content: 'Teléfono\n+5215512345678\n' }, { name: 'b.csv', content: 'Teléfono\n+5215512345679\n' }]);
    const r2 = await c.request('POST', '/contacts/import', { body: two.body, headers: { 'content-type': two.contentType, 'x-csrf-token': token, accept: 'application/json' } });
    assert.equal(r2.status, 422);
    assert.match(r2.json<{ error: string }>().error, /un solo archivo/);
    assert.deepEqual(uploadsLeft(app), []);
  });

  it('needs the CSRF token (header) and the contacts:import permission', async () => {
    const noToken = await uploadFile(c, 'a.csv', 'Teléfono\n+5215512345678\n', { csrf: false });
    assert.equal(noToken.status, 403);
    const { body, contentType } = multipart([{ name: 'a.csv', content: 'Teléfono\n+5215512345678\n' }]);
    const wrong = await c.request('POST', '/contacts/import', { body, headers: { 'content-type': contentType, 'x-csrf-token': 'not-the-token', accept: 'application/json' } });
    assert.equal(wrong.status, 403);
    assert.deepEqual(uploadsLeft(app), [], 'a refused CSRF check never writes the file');
    const agent = await makeUser(app.deps, 'agent');
    const ac = app.client();
    await login(ac, agent.email);
    assert.equal((await ac.get('/contacts/import')).status, 403);
    assert.equal((await uploadFile(ac, 'a.csv', 'Teléfono\n+5215512345678\n', { csrfFrom: '/' })).status, 403);
  });

  it('accepts a CSV and shows its columns with the proposed mapping', async () => {
    const csv = 'Nombre,Apellido,Celular,Correo electrónico,Empresa\r\nJosé,Muñoz,55 1234 5678,jose@ejemplo.mx,Dental <Sonrisa>\r\n';
    const r = await uploadFile(c, 'clientes.csv', csv);
    assert.equal(r.status, 200, r.text);
    const id = jobIdOf(r);
    const page = await c.get(`/contacts/import/${id}/preview`);
    assert.equal(page.status, 200);
    assert.match(page.text, /clientes\.csv/);
    assert.match(page.text, /name="map_2"[\s\S]*?<option value="phone" selected>/);
    assert.match(page.text, /name="map_4"[\s\S]*?<option value="custom:company" selected>Empresa<\/option>/, 'a new field is offered under the file\'s header');
    assert.match(page.text, /Dental &lt;Sonrisa&gt;/, 'sample values are escaped');
    assert.match(page.text, /Primeras filas del archivo[\s\S]*<td>José<\/td><td>Muñoz<\/td><td>55 1234 5678<\/td>/);
    assert.match(page.text, /<option value="MX" selected>/, 'default country from the company timezone');
    const job = await app.deps.db('import_jobs').where({ id }).first();
    assert.equal(job.status, 'uploaded');
    assert.ok(fs.existsSync(job.file_path));
  });

  it('accepts an .xlsx upload', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Hoja1');
    ws.addRow(['Nombre', 'Teléfono']);
    ws.addRow(['Lucía', '+5215512345670']);
    const r = await uploadFile(c, 'libro.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    assert.equal(r.status, 200, r.text);
    const job = await app.deps.db('import_jobs').where({ id: jobIdOf(r) }).first();
    assert.equal(job.format, 'xlsx');
  });

  it('rejects a start with a broken mapping and re-renders the preview in Spanish', async () => {
    const id = jobIdOf(await uploadFile(c, 'x.csv', 'Nombre,Teléfono\nAna,+5215512345678\n'));
    const r = await c.post(`/contacts/import/${id}/start`, { map_0: 'first_name', map_1: 'ignore', default_country: 'MX', dedupe: 'skip' }, { csrfFrom: `/contacts/import/${id}/preview` });
    assert.equal(r.status, 422);
    assert.match(r.text, /No se encontró una columna de teléfono/);
    const bad = await c.post(`/contacts/import/${id}/start`, { map_0: 'first_name', map_1: 'phone', default_country: 'Narnia', dedupe: 'nope' }, { csrfFrom: `/contacts/import/${id}/preview` });
    assert.equal(bad.status, 422);
    assert.equal((await app.deps.db('import_jobs').where({ id }).first()).status, 'uploaded');
  });

  it('cancels uploads abandoned at the preview for a day and deletes their files', async () => {
    const id = jobIdOf(await uploadFile(c, 'olvidado.csv', 'Teléfono\n+5215512340000\n'));
    const file = (await app.deps.db('import_jobs').where({ id }).first()).file_path;
    assert.equal(await pruneAbandonedUploads(app.deps), 0, 'fresh uploads stay');
    app.clock.advance(25 * 60 * 60_000);
    assert.ok(await pruneAbandonedUploads(app.deps) >= 1);
    assert.equal((await app.deps.db('import_jobs').where({ id }).first()).status, 'cancelled');
    assert.equal(fs.existsSync(file), false);
  });
});
