// File formats end to end through HTTP: BOM, semicolons, Latin-1, quoted
// newlines, Google Contacts and XLSX layouts, LatAm number variants, and bad
// phones landing in the rejected-rows file with their reason in Spanish.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import type { HttpClient } from '../../../test/http.js';
import { contactsByPhone, importFile, ownerClient, rejectedText } from './test-helpers.js';

describe('contacts import: file formats', () => {
  let app: TestApp;
  let c: HttpClient;
  before(async () => {
    app = await startTestApp();
    c = await ownerClient(app);
  });
  after(() => app.close());

  it('reads UTF-8 with BOM, semicolons and quoted multi-line notes', async () => {
    const csv = '\uFEFFNombre;Apellidos;Teléfono;Notas\r\nJosé;Muñoz Peña;+52 1 55 1000 0001;"Prefiere WhatsApp\r\nNo llamar; nunca"\r\nÁngela;Ibáñez;+52 55 1000 0002;\r\n';
    const job = await importFile(app, c, 'bom.csv', csv);
    assert.equal(job.status, 'done');
    assert.deepEqual([job.inserted, job.rejected, job.nextRow, job.totalRows], [2, 0, 2, 2]);
    const byPhone = await contactsByPhone(app);
    assert.equal(byPhone.get('+525510000001')!.last_name, 'Muñoz Peña');
    assert.equal(byPhone.get('+525510000002')!.first_name, 'Ángela');
    const note = await app.deps.db('contact_notes').where({ contact_id: byPhone.get('+525510000001')!.id }).first();
    assert.equal(note.body, 'Prefiere WhatsApp\r\nNo llamar; nunca');
  });

  it('detects a Latin-1 (Windows-1252) file from Excel and keeps every accent', async () => {
    const csv = Buffer.from('Nombre,Apellido,Celular\r\nMaría José,Núñez,5510000003\r\nIñaki,Castañeda,5510000004\r\n', 'latin1');
    const job = await importFile(app, c, 'excel-latin1.csv', csv);
    assert.equal(job.inserted, 2);
    const byPhone = await contactsByPhone(app);
    assert.equal(byPhone.get('+525510000003')!.display_name, 'María José Núñez');
    assert.equal(byPhone.get('+525510000004')!.sort_name, 'inaki castaneda');
  });

  it('maps a Google Contacts export (labels become tags, system groups dropped)', async () => {
    const csv = 'First Name,Middle Name,Last Name,Phone 1 - Label,Phone 1 - Value,E-mail 1 - Value,Labels\n' +
      'Sofía,,Ramírez,Mobile,+54 9 11 2345-6789,sofia@example.com,* myContacts ::: VIP ::: Clientes\n';
    const job = await importFile(app, c, 'google.csv', csv);
    assert.equal(job.inserted, 1);
    const row = (await contactsByPhone(app)).get('+5491123456789')!;
    assert.equal(row.email, 'sofia@example.com');
    assert.equal(row.timezone, 'America/Argentina/Buenos_Aires');
    const tags = await app.deps.db('contact_tags').join('tags', 'tags.id', 'contact_tags.tag_id').where('contact_id', Number(row.id)).orderBy('name').pluck('name');
    assert.deepEqual(tags, ['Clientes', 'VIP']);
  });

  it('treats every LatAm spelling of one number as one contact and rejects the repeats as duplicates in the file', async () => {
    const csv = 'Nombre,Teléfono\n' +
      'Mx1,+52 1 81 2000 0001\nMx2,+52 81 2000 0001\nMx3,5218120000001\nMx4,(81) 2000-0001\n' +
      'Ar1,+54 9 11 3000-0001\nAr2,+54 11 15 3000-0001\nAr3,+54 11 3000-0001\n' +
      'Br1,+55 11 98765-4321\nBr2,+55 11 8765-4321\n';
    const job = await importFile(app, c, 'variantes.csv', csv, { default_country: 'MX' });
    assert.deepEqual([job.inserted, job.rejected], [3, 6]);
    const keys = await app.deps.db('contacts').whereIn('wa_key', ['528120000001', '5491130000001', '5511987654321']).pluck('phone');
    assert.equal(keys.length, 3);
    const rejected = rejectedText(job);
    assert.match(rejected, /Mx2,\+52 81 2000 0001,3,Duplicado: el mismo teléfono está en la fila 2/);
    assert.match(rejected, /Ar3,\+54 11 3000-0001,8,Duplicado: el mismo teléfono está en la fila 6/);
    assert.match(rejected, /Br2,\+55 11 8765-4321,10,Duplicado: el mismo teléfono está en la fila 9/);
  });

  it('writes bad phones to the rejected file with the reason per row, original columns kept', async () => {
    const csv = 'Nombre,Teléfono,Ciudad\nCorto,55 123,Puebla\nTexto,sin teléfono,León\nExcel,5.21555E+12,Mérida\n' +
      'Largo,+52 55 1234 5678 9999,Lima\nBien,+52 55 1000 0009,Cusco\n"=HYPERLINK(""x"")",+52 55 1000 0010,"Quito, EC"\n';
    const job = await importFile(app, c, 'malos.csv', csv);
    assert.deepEqual([job.inserted, job.rejected], [2, 4]);
    const lines = rejectedText(job).split('\r\n');
    assert.equal(lines[0], '\uFEFFNombre,Teléfono,Ciudad,Fila,Motivo');
    assert.match(lines[1]!, /^Corto,55 123,Puebla,2,El teléfono es demasiado corto$/);
    assert.match(lines[2]!, /^Texto,sin teléfono,León,3,Esto no es un número de teléfono$/);
    assert.match(lines[3]!, /^Excel,5\.21555E\+12,Mérida,4,"Excel convirtió este número a notación científica/);
    assert.match(lines[4]!, /^Largo,\+52 55 1234 5678 9999,Lima,5,/);
    const download = await c.get(`/contacts/import/${job.id}/rejected.csv`);
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-disposition') ?? '', /filas-rechazadas-importacion-\d+\.csv/);
    assert.equal(download.text, rejectedText(job).replace(/^\uFEFF/, ''));
    const formula = (await contactsByPhone(app)).get('+525510000010')!;
    assert.equal(formula.display_name, '=HYPERLINK("x")', 'stored as typed; only exports guard formulas');
  });

  it('refuses national numbers without a default country, naming the missing country code', async () => {
    const job = await importFile(app, c, 'sin-pais.csv', 'Nombre,Teléfono\nLuis,55 1000 0011\nEva,+34 612 345 678\n', { default_country: '' });
    assert.deepEqual([job.inserted, job.rejected], [1, 1]);
    assert.match(rejectedText(job), /Luis,55 1000 0011,2,"Falta el código de país: /);
  });

  it('imports an .xlsx with numbers typed as numbers and a title row above the table', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Clientes');
    ws.addRow(['Clientes 2026']);
    ws.addRow(['Nombre', 'Apellido', 'Teléfono', 'Acepta WhatsApp']);
    ws.addRow(['Conceição', 'Gonçalves', 5215510000012, 'Sí']);
    ws.addRow(['Joaquín', 'Báez', '+52 55 1000 0013', 'no']);
    const job = await importFile(app, c, 'clientes.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    assert.equal(job.status, 'done');
    assert.deepEqual([job.inserted, job.rejected, job.nextRow], [2, 0, 2]);
    const byPhone = await contactsByPhone(app);
    assert.equal(byPhone.get('+525510000012')!.display_name, 'Conceição Gonçalves');
    assert.equal(byPhone.get('+525510000012')!.opt_in, 'opted_in');
    assert.equal(byPhone.get('+525510000013')!.opt_in, 'opted_out');
    const ledger = await app.deps.db('consent_events').where({ contact_id: byPhone.get('+525510000012')!.id });
    assert.deepEqual(ledger.map((e) => [e.status, e.source]), [['opted_in', 'import']]);
  });
});
