// The import through the REST API (raw body and multipart), its refusals in
// the client's language, scopes, the rejected-rows download and the OpenAPI
// document; and `chatflow contacts import` run as a real CLI process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { bearer, newKey } from '../../../test/api-helpers.js';
import { jobById } from './jobs.js';
import { multipart, ownerClient } from './test-helpers.js';
import { drainImports } from './worker.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CSV = 'Nombre,Celular,Plan\nLuz,55 7000 0001,Oro\nMar,55 7000 0002,Plata\nMal,123,\n';

function cli(app: TestApp, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/chatflow.mjs'), ...args], {
    env: { ...process.env, NODE_ENV: 'test', CHATFLOW_DATA_DIR: app.db.dataDir, ...(app.db.databaseUrl ? { DATABASE_URL: app.db.databaseUrl } : {}) },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

describe('contacts import: API and CLI', () => {
  let app: TestApp;
  let secret: string;
  before(async () => {
    app = await startTestApp();
    await ownerClient(app);
    secret = (await newKey(app.deps, ['contacts:import'])).secret;
  });
  after(() => app.close());

  it('queues a raw-body import with options in the query, then reports progress and rejected rows', async () => {
    const r = await fetch(`${app.url}/api/v1/contacts/import?filename=clientes.csv&default_country=MX&tag=api&opt_in=true&map=Plan=custom:plan`, {
      method: 'POST', body: CSV, headers: bearer(secret, { 'content-type': 'text/csv' }),
    });
    assert.equal(r.status, 202);
    const queued = (await r.json()) as { id: number; status: string; file: string; tags: string[] };
    assert.deepEqual([queued.status, queued.file, queued.tags], ['queued', 'clientes.csv', ['api']]);
    await drainImports(app.deps);
    const status = await fetch(`${app.url}/api/v1/contacts/import/${queued.id}`, { headers: bearer(secret) });
    const body = (await status.json()) as Record<string, unknown>;
    assert.equal(body.status, 'done');
    assert.deepEqual([body.processed_rows, body.inserted, body.rejected], [3, 2, 1]);
    assert.equal(body.rejected_rows_url, `/api/v1/contacts/import/${queued.id}/rejected`);
    const rejected = await fetch(`${app.url}${body.rejected_rows_url}`, { headers: bearer(secret) });
    assert.equal(rejected.status, 200);
    assert.match(await rejected.text(), /Mal,123,,4,Phone number is too short/, 'reasons in the API client\'s language (English by default)');
    const luz = await app.deps.db('contacts').where({ phone: '+525570000001' }).first();
    assert.deepEqual([luz.opt_in, JSON.parse(luz.custom).plan], ['opted_in', 'Oro']);
  });

  it('accepts multipart uploads and refuses unusable files with 422 in Spanish on request', async () => {
    const form = multipart([{ name: 'mas.csv', content: 'Teléfono\n+52 55 7000 0003\n' }]);
    const ok = await fetch(`${app.url}/api/v1/contacts/import`, { method: 'POST', body: form.body, headers: bearer(secret, { 'content-type': form.contentType }) });
    assert.equal(ok.status, 202);
    const bad = await fetch(`${app.url}/api/v1/contacts/import?filename=x.csv`, {
      method: 'POST', body: 'Nombre,Teléfono\n', headers: bearer(secret, { 'content-type': 'text/csv', 'accept-language': 'es' }),
    });
    assert.equal(bad.status, 422);
    const env = (await bad.json()) as { error: { code: string; message: string; details: { fields: Record<string, { code: string }> } } };
    assert.equal(env.error.code, 'validation_failed');
    assert.equal(env.error.details.fields.file!.code, 'contacts.import.header_only');
    assert.match(env.error.message, /El archivo tiene encabezados pero ningún contacto/);
    const badMap = await fetch(`${app.url}/api/v1/contacts/import?filename=x.csv&map=Nope=phone`, {
      method: 'POST', body: CSV, headers: bearer(secret, { 'content-type': 'text/csv' }),
    });
    assert.equal(badMap.status, 422);
  });

  it('binds an Idempotency-Key to the file: the same file replays, another file is a 409, and neither leaves an upload behind', async () => {
    const uploads = () => fs.readdirSync(path.join(app.db.dataDir, 'uploads', 'imports')).filter((f) => f.startsWith('upload-')).sort();
    const post = (body: string) => fetch(`${app.url}/api/v1/contacts/import?filename=idem.csv`, {
      method: 'POST', body, headers: bearer(secret, { 'content-type': 'text/csv', 'idempotency-key': 'import-idem-1' }),
    });
    const fileA = 'Teléfono\n+52 55 7200 0001\n';
    const first = await post(fileA);
    assert.equal(first.status, 202);
    const job = (await first.json()) as { id: number };
    const kept = uploads();
    const jobs = Number((await app.deps.db('import_jobs').count({ n: '*' }).first())!.n);
    const again = await post(fileA);
    assert.equal(again.status, 202);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(((await again.json()) as { id: number }).id, job.id);
    const other = await post('Teléfono\n+52 55 7200 0002\n');
    assert.equal(other.status, 409);
    assert.equal(((await other.json()) as { error: { code: string } }).error.code, 'conflict');
    assert.equal(Number((await app.deps.db('import_jobs').count({ n: '*' }).first())!.n), jobs, 'no second job');
    assert.deepEqual(uploads(), kept, 'the replayed and the refused uploads were deleted');
    await drainImports(app.deps);
    assert.equal(await app.deps.db('contacts').where({ phone: '+525572000002' }).first(), undefined);
  });

  it('refuses a file over the upload limit with 413 in the client\'s language', async () => {
    process.env.CHATFLOW_IMPORT_MAX_MB = '1';
    try {
      const big = 'Teléfono\n' + '+52 55 7300 0001\n'.repeat(70_000);
      const r = await fetch(`${app.url}/api/v1/contacts/import?filename=big.csv`, {
        method: 'POST', body: big, headers: bearer(secret, { 'content-type': 'text/csv', 'accept-language': 'es' }),
      });
      assert.equal(r.status, 413);
      const env = (await r.json()) as { error: { code: string; message: string; details: { reason: string } } };
      assert.deepEqual([env.error.code, env.error.details.reason], ['payload_too_large', 'import.too_large']);
      assert.match(env.error.message, /supera los 1 MB/);
    } finally {
      delete process.env.CHATFLOW_IMPORT_MAX_MB;
    }
  });

  it('needs the contacts:import scope and documents the routes in OpenAPI', async () => {
    const { secret: weak } = await newKey(app.deps, ['contacts:read']);
    const r = await fetch(`${app.url}/api/v1/contacts/import?filename=a.csv`, { method: 'POST', body: CSV, headers: bearer(weak, { 'content-type': 'text/csv' }) });
    assert.equal(r.status, 403);
    const doc = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
    assert.ok(doc.paths['/contacts/import']?.post);
    assert.ok(doc.paths['/contacts/import/{id}']?.get);
    assert.ok(doc.paths['/contacts/export']?.get?.responses['200']?.content?.['text/csv']);
  });

  it('runs `chatflow contacts import` with a progress bar and exits non-zero on a refused file', async () => {
    const dir = fs.mkdtempSync(path.join(app.db.dataDir, 'cli-'));
    fs.writeFileSync(path.join(dir, 'ok.csv'), 'Nombre;Móvil;Grupo\nRosa;55 7100 0001;A\nLeo;55 7100 0002;B\n');
    fs.writeFileSync(path.join(dir, 'vacio.csv'), 'Nombre;Móvil\n');
    const [ok, refused] = await Promise.all([
      cli(app, ['contacts', 'import', path.join(dir, 'ok.csv'), '--country', 'MX', '--tag', 'cli', '--opt-in', '--map', 'Grupo=tags', '--batch-size', '500']),
      cli(app, ['contacts', 'import', path.join(dir, 'vacio.csv')]),
    ]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /Import \d+ finished: 2 rows, 2 new, 0 updated, 0 skipped, 0 rejected\./);
    assert.match(ok.err, /100%\s+2\/2 rows/);
    const rosa = await app.deps.db('contacts').where({ phone: '+525571000001' }).first();
    assert.equal(rosa.opt_in, 'opted_in');
    const tags = await app.deps.db('contact_tags').join('tags', 'tags.id', 'contact_tags.tag_id').where('contact_id', rosa.id).orderBy('name').pluck('name');
    assert.deepEqual(tags, ['A', 'cli']);
    const job = await app.deps.db('import_jobs').where({ source: 'cli' }).first();
    assert.equal((await jobById(app.deps.db, job.id))!.status, 'done');
    assert.equal(refused.code, 1);
    assert.match(refused.err, /chatflow: El archivo tiene encabezados pero ningún contacto/);
  });
});
