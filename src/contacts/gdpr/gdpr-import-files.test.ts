// Erasure reaches import files: earlier rejected-rows CSVs lose the rows that
// name the erased contact (by any spelling of the phone, raw national digits
// or e-mail) and keep every other row byte for byte; uploads still on disk
// (a failed job's, a preview holding the contact) are deleted; the receipt
// counts all that without personal data; an erase is refused while an
// import runs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import type { HttpClient } from '../../../test/http.js';
import { jobById } from '../import/jobs.js';
import { contactsByPhone, importFile, jobIdOf, ownerClient, startJob, uploadFile } from '../import/test-helpers.js';
import { contactMatcher } from './import-files.js';

const SHE = ['5560009999', 'ximena@privado.mx'];

describe('GDPR erase: import files', () => {
  let app: TestApp;
  let c: HttpClient;
  let ximena: number;
  const files: Record<string, string> = {};
  before(async () => {
    app = await startTestApp();
    c = await ownerClient(app);
    // Semicolons, a quoted multi-line cell and a formula-looking cell in rows that must survive untouched.
    const a = await importFile(app, c, 'a.csv', 'Nombre;Teléfono;Correo;Nota\n' +
      'Ximena;+52 55 6000 9999;ximena@privado.mx;\n' +
      'Xime otra vez;+52 1 55 6000 9999;;\n' +
      'Mal;12;XIMENA@privado.mx;\n' +
      'Otro;123;otro@example.com;"línea 1\nlínea 2"\n' +
      'Fórmula;99;;=SUMA(A1)\n', { default_country: 'MX' });
    const b = await importFile(app, c, 'b.csv', 'Nombre,Teléfono\nXimena,55 6000 9999\nPedro,55 6000 1234\n', { default_country: '' });
    assert.deepEqual([a.rejected, b.rejected], [4, 2]);
    ximena = Number((await contactsByPhone(app)).get('+525560009999')!.id);
    files.a = a.rejectedPath!;
    files.b = b.rejectedPath!;
    // A job that failed before uploads were deleted on failure: its file is still there.
    const failed = jobIdOf(await uploadFile(c, 'fallido.csv', 'Teléfono\n+52 55 6000 9999\n'));
    await app.deps.db('import_jobs').where({ id: failed }).update({ status: 'failed' });
    files.failed = (await jobById(app.deps.db, failed))!.filePath;
    // Two uploads waiting at their preview: one holds her number in a national spelling, one does not.
    const hers = jobIdOf(await uploadFile(c, 'suya.csv', 'Nombre,Celular\nX,044 55 6000 9999\n'));
    const other = jobIdOf(await uploadFile(c, 'ajena.csv', 'Nombre,Celular\nY,55 6000 4321\n'));
    files.hers = (await jobById(app.deps.db, hers))!.filePath;
    files.other = (await jobById(app.deps.db, other))!.filePath;
    files.hersId = String(hers);
  });
  after(() => app.close());

  it('matches phone spellings, raw digits and e-mail, not look-alikes', () => {
    const m = contactMatcher({ phone: '+525560009999', waKey: '525560009999', email: 'ximena@privado.mx', country: 'MX' });
    for (const cell of ['+52 1 55 6000 9999', '5215560009999', '55 6000 9999', '(55) 6000-9999', "'+52 55 6000 9999", 'Tel: 044 55 6000 9999', 'XIMENA@Privado.mx']) {
      assert.ok(m(['a', cell]), cell);
    }
    for (const cell of ['55 6000 9998', '+54 9 11 6000 9999', '6000 9999', 'ximena@otro.mx', '']) assert.ok(!m([cell]), cell);
  });

  it('is refused while an import runs, with the reason on the form', async () => {
    const id = jobIdOf(await uploadFile(c, 'enviado.csv', 'Teléfono\n+52 55 6100 0001\n'));
    assert.equal((await startJob(app, c, id)).status, 303);
    const r = await c.post(`/contacts/${ximena}/erase`, { confirm: 'BORRAR' }, { csrfFrom: `/contacts/${ximena}/erase` });
    assert.equal(r.status, 422);
    assert.match(r.text, /Hay una importación en curso/);
    assert.ok(await app.deps.db('contacts').where({ id: ximena }).first());
    await app.deps.db('import_jobs').where({ id }).update({ status: 'cancelled' });
  });

  it('rewrites the rejected files without her rows, deletes kept uploads that hold her, and counts it in the receipt', async () => {
    const beforeA = fs.readFileSync(files.a!, 'utf8');
    assert.ok(beforeA.includes('+52 1 55 6000 9999') && beforeA.includes('XIMENA@privado.mx'), 'her rows are there before');
    assert.ok(fs.readFileSync(files.b!, 'utf8').includes('Ximena,55 6000 9999'));
    const r = await c.post(`/contacts/${ximena}/erase`, { confirm: 'BORRAR' }, { csrfFrom: `/contacts/${ximena}/erase` });
    assert.equal(r.status, 303, r.text.slice(0, 500));

    const textA = fs.readFileSync(files.a!, 'utf8');
    const textB = fs.readFileSync(files.b!, 'utf8');
    for (const t of [textA, textB]) for (const n of [...SHE, '6000 9999', 'XIMENA@']) assert.ok(!t.includes(n), n);
    const kept = beforeA.split('\r\n').filter((line) => line.startsWith('\uFEFFNombre') || line.startsWith('Otro') || line.startsWith('línea 2') || line.startsWith('Fórmula'));
    assert.equal(textA, `${kept.join('\r\n')}\r\n`, 'the header and the other rows are unchanged, byte for byte');
    assert.match(textB, /^\uFEFFNombre,Teléfono,Fila,Motivo\r\nPedro,55 6000 1234,3,/);
    const jobs = await app.deps.db('import_jobs').whereIn('rejected_path', [files.a, files.b]);
    for (const j of jobs) assert.equal(Number(j.rejected_bytes), fs.statSync(j.rejected_path).size);
    assert.deepEqual(jobs.map((j) => Number(j.rejected)).sort(), [2, 4], 'the counters are aggregates and stay');
    const download = await c.get(`/contacts/import/${jobs.find((j) => j.rejected_path === files.a)!.id}/rejected.csv`);
    assert.equal(download.text.replace(/^\uFEFF/, ''), textA.replace(/^\uFEFF/, ''));

    assert.equal(fs.existsSync(files.failed!), false, 'the failed job\'s upload is gone');
    assert.equal(fs.existsSync(files.hers!), false, 'the preview holding her is gone');
    assert.equal((await jobById(app.deps.db, Number(files.hersId)))!.status, 'cancelled');
    assert.equal(fs.existsSync(files.other!), true, 'an unrelated preview stays');

    const receipt = await app.deps.db('audit_log').where({ action: 'contact.erased' }).first();
    const scrubbed = JSON.parse(receipt.changes).after.scrubbed;
    assert.deepEqual([scrubbed.import_rejected_files, scrubbed.import_rejected_rows, scrubbed.import_uploads_deleted], [2, 3, 2]);
    for (const n of SHE) assert.ok(!receipt.changes.includes(n));
  });
});
