// The contacts journey in a real browser, as the owner in Spanish: upload a
// semicolon CSV with a UTF-8 BOM through the import page, check and change the
// automatic mapping (one column into an existing date field, one into tags),
// follow the progress to the summary, download the rejected rows; build a
// segment on a tag AND a custom field with the live count, save it; export it
// to Excel from the contacts list and read the file back with exceljs.
// Screenshots land in test-results/contacts-flow-*.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { auditAs } from '../../src/audit/context.js';
import { SYSTEM_ACTOR } from '../../src/audit/service.js';
import { safeBrand } from '../../src/contacts/export/columns.js';
import { createField } from '../../src/contacts/fields-service.js';
import { startImportPoller } from '../../src/contacts/import/worker.js';
import { completeSetup, PASSWORD } from '../factories.js';
import { startTestApp, type TestApp } from '../harness.js';
import { browserSkipReason, launchBrowser, RESULTS_DIR, screenshot, signIn, waitForText, type Browser } from './helpers.js';

const skip = browserSkipReason();
if (skip) console.log(`# ${skip}`);

const HEADER = ['Nombre', 'Apellido', 'Celular', 'Correo', 'Interés', 'Alta', 'Plan', 'Ciudad'];
// Row numbers as Excel shows them (header = 1). Row 6 repeats row 2's Mexican
// number without the mobile "1"; row 7's number is too short.
const ROWS = [
  ['José', 'Muñoz', '+52 1 55 1234 5678', 'jose.munoz@ejemplo.mx', 'Ortodoncia', '15/03/2024', 'Básico', 'Querétaro'],
  ['Ñandú', 'Peña', '+54 9 11 2345-6789', 'nandu@ejemplo.com.ar', 'Ortodoncia, Niños', '2023-11-02', 'Oro', 'Córdoba'],
  ['Conceição', 'Araújo', '+55 11 8765-4321', 'conceicao@ejemplo.com.br', 'Blanqueamiento', '01/02/2025', 'Básico', 'São Paulo'],
  ['María José', 'Güemes', '55 8765 4321', '', 'Ortodoncia', '28/02/2024', 'básico', 'Mérida'],
  ['Pepe', 'Muñoz', '+52 55 1234 5678', '', 'Ortodoncia', '', 'Básico', 'Querétaro'],
  ['Íñigo', 'Sáenz', '12345', '', 'Ortodoncia', '', 'Básico', 'León'],
  ['Françoise', 'Lefèvre', '+52 33 1234 5678', '', 'Ortodoncia', '', 'Oro', 'Guadalajara'],
];
const CSV = Buffer.from('\uFEFF' + [HEADER, ...ROWS].map((r) => r.join(';')).join('\r\n') + '\r\n', 'utf8');
const FILE_NAME = 'pacientes-clínica.csv';
const SEGMENT = 'Ortodoncia · plan Básico';

/** A small CSV parser for the rejected-rows file (quoted cells, the given delimiter). */
function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) { row.push(cell); cell = ''; }
    else if (ch === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
    else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

describe('contacts import → segment → export in a real browser', { skip }, () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let poller: { stop(): void };
  let owner: { email: string };
  let importUrl: string;

  before(async () => {
    app = await startTestApp({ realClock: true });
    owner = await completeSetup(app.client());
    // An admin defined this date field earlier; the file's "Alta" column goes into it.
    await createField(app.deps, { key: 'cliente_desde', label: 'Cliente desde', type: 'date', options: [] }, auditAs(SYSTEM_ACTOR, app.deps.clock));
    poller = startImportPoller(app.deps, 200);
    browser = await launchBrowser({ locale: 'es-MX' });
    page = browser.page;
    await signIn(page, app.url, owner.email, PASSWORD);
  });
  after(async () => {
    poller?.stop();
    await browser?.close();
    await app?.close();
  });

  /** A full-page screenshot from the top: scrolled, the sticky top bar would be painted mid-page. */
  async function shot(name: string) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, `contacts-flow-${name}.png`);
  }

  function assertClean(step: string) {
    assert.deepEqual(browser.problems, [], `browser problems after ${step}`);
  }

  it('uploads the CSV and shows the preview with the automatic mapping', async () => {
    await page.goto(`${app.url}/contacts/import`);
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    await page.setInputFiles('#f-file', { name: FILE_NAME, mimeType: 'text/csv', buffer: CSV });
    await shot('01-upload');
    await Promise.all([page.waitForURL(/\/contacts\/import\/\d+\/preview$/, { timeout: 30_000 }), page.click('form[data-import-upload] button[type=submit]')]);
    importUrl = page.url().replace(/\/preview$/, '');
    assert.match((await page.locator('main').textContent()) ?? '', new RegExp(FILE_NAME));
    // The BOM is not part of the first header; accents survive in headers and cells.
    const headers = await page.locator('form table').first().locator('tbody th').allTextContents();
    assert.deepEqual(headers.map((h) => h.trim()), HEADER);
    const firstRows = await page.locator('form table').nth(1).innerText();
    for (const name of ['José', 'Ñandú', 'Conceição', 'Güemes']) assert.match(firstRows, new RegExp(name));
    const proposed = await Promise.all(HEADER.map((_, i) => page.inputValue(`#f-map_${i}`)));
    assert.deepEqual(proposed, ['first_name', 'last_name', 'phone', 'email', 'custom:interes', 'custom:alta', 'custom:plan', 'custom:city']);
    assert.equal(await page.inputValue('#f-default_country'), 'MX', "the company's country is the default for national numbers");
    assert.equal(await page.isChecked('input[name=dedupe][value=skip]'), true);
    assertClean('preview');
  });

  it('maps "Interés" into tags and "Alta" into the date field, imports, and shows the summary', async () => {
    await page.selectOption('#f-map_4', 'tags');
    await page.selectOption('#f-map_5', { label: 'Cliente desde' });
    assert.equal(await page.inputValue('#f-map_5'), 'custom:cliente_desde');
    await page.fill('#f-tags', 'Feria Querétaro');
    await shot('02-preview');
    await Promise.all([page.waitForURL(importUrl), page.click('form[action$="/start"] button[type=submit]')]);
    const summary = await waitForText(page, '[data-summary]', /Importación terminada/, 60_000);
    assert.equal(summary, 'Importación terminada: 5 nuevos, 0 actualizados, 0 omitidos y 2 rechazados de 7 filas.');
    assert.equal((await page.locator('[data-count="inserted"]').textContent())?.trim(), '5');
    assert.equal((await page.locator('[data-count="rejected"]').textContent())?.trim(), '2');
    assert.equal(await page.locator('[data-progress-bar]').evaluate((el) => (el as HTMLProgressElement).value), 100);
    assert.equal(await page.locator('[data-cancel-form]').count(), 0, 'no cancel button once done');
    await page.locator('[data-rejected]').waitFor({ state: 'visible' });
    await shot('03-summary');
    assertClean('import summary');
  });

  it('downloads the rejected rows with the reason for each', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-rejected-link]')]);
    assert.match(download.suggestedFilename(), /^filas-rechazadas-importacion-\d+\.csv$/);
    const text = fs.readFileSync(await download.path(), 'utf8');
    assert.ok(text.startsWith('\uFEFF'), 'a BOM, so Excel reads the accents');
    const rows = parseCsv(text.slice(1), ';');
    assert.deepEqual(rows[0], [...HEADER, 'Fila', 'Motivo']);
    assert.equal(rows.length, 3, JSON.stringify(rows));
    assert.deepEqual(rows[1]!.slice(0, 2), ['Pepe', 'Muñoz']);
    assert.equal(rows[1]![8], '6');
    assert.equal(rows[1]![9], 'Duplicado: el mismo teléfono está en la fila 2');
    assert.deepEqual(rows[2]!.slice(0, 3), ['Íñigo', 'Sáenz', '12345']);
    assert.equal(rows[2]![8], '7');
    assert.match(rows[2]![9]!, /El teléfono es demasiado corto/);
    assertClean('rejected download');
  });

  it('builds a segment on a tag and a custom field with a live count, and saves it', async () => {
    await page.goto(`${app.url}/segments/new`);
    await page.fill('#f-name', SEGMENT);
    await page.getByRole('button', { name: 'Agregar condición' }).first().click();
    const tagRule = page.locator('.builder-rule').first();
    await tagRule.locator('select').nth(0).selectOption('tag');
    await tagRule.locator('select').nth(2).selectOption({ label: 'Ortodoncia' });
    // José, Ñandú, María José and Françoise (Pepe and Íñigo were rejected).
    await waitForText(page, '[data-live-count]', /^4 contactos coinciden$/);
    await page.getByRole('button', { name: 'Agregar condición' }).first().click();
    const planRule = page.locator('.builder-rule').nth(1);
    await planRule.locator('select').nth(0).selectOption('custom:plan');
    await planRule.locator('select').nth(1).selectOption('eq');
    // Typed without the accent: custom text values match accent- and case-insensitively.
    await planRule.locator('input').fill('basico');
    await waitForText(page, '[data-live-count]', /^2 contactos coinciden$/);
    await shot('04-builder');
    await Promise.all([page.waitForURL(`${app.url}/segments`), page.click('form[data-segment-form] button[type=submit]')]);
    const row = page.locator('tr', { hasText: SEGMENT });
    await waitForText(page, '[data-segment-count]', /^2 contactos coinciden$/);
    assert.equal(await row.count(), 1);
    await shot('05-segments');
    assertClean('segment saved');
  });

  it('lists the segment and exports it to Excel with accents, text phones, real dates and custom columns', async () => {
    await Promise.all([page.waitForURL(/\/contacts\?segment=\d+$/), page.locator('tr', { hasText: SEGMENT }).getByRole('link', { name: 'Ver contactos' }).click()]);
    const listed = await page.locator('table.contacts-table tbody tr').allInnerTexts();
    assert.equal(listed.length, 2, listed.join('\n'));
    assert.match(listed.join('\n'), /José Muñoz/);
    assert.match(listed.join('\n'), /María José Güemes/);
    await shot('06-list');
    await Promise.all([page.waitForURL(/\/contacts\/export\?segment=\d+$/), page.getByRole('link', { name: 'Exportar estos contactos' }).click()]);
    assert.match((await page.locator('main').textContent()) ?? '', new RegExp(`2 contactos están en el segmento «${SEGMENT}»`));
    await shot('07-export');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Descargar Excel (.xlsx)' }).click()]);

    const brand = app.deps.brand.get().name;
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(app.deps.clock.now());
    assert.equal(download.suggestedFilename(), `${safeBrand(brand)}-contactos-${day}.xlsx`);
    const file = path.join(RESULTS_DIR, 'contacts-flow-export.xlsx');
    await download.saveAs(file);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('Contactos');
    assert.ok(ws, `sheets: ${wb.worksheets.map((w) => w.name).join(', ')}`);
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    assert.deepEqual(header, [
      'Teléfono', 'Nombre', 'Apellidos', 'Nombre completo', 'Correo electrónico', 'País', 'Idioma', 'Zona horaria', 'Consentimiento',
      'Origen del consentimiento', 'Fecha del consentimiento', 'Etiquetas', 'Creado', 'Actualizado', 'Último mensaje recibido',
      'Último mensaje enviado', 'Cliente desde', 'Plan', 'Ciudad',
    ], 'standard columns, then one per custom field; "Interés" went into tags, not a column');
    assert.equal(ws.getRow(1).getCell(1).font?.bold, true, 'the header row is styled');
    const col = (name: string) => header.indexOf(name) + 1;
    const byPhone = new Map<string, ExcelJS.Row>();
    for (let r = 2; r <= ws.rowCount; r++) byPhone.set(String(ws.getRow(r).getCell(1).value), ws.getRow(r));
    assert.deepEqual([...byPhone.keys()].sort(), ['+525512345678', '+525587654321']);

    const jose = byPhone.get('+525512345678')!;
    const maria = byPhone.get('+525587654321')!;
    assert.equal(jose.getCell(col('Teléfono')).type, ExcelJS.ValueType.String, 'the phone is text, not a number');
    assert.equal(jose.getCell(col('Teléfono')).numFmt, '@');
    assert.equal(jose.getCell(col('Nombre')).value, 'José');
    assert.equal(jose.getCell(col('Apellidos')).value, 'Muñoz');
    assert.equal(jose.getCell(col('Nombre completo')).value, 'José Muñoz');
    assert.equal(jose.getCell(col('Correo electrónico')).value, 'jose.munoz@ejemplo.mx');
    assert.equal(jose.getCell(col('País')).value, 'MX');
    assert.equal(jose.getCell(col('Ciudad')).value, 'Querétaro');
    assert.equal(jose.getCell(col('Plan')).value, 'Básico');
    assert.deepEqual(String(jose.getCell(col('Etiquetas')).value).split(', ').sort(), ['Feria Querétaro', 'Ortodoncia']);
    assert.equal(maria.getCell(col('Nombre')).value, 'María José');
    assert.equal(maria.getCell(col('Apellidos')).value, 'Güemes');
    assert.equal(maria.getCell(col('Ciudad')).value, 'Mérida');
    assert.equal(maria.getCell(col('Plan')).value, 'básico', 'the value as written in the file');

    const since = jose.getCell(col('Cliente desde'));
    assert.equal(since.type, ExcelJS.ValueType.Date, 'a date field is a real Excel date');
    assert.equal((since.value as Date).toISOString(), '2024-03-15T00:00:00.000Z');
    assert.equal(since.numFmt, 'yyyy-mm-dd');
    assert.equal((maria.getCell(col('Cliente desde')).value as Date).toISOString(), '2024-02-28T00:00:00.000Z', 'DD/MM/YYYY read day first');
    const created = jose.getCell(col('Creado'));
    assert.equal(created.type, ExcelJS.ValueType.Date);
    assert.ok(Math.abs((created.value as Date).getTime() - Date.now()) < 24 * 3_600_000, 'created today (wall clock of the install)');
    assertClean('export');
  });
});
