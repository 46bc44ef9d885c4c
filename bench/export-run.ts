// Child process of B8: writes 100k contacts to .xlsx either through the real
// export (DB reads in keyset batches, column mapping, styles) or with the
// bare exceljs streaming writer fed the same rows and columns from the
// generator; prints time and peak RSS as JSON.
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { auditAs } from '../src/audit/context.js';
import { CLI_ACTOR } from '../src/audit/service.js';
import { boot } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import { prepareExport } from '../src/contacts/export/service.js';
import { translator } from '../src/i18n/i18n.js';
import { createLogger } from '../src/logging/logger.js';
import { rawContacts } from './import-bench-lib.js';

const { values } = parseArgs({ options: { mode: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, rows: { type: 'string' } } });
const started = performance.now();
let rows = 0;
if (values.mode === 'raw') {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(values.out!), useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet('Contactos', { views: [{ state: 'frozen', ySplit: 1 }] });
  const date = { numFmt: 'yyyy-mm-dd hh:mm' };
  const headers = ['Teléfono', 'Nombre', 'Apellidos', 'Nombre completo', 'Correo', 'País', 'Idioma', 'Zona', 'Consentimiento', 'Origen', 'Fecha consentimiento', 'Etiquetas', 'Creado', 'Actualizado', 'Último recibido', 'Último enviado', 'city', 'fecha_de_nacimiento', 'plan'];
  ws.columns = headers.map((h, i) => ({ header: h, key: String(i), width: 16, style: i === 0 ? { numFmt: '@' } : [10, 12, 13, 14, 15].includes(i) ? date : {} }));
  ws.getRow(1).eachCell((c) => { c.font = { bold: true }; });
  ws.getRow(1).commit();
  for (const c of rawContacts(Number(values.rows), Date.now())) {
    const r = c.row;
    const when = new Date(Number(r.created_at));
    ws.addRow([r.phone, r.first_name, r.last_name, r.display_name, r.email, r.country, r.language, r.timezone, 'Sin dato', null, null,
      c.tags.join(', ') || null, when, when, null, null, ...c.custom.map(([, v]) => v)]).commit();
    rows++;
  }
  ws.commit();
  await wb.commit();
} else {
  const deps = await boot(loadConfig({ NODE_ENV: 'production', CHATFLOW_DATA_DIR: values.data!, LOG_LEVEL: 'error' }), { log: createLogger('error'), migrate: false });
  const t0 = performance.now();
  const exp = await prepareExport(deps, {}, 'xlsx', translator(deps.catalog, 'es'), auditAs(CLI_ACTOR, deps.clock));
  rows = await exp.write(createWriteStream(values.out!));
  await deps.db.destroy();
  console.log(JSON.stringify({ ms: performance.now() - t0, rows, rssMiB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}
console.log(JSON.stringify({ ms: performance.now() - started, rows, rssMiB: process.resourceUsage().maxRSS / 1024 }));
