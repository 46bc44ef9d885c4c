import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { Invalid } from '../errors.js';
import { messages } from './i18n.js';
import { importErrorCode } from './import-errors.js';
import { readHeader, records, sniffFile, type ImportRecord } from './import-reader.js';

let dir: string;
let n = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chatflow-import-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(content: string | Buffer, ext = 'csv'): Promise<string> {
  const path = join(dir, `f${++n}.${ext}`);
  await writeFile(path, content);
  return path;
}

async function all(path: string, startAt?: number): Promise<ImportRecord[]> {
  const out: ImportRecord[] = [];
  for await (const r of records(path, { startAt })) out.push(r);
  return out;
}

async function refused(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => importErrorCode(err) === code);
  assert.ok(messages.es[code] && messages.en[code], `${code} has es/en text`);
}

const latin1 = (s: string) => Buffer.from(s, 'latin1');

describe('CSV encodings and delimiters', () => {
  it('UTF-8 with BOM: the BOM does not leak into the first header', async () => {
    const path = await file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Nombre,Teléfono\nJosé,+52 55 1234 5678\n')]));
    const h = await readHeader(path);
    assert.deepEqual(h.columns, ['Nombre', 'Teléfono']);
    assert.deepEqual(h.format, { format: 'csv', encoding: 'utf8-bom', delimiter: ',', skipLines: 0 });
    assert.deepEqual(h.sample[0].values, ['José', '+52 55 1234 5678']);
  });

  it('Latin-1 with semicolons and CRLF (Excel in a Spanish locale)', async () => {
    const path = await file(latin1('Nombre;Apellido;Teléfono\r\nJosé;Muñoz;55 1234 5678\r\nAna;Peña;33 1234 5678\r\n'));
    const h = await readHeader(path, { defaultCountry: 'MX' });
    assert.equal(h.format.format === 'csv' && h.format.encoding, 'windows-1252');
    assert.deepEqual((await all(path)).map((r) => r.values), [
      ['José', 'Muñoz', '55 1234 5678'],
      ['Ana', 'Peña', '33 1234 5678'],
    ]);
  });

  it('Windows-1252 curly quotes and euro sign', async () => {
    const bytes = Buffer.concat([latin1('Tel;Notas\n+34 612 345 678;'), Buffer.from([0x93]), latin1('VIP'), Buffer.from([0x94, 0x20, 0x80]), latin1('\n')]);
    const [row] = await all(await file(bytes));
    assert.equal(row.values[1], '“VIP” €');
  });

  it('tabs, pipes and UTF-16LE (Excel "Unicode text")', async () => {
    const tab = await file('Nombre\tTeléfono\nAna\t+52 55 1234 5678\n');
    assert.deepEqual((await all(tab))[0].values, ['Ana', '+52 55 1234 5678']);
    const pipe = await file('Nombre|Teléfono\nAna|+52 55 1234 5678\n');
    assert.deepEqual((await all(pipe))[0].values, ['Ana', '+52 55 1234 5678']);
    const utf16 = await file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Nombre\tTeléfono\r\nConceição\t+55 11 98765 4321\r\n', 'utf16le')]));
    assert.deepEqual((await all(utf16))[0].values, ['Conceição', '+55 11 98765 4321']);
  });

  it('skips the Excel sep= line but keeps Excel row numbers', async () => {
    const path = await file('sep=;\r\nNombre;Tel\r\nAna;+52 55 1234 5678\r\n');
    const h = await readHeader(path);
    assert.deepEqual(h.columns, ['Nombre', 'Tel']);
    assert.equal(h.sample[0].rowNumber, 2);
  });
});

describe('CSV structure', () => {
  it('quoted fields with delimiters, quotes and line breaks; row numbers count records', async () => {
    const csv = 'Nombre,Notas,Tel\r\n"Peña, José","dijo ""hola""\r\nsegunda línea",+52 55 1234 5678\r\nAna,simple,+52 33 1234 5678\r\n';
    const rows = await all(await file(csv));
    assert.deepEqual(rows, [
      { rowNumber: 2, values: ['Peña, José', 'dijo "hola"\r\nsegunda línea', '+52 55 1234 5678'] },
      { rowNumber: 3, values: ['Ana', 'simple', '+52 33 1234 5678'] },
    ]);
  });

  it('every row issue code has es/en text', () => {
    for (const code of ['contacts.import.row_extra_columns', 'contacts.import.row_missing_columns', 'contacts.import.malformed_csv']) {
      assert.ok(messages.es[code] && messages.en[code], code);
    }
    assert.deepEqual(Object.keys(messages.es).sort(), Object.keys(messages.en).sort());
  });

  it('reports ragged rows per row and pads short ones', async () => {
    const rows = await all(await file('a,b,Tel\n1,2,+5255\n1,2,+5255,extra\n1,+5255\n1,2,+5255,,\n'));
    assert.equal(rows[0].issue, undefined);
    assert.deepEqual(rows[1].issue, { code: 'contacts.import.row_extra_columns', severity: 'error', params: { expected: 3, found: 4 } });
    assert.deepEqual(rows[1].values, ['1', '2', '+5255']);
    assert.deepEqual(rows[2].issue, { code: 'contacts.import.row_missing_columns', severity: 'warning', params: { expected: 3, found: 2 } });
    assert.deepEqual(rows[2].values, ['1', '+5255', '']);
    assert.equal(rows[3].issue, undefined, 'trailing empty cells are not extra columns');
  });

  it('skips blank lines and delimiter-only rows without shifting row numbers', async () => {
    const rows = await all(await file('Nombre,Tel\n\nAna,1\n,\n  \nLuis,2\n'));
    assert.deepEqual(rows.map((r) => [r.rowNumber, r.values[0]]), [[3, 'Ana'], [6, 'Luis']]);
  });

  it('trims surrounding spaces and ignores trailing empty header cells', async () => {
    const h = await readHeader(await file(' Nombre , Teléfono ,,\n Ana , +52 55 1234 5678 ,,\n'));
    assert.deepEqual(h.columns, ['Nombre', 'Teléfono']);
    assert.deepEqual(h.sample[0], { rowNumber: 2, values: ['Ana', '+52 55 1234 5678'] });
  });

  it('treats a first row holding phone numbers as data, not header', async () => {
    const path = await file('Ana;+52 55 1234 5678\nLuis;+52 33 1234 5678\n');
    const h = await readHeader(path);
    assert.equal(h.hasHeader, false);
    assert.deepEqual(h.columns, ['', '']);
    assert.equal(h.sample[0].rowNumber, 1);
    assert.equal(h.mapping[1].target, 'phone');
    assert.equal(h.mapping[1].source, 'content');
  });

  it('skips a title row above the table', async () => {
    const h = await readHeader(await file('Clientes 2024;;\n\nNombre;Tel;Ciudad\nAna;+52 55 1234 5678;Lima\n'));
    assert.deepEqual(h.columns, ['Nombre', 'Tel', 'Ciudad']);
    assert.deepEqual(h.sample, [{ rowNumber: 4, values: ['Ana', '+52 55 1234 5678', 'Lima'] }]);
  });

  it('reads single-column files (header + phones)', async () => {
    const path = await file('Teléfono\n5512345678\n3312345678\n');
    const h = await readHeader(path, { defaultCountry: 'MX' });
    assert.deepEqual(h.columns, ['Teléfono']);
    assert.deepEqual((await all(path)).map((r) => [r.rowNumber, r.values[0]]), [[2, '5512345678'], [3, '3312345678']]);
    await refused(readHeader(await file('Teléfono\n')), 'contacts.import.header_only');
  });

  it('resumes from a row number: earlier rows + resumed rows = a full read', async () => {
    const lines = ['Nombre,Tel', ...Array.from({ length: 50 }, (_, i) => `"P${i},\nx",+52 55 1234 ${String(i).padStart(4, '0')}`)];
    const path = await file(lines.join('\n'));
    const full = await all(path);
    const resumed = await all(path, 31);
    assert.equal(resumed[0].rowNumber, 31);
    assert.deepEqual([...full.filter((r) => r.rowNumber < 31), ...resumed], full);
  });

  it('a malformed file fails with the row where parsing stopped', async () => {
    const located = (row: number) => (err: unknown) =>
      importErrorCode(err) === 'contacts.import.malformed_csv' && (err as Invalid).fields.file.params?.row === row;
    await assert.rejects(all(await file('Nombre,Tel\nAna,1\n"abc"def,2\nLuis,3\n')), located(3));
    await assert.rejects(all(await file('Nombre,Tel\nAna,1\n\n"sin cerrar,2\nLuis,3\n')), located(4));
  });
});

describe('refused files', () => {
  it('empty, blank and BOM-only files', async () => {
    await refused(readHeader(await file('')), 'contacts.import.empty_file');
    await refused(readHeader(await file('\r\n \n\n')), 'contacts.import.empty_file');
    await refused(readHeader(await file(Buffer.from([0xef, 0xbb, 0xbf]))), 'contacts.import.empty_file');
  });

  it('header only', async () => {
    await refused(readHeader(await file('Nombre;Teléfono;Correo\r\n')), 'contacts.import.header_only');
    await refused(readHeader(await file('Nombre;Teléfono\r\n;\r\n')), 'contacts.import.header_only');
  });

  it('no phone column', async () => {
    await refused(readHeader(await file('Nombre,Ciudad\nAna,Lima\nLuis,Quito\n')), 'contacts.import.no_phone_column');
  });

  it('binary garbage, legacy .xls and fake .xlsx', async () => {
    await refused(readHeader(await file(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'png')), 'contacts.import.not_tabular');
    await refused(readHeader(await file(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'xls')), 'contacts.import.xls_not_supported');
    await refused(readHeader(await file(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]), 'xlsx')), 'contacts.import.xlsx_unreadable');
  });
});

describe('XLSX', () => {
  async function workbook(): Promise<string> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Contactos');
    ws.addRow(['Nombre', 'Teléfono', 'Alta', 'Saldo', 'Web', 'Total', 'Acepta WhatsApp']);
    ws.addRow(['José Peña', 5215512345678, new Date(Date.UTC(2024, 0, 15)), 12.5, { text: 'sitio', hyperlink: 'https://x.mx' }, { formula: '1+1', result: 2 }, true]);
    ws.getCell('C2').numFmt = 'dd/mm/yyyy';
    ws.addRow(['Conceição', '+55 11 98765-4321', new Date(Date.UTC(2024, 0, 15, 13, 30)), null, null, null, false]);
    ws.getCell('C3').numFmt = 'dd/mm/yyyy hh:mm';
    ws.getCell('A5').value = { richText: [{ text: 'Ana ' }, { text: 'María', font: { bold: true } }] };
    ws.getCell('B5').value = '5512345678';
    ws.getCell('I5').value = 'fuera de la tabla';
    wb.addWorksheet('Otra').addRow(['ignorada', 1]);
    const path = join(dir, `wb${++n}.xlsx`);
    await wb.xlsx.writeFile(path);
    return path;
  }

  it('reads the first sheet with text cells, ISO dates and full-digit numbers', async () => {
    const path = await workbook();
    assert.deepEqual(await sniffFile(path), { format: 'xlsx' });
    const h = await readHeader(path, { defaultCountry: 'MX' });
    assert.deepEqual(h.columns, ['Nombre', 'Teléfono', 'Alta', 'Saldo', 'Web', 'Total', 'Acepta WhatsApp']);
    assert.equal(h.mapping[1].target, 'phone');
    assert.equal(h.mapping[6].target, 'opt_in');
    const rows = await all(path);
    assert.deepEqual(rows[0], { rowNumber: 2, values: ['José Peña', '5215512345678', '2024-01-15', '12.5', 'sitio', '2', 'true'] });
    assert.deepEqual(rows[1].values, ['Conceição', '+55 11 98765-4321', '2024-01-15T13:30:00.000Z', '', '', '', 'false']);
    assert.equal(rows[2].rowNumber, 5, 'empty row 4 is skipped but counted');
    assert.deepEqual(rows[2].values.slice(0, 2), ['Ana María', '5512345678']);
    assert.equal(rows[2].issue?.code, 'contacts.import.row_extra_columns');
    assert.equal(rows.length, 3, 'second sheet ignored');
  });

  it('resumes inside a sheet', async () => {
    const rows = await all(await workbook(), 3);
    assert.deepEqual(rows.map((r) => r.rowNumber), [3, 5]);
  });

  it('refuses an empty workbook', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Vacía');
    const path = join(dir, `empty${++n}.xlsx`);
    await wb.xlsx.writeFile(path);
    await refused(readHeader(path), 'contacts.import.empty_file');
  });
});
