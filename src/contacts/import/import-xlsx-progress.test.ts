// XLSX imports report a real percentage: the sheet's row count comes from its
// <dimension ref> (or, without one, from counting <row> elements while the
// entry inflates), so the job page's JSON, the API job and the CLI bar show
// "n %" mid-run, not rows only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import archiver from 'archiver';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { bearer, newKey } from '../../../test/api-helpers.js';
import type { HttpClient } from '../../../test/http.js';
import { ProgressBar } from './progress-bar.js';
import { SimulatedCrash } from './run.js';
import { jobIdOf, ownerClient, startJob, uploadFile } from './test-helpers.js';
import { drainImports } from './worker.js';
import { dimensionRows, xlsxRowCount } from './xlsx-total.js';

const ROWS = 300;

async function workbook(rows: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Clientes');
  ws.addRow(['Nombre', 'Teléfono']);
  for (let i = 0; i < rows; i++) ws.addRow([`Cliente ${i}`, `+52 55 8${String(i).padStart(3, '0')} 0000`]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A zip holding only a worksheet entry with this XML (deflated), as some generators write it. */
async function zipWithSheet(dir: string, name: string, xml: string): Promise<string> {
  const file = path.join(dir, name);
  const zip = archiver('zip', { zlib: { level: 6 } });
  const out = fs.createWriteStream(file);
  const done = new Promise<void>((resolve) => out.on('close', () => resolve()));
  zip.pipe(out);
  zip.append('<workbook/>', { name: 'xl/workbook.xml' });
  zip.append(xml, { name: 'xl/worksheets/sheet1.xml' });
  zip.append('<worksheet><sheetData><row r="1"/></sheetData></worksheet>', { name: 'xl/worksheets/sheet2.xml' });
  await zip.finalize();
  await done;
  return file;
}

function sheetXml(rows: number, dimension: string | null): string {
  const body = Array.from({ length: rows }, (_, i) => `<row r="${i + 1}" spans="1:2"><c r="A${i + 1}" t="inlineStr"><is><t>Fila número ${i}</t></is></c></row>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${dimension === null ? '' : `<dimension ref="${dimension}"/>`}<sheetData>${body}</sheetData></worksheet>`;
}

describe('contacts import: XLSX progress percentage', () => {
  let app: TestApp;
  let c: HttpClient;
  let dir: string;
  before(async () => {
    app = await startTestApp();
    c = await ownerClient(app);
    dir = fs.mkdtempSync(path.join(app.db.dataDir, 'xlsx-'));
  });
  after(() => app.close());

  it('reads the row count from the dimension, or counts rows when there is none', async () => {
    assert.equal(dimensionRows('A1:G1001'), 1001);
    assert.equal(dimensionRows('$B$3:$C$10'), 8);
    assert.equal(dimensionRows('A1'), null);
    const exceljsFile = path.join(dir, 'exceljs.xlsx');
    fs.writeFileSync(exceljsFile, await workbook(ROWS));
    assert.equal(await xlsxRowCount(exceljsFile), ROWS + 1);
    // 20k rows: the inflated XML spans many chunks, so tags cut at chunk edges must count once.
    assert.equal(await xlsxRowCount(await zipWithSheet(dir, 'nodim.xlsx', sheetXml(20_000, null))), 20_000);
    assert.equal(await xlsxRowCount(await zipWithSheet(dir, 'cell.xlsx', sheetXml(1234, 'A1'))), 1234, 'a single-cell dimension is ignored');
    assert.equal(await xlsxRowCount(await zipWithSheet(dir, 'dim.xlsx', sheetXml(10, 'A1:B50'))), 50, 'the dimension wins when it has a range');
    const notZip = path.join(dir, 'not.xlsx');
    fs.writeFileSync(notZip, 'PK\x03\x04 not really');
    assert.equal(await xlsxRowCount(notZip), null);
  });

  it('shows a percentage mid-run on the page JSON, the API job and the CLI bar, and 100 when done', async () => {
    const id = jobIdOf(await uploadFile(c, 'clientes.xlsx', await workbook(ROWS)));
    assert.equal((await startJob(app, c, id)).status, 303);
    const lines: string[] = [];
    const out = new PassThrough();
    out.on('data', (d: Buffer) => lines.push(d.toString()));
    const bar = new ProgressBar(out);
    await assert.rejects(
      drainImports(app.deps, { batchSize: 50, crashAfterBatches: 2, onProgress: (p) => bar.update(p.nextRow, p.totalRows) }),
      SimulatedCrash,
    );
    const page = (await c.get(`/contacts/import/${id}/status.json`)).json<{ percent: number | null; total: number | null; progress_text: string }>();
    assert.deepEqual([page.total, page.percent], [ROWS, 33]);
    assert.match(page.progress_text, /100 de 300/);
    const { secret } = await newKey(app.deps, ['contacts:import']);
    const api = (await (await fetch(`${app.url}/api/v1/contacts/import/${id}`, { headers: bearer(secret) })).json()) as Record<string, unknown>;
    assert.deepEqual([api.status, api.processed_rows, api.total_rows, api.percent], ['running', 100, ROWS, 33]);
    assert.match(lines.join(''), /\] {2}33%\s+100\/300 rows/, 'the CLI bar shows the percentage');

    await drainImports(app.deps, { batchSize: 50, staleMs: -1 });
    const done = (await (await fetch(`${app.url}/api/v1/contacts/import/${id}`, { headers: bearer(secret) })).json()) as Record<string, unknown>;
    assert.deepEqual([done.status, done.processed_rows, done.total_rows, done.percent, done.inserted], ['done', ROWS, ROWS, 100, ROWS]);
  });
});
