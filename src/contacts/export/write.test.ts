// The spreadsheet writers on their own: Excel's row limit starts a new sheet
// with the same styled header; column letters for the auto-filter range.
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { ExportColumn, ExportRow } from './columns.js';
import { columnLetter, writeXlsx } from './write.js';

const cols: ExportColumn[] = [
  { key: 'phone', header: 'Teléfono', kind: 'phone', width: 18, value: (r) => String(r.phone) },
  { key: 'name', header: 'Nombre', kind: 'text', width: 18, value: (r) => String(r.name) },
];

async function* batches(n: number): AsyncGenerator<ExportRow[]> {
  yield Array.from({ length: n }, (_, i) => ({ id: i + 1, phone: `+52550000000${i}`, name: `Peña ${i}`, tags: [], customValues: {} }));
}

describe('export writers', () => {
  it('continues on a new sheet, header included, when a sheet is full', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const stats = await writeXlsx(out, cols, batches(5), { sheet: 'Contactos', creator: 'Marca', headerColor: 'FF0B7A5C', sheetRows: 3 });
    assert.equal(stats.rows, 5);
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(Buffer.concat(chunks)), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache' });
    const sheets: unknown[][][] = [];
    for await (const ws of reader) {
      const rows: unknown[][] = [];
      for await (const row of ws) rows.push((row.values as unknown[]).slice(1));
      sheets.push(rows);
    }
    assert.deepEqual(sheets.map((s) => s.length), [3, 3, 2]);
    assert.deepEqual(sheets.map((s) => s[0]), [['Teléfono', 'Nombre'], ['Teléfono', 'Nombre'], ['Teléfono', 'Nombre']]);
    assert.deepEqual(sheets[2]![1], ['+525500000004', 'Peña 4']);
  });

  it('formats every cell by its column: phones as text, dates as dates, numbers as numbers', async () => {
    const typed: ExportColumn[] = [
      ...cols,
      { key: 'at', header: 'Creado', kind: 'datetime', width: 18, value: (r) => new Date(Date.UTC(2026, 0, 1 + r.id, 9, 30)) },
      { key: 'day', header: 'Cumpleaños', kind: 'date', width: 12, value: (r) => (r.id % 2 ? new Date(Date.UTC(1990, 4, r.id)) : null) },
      { key: 'n', header: 'Puntos', kind: 'number', width: 8, value: (r) => r.id * 10 },
    ];
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeXlsx(out, typed, batches(4), { sheet: 'Contactos', creator: 'Marca', headerColor: 'FF0B7A5C' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    assert.equal(ws.getRow(1).getCell(1).font?.bold, true);
    for (let r = 2; r <= 5; r++) {
      const row = ws.getRow(r);
      assert.equal(row.getCell(1).numFmt, '@', `phone format, row ${r}`);
      assert.equal(typeof row.getCell(1).value, 'string');
      assert.ok(row.getCell(3).value instanceof Date, `datetime value, row ${r}`);
      assert.equal(row.getCell(3).numFmt, 'yyyy-mm-dd hh:mm');
      if (r % 2 === 0) assert.equal(row.getCell(4).numFmt, 'yyyy-mm-dd');
      assert.equal(row.getCell(5).value, (r - 1) * 10);
    }
  });

  it('names columns the way Excel does', () => {
    assert.deepEqual([1, 26, 27, 52, 703].map(columnLetter), ['A', 'Z', 'AA', 'AZ', 'AAA']);
  });
});
