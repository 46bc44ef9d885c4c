// Contacts export through HTTP: the .xlsx read back with exceljs's streaming
// WorkbookReader (headers, accents, real date cells, phones as text, custom
// fields as columns, the brand in the file name), the CSV with its BOM,
// filters and segments, permissions, the audit entry, and the API.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { login, makeUser } from '../../../test/factories.js';
import type { HttpClient } from '../../../test/http.js';
import { bearer, newKey } from '../../../test/api-helpers.js';
import { insertCustomField } from '../fields-queries.js';
import { importFile, ownerClient } from '../import/test-helpers.js';

const CSV = 'Nombre,Apellido,Teléfono,Etiquetas,Visitas,Cumpleaños,VIP,Intereses,Acepta\n' +
  'José,Muñoz Peña,+52 55 4000 0001,"vip, odontología",12,1985-03-04,sí,"Limpieza, Ortodoncia",sí\n' +
  'Conceição,Gonçalves,+55 11 98765-0001,,3,,no,,no\n' +
  '"=1+1",Ñandú,+52 55 4000 0003,,,,,,\n';

async function download(c: HttpClient, path: string): Promise<{ status: number; type: string; name: string; body: Buffer }> {
  const headers: Record<string, string> = {};
  const cookie = c.cookie('chatflow.sid');
  if (cookie) headers.cookie = `chatflow.sid=${cookie}`;
  const r = await fetch(c.base + path, { headers, redirect: 'manual' });
  const name = /filename="?([^";]+)"?/.exec(r.headers.get('content-disposition') ?? '')?.[1] ?? '';
  return { status: r.status, type: r.headers.get('content-type') ?? '', name, body: Buffer.from(await r.arrayBuffer()) };
}

type Sheet = { rows: unknown[][]; headerBold: boolean; phoneType: string[]; dates: unknown[] };

async function readXlsx(buf: Buffer): Promise<Sheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buf), { worksheets: 'emit', styles: 'cache', sharedStrings: 'cache' });
  const out: Sheet = { rows: [], headerBold: false, phoneType: [], dates: [] };
  for await (const ws of reader) {
    for await (const row of ws) {
      out.rows.push((row.values as unknown[]).slice(1));
      if (row.number === 1) out.headerBold = row.getCell(1).font?.bold === true;
      else out.phoneType.push(typeof row.getCell(1).value);
    }
  }
  return out;
}

describe('contacts export', () => {
  let app: TestApp;
  let c: HttpClient;
  before(async () => {
    app = await startTestApp();
    c = await ownerClient(app);
    const now = app.clock.now();
    await insertCustomField(app.deps.db, { key: 'visits', label: 'Visitas', type: 'number', options: [], position: 1 }, now);
    await insertCustomField(app.deps.db, { key: 'birthday', label: 'Cumpleaños', type: 'date', options: [], position: 2 }, now);
    await insertCustomField(app.deps.db, { key: 'vip', label: 'VIP', type: 'boolean', options: [], position: 3 }, now);
    await insertCustomField(app.deps.db, { key: 'interests', label: 'Intereses', type: 'multiselect', options: ['Limpieza', 'Ortodoncia'], position: 4 }, now);
    const job = await importFile(app, c, 'export.csv', CSV, { map: { Visitas: 'custom:visits', 'Cumpleaños': 'custom:birthday', VIP: 'custom:vip', Intereses: 'custom:interests' } });
    assert.equal(job.inserted, 3);
  });
  after(() => app.close());

  it('streams an .xlsx named after the brand, with styled Spanish headers, accents, dates as dates and phones as text', async () => {
    const r = await download(c, '/contacts/export?format=xlsx');
    assert.equal(r.status, 200);
    assert.match(r.type, /spreadsheetml/);
    assert.equal(r.name, `${app.deps.brand.get().name}-contactos-2026-11-24.xlsx`);
    const sheet = await readXlsx(r.body);
    const header = sheet.rows[0] as string[];
    assert.deepEqual(header.slice(0, 4), ['Teléfono', 'Nombre', 'Apellidos', 'Nombre completo']);
    assert.deepEqual(header.slice(-4), ['Visitas', 'Cumpleaños', 'VIP', 'Intereses']);
    assert.ok(sheet.headerBold, 'header row is bold');
    assert.equal(sheet.rows.length, 4);
    assert.deepEqual(sheet.phoneType, ['string', 'string', 'string']);
    const col = (name: string) => header.indexOf(name);
    const jose = sheet.rows.find((row) => row[0] === '+525540000001')!;
    assert.equal(jose[col('Apellidos')], 'Muñoz Peña');
    assert.equal(jose[col('Etiquetas')], 'odontología, vip');
    assert.equal(jose[col('Visitas')], 12);
    assert.ok(jose[col('Cumpleaños')] instanceof Date);
    assert.equal((jose[col('Cumpleaños')] as Date).toISOString().slice(0, 10), '1985-03-04');
    assert.equal(jose[col('VIP')], 'Sí');
    assert.equal(jose[col('Intereses')], 'Limpieza, Ortodoncia');
    assert.equal(jose[col('Consentimiento')], 'Aceptó');
    const created = jose[col('Creado')] as Date;
    assert.ok(created instanceof Date);
    assert.equal(created.toISOString().slice(0, 16), '2026-11-24T06:00', 'the install\'s wall clock (Mexico City)');
    const br = sheet.rows.find((row) => row[0] === '+5511987650001')!;
    assert.equal(br[col('Nombre completo')], 'Conceição Gonçalves');
  });

  it('exports CSV in UTF-8 with a BOM, formula-looking cells neutralised, semicolons on request', async () => {
    const r = await download(c, '/contacts/export?format=csv');
    assert.equal(r.status, 200);
    assert.match(r.name, /-contactos-2026-11-24\.csv$/);
    assert.deepEqual([...r.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = r.body.toString('utf8');
    assert.match(text, /^\uFEFFTeléfono,Nombre,Apellidos,/);
    assert.match(text, /\+525540000001,José,Muñoz Peña,José Muñoz Peña,/);
    assert.match(text, /'=1\+1 Ñandú/);
    assert.match(text, /2026-11-24 06:00/);
    const semi = (await download(c, '/contacts/export?format=csv&delimiter=semicolon')).body.toString('utf8');
    assert.match(semi, /^\uFEFFTeléfono;Nombre;Apellidos;/);
  });

  it('exports only what the list filter or a segment matches, and says how many on the page', async () => {
    const r = await download(c, '/contacts/export?format=csv&opt_in=opted_in');
    const lines = r.body.toString('utf8').trim().split('\r\n');
    assert.equal(lines.length, 2);
    const [seg] = await app.deps.db('segments').insert({
      name: 'Brasil', definition: JSON.stringify({ field: 'phone', op: 'starts_with', value: '+55' }), created_at: 1, updated_at: 1,
    }, ['id']);
    const viaSegment = await download(c, `/contacts/export?format=csv&segment=${seg.id}`);
    assert.equal(viaSegment.body.toString('utf8').trim().split('\r\n').length, 2);
    const page = await c.get('/contacts/export?opt_in=opted_in');
    assert.equal(page.status, 200);
    assert.match(page.text, /1 contactos coinciden/);
    assert.match(page.text, /href="\/contacts\/export\?opt_in=opted_in&amp;format=xlsx"/);
    assert.equal((await c.get('/contacts/export?format=xlsx&segment=999999')).status, 404);
  });

  it('records an audit entry and refuses roles without contacts:export', async () => {
    const entry = await app.deps.db('audit_log').where({ action: 'contacts.exported' }).orderBy('id', 'desc').first();
    assert.ok(entry);
    assert.equal(JSON.parse(entry.changes).after.segment, 'Brasil');
    const agent = await makeUser(app.deps, 'agent');
    const ac = app.client();
    await login(ac, agent.email);
    assert.equal((await ac.get('/contacts/export?format=xlsx')).status, 403);
  });

  it('serves the same export through the API with the contacts:export scope', async () => {
    const { secret } = await newKey(app.deps, ['contacts:export']);
    const r = await fetch(`${app.url}/api/v1/contacts/export?format=csv&segment_id=1`, { headers: bearer(secret) });
    assert.equal(r.status, 200);
    const text = await r.text();
    assert.match(text, /Conceição/);
    assert.doesNotMatch(text, /José/);
    const xlsx = await fetch(`${app.url}/api/v1/contacts/export`, { headers: bearer(secret) });
    assert.equal((await readXlsx(Buffer.from(await xlsx.arrayBuffer()))).rows.length, 4);
    const { secret: weak } = await newKey(app.deps, ['contacts:read']);
    const denied = await fetch(`${app.url}/api/v1/contacts/export`, { headers: bearer(weak) });
    assert.equal(denied.status, 403);
  });
});
