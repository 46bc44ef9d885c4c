// web/multipart.ts on a real HTTP server: files stream to disk with their
// size and SHA-256, text fields come back, UTF-8 names survive, the size
// limit holds to the byte (also without a Content-Length), and a refused or
// aborted upload leaves no file behind while the client still gets its answer.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { receiveMultipart, receiveRaw, UploadError } from './multipart.js';

const MAX = 1000;

function form(parts: Array<{ name: string; filename?: string; content: string | Buffer; type?: string }>) {
  const boundary = `----t${crypto.randomBytes(6).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const file = p.filename === undefined ? '' : `; filename="${p.filename}"`;
    const type = p.filename === undefined ? '' : `\r\nContent-Type: ${p.type ?? 'text/csv'}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${file}${type}\r\n\r\n`), Buffer.from(p.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

describe('web/multipart: uploads to disk', () => {
  let dir: string;
  let server: http.Server;
  let base: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-multipart-'));
    const app = express();
    app.post('/form', async (req, res) => {
      try {
        const r = await receiveMultipart(req, res, { dir, maxFileBytes: MAX, maxFiles: 2, maxFields: 3 });
        res.json({ fields: r.fields, files: r.files.map((f) => ({ ...f, content: fs.readFileSync(f.path, 'utf8') })) });
      } catch (e) {
        res.status(e instanceof UploadError ? (e.reason === 'too_large' ? 413 : 422) : 500).json({ reason: e instanceof UploadError ? e.reason : String(e) });
      }
    });
    app.post('/raw', async (req, res) => {
      try {
        const f = await receiveRaw(req, res, { dir, maxFileBytes: MAX, filename: 'x.csv' });
        res.json(f);
      } catch (e) {
        res.status(413).json({ reason: e instanceof UploadError ? e.reason : String(e) });
      }
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const left = () => fs.readdirSync(dir);

  it('writes files with size and SHA-256 and returns the text fields', async () => {
    const content = 'Teléfono\n+5215512345678\n';
    const f = form([{ name: 'note', content: 'hola ñ' }, { name: 'file', filename: 'Año ñandú.csv', content }]);
    const r = await fetch(`${base}/form`, { method: 'POST', body: f.body, headers: { 'content-type': f.type } });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { fields: Record<string, string>; files: Array<{ field: string; filename: string; bytes: number; sha256: string; content: string; path: string; mimeType: string }> };
    assert.deepEqual(body.fields, { note: 'hola ñ' });
    assert.equal(body.files.length, 1);
    const file = body.files[0]!;
    assert.deepEqual([file.field, file.filename, file.mimeType, file.content], ['file', 'Año ñandú.csv', 'text/csv', content]);
    assert.equal(file.bytes, Buffer.byteLength(content));
    assert.equal(file.sha256, crypto.createHash('sha256').update(content).digest('hex'));
    assert.equal(path.dirname(file.path), dir);
    fs.rmSync(file.path);
  });

  it('accepts a file of exactly the limit and refuses one byte more, keeping nothing', async () => {
    const ok = form([{ name: 'file', filename: 'a.csv', content: 'x'.repeat(MAX) }]);
    const r1 = await fetch(`${base}/form`, { method: 'POST', body: ok.body, headers: { 'content-type': ok.type } });
    assert.equal(r1.status, 200);
    for (const f of ((await r1.json()) as { files: Array<{ path: string }> }).files) fs.rmSync(f.path);
    const big = form([{ name: 'file', filename: 'a.csv', content: 'x'.repeat(MAX + 1) }, { name: 'file2', filename: 'b.csv', content: 'y' }]);
    const r2 = await fetch(`${base}/form`, { method: 'POST', body: big.body, headers: { 'content-type': big.type } });
    assert.equal(r2.status, 413);
    assert.deepEqual(await r2.json(), { reason: 'too_large' });
    assert.deepEqual(left(), []);
  });

  it('enforces the limit on a chunked body with no Content-Length (multipart and raw)', async () => {
    const big = form([{ name: 'file', filename: 'a.csv', content: 'z'.repeat(MAX * 50) }]);
    for (const [url, body, type] of [[`${base}/form`, big.body, big.type], [`${base}/raw`, Buffer.alloc(MAX * 50, 65), 'text/csv']] as const) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(url, { method: 'POST', headers: { 'content-type': type, 'transfer-encoding': 'chunked' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        for (let i = 0; i < body.length; i += 256) req.write(body.subarray(i, i + 256));
        req.end();
      });
      assert.equal(status, 413, url);
      assert.deepEqual(left(), [], url);
    }
  });

  it('refuses too many files or fields, and a malformed body', async () => {
    const three = form([1, 2, 3].map((n) => ({ name: `f${n}`, filename: `${n}.csv`, content: 'a' })));
    const r1 = await fetch(`${base}/form`, { method: 'POST', body: three.body, headers: { 'content-type': three.type } });
    assert.deepEqual([r1.status, await r1.json()], [422, { reason: 'too_many_files' }]);
    const fields = form([1, 2, 3, 4].map((n) => ({ name: `k${n}`, content: 'v' })));
    const r2 = await fetch(`${base}/form`, { method: 'POST', body: fields.body, headers: { 'content-type': fields.type } });
    assert.deepEqual([r2.status, await r2.json()], [422, { reason: 'too_many_fields' }]);
    const cut = form([{ name: 'file', filename: 'a.csv', content: 'abc' }]);
    const r3 = await fetch(`${base}/form`, { method: 'POST', body: cut.body.subarray(0, cut.body.length - 20), headers: { 'content-type': cut.type } });
    assert.deepEqual([r3.status, await r3.json()], [422, { reason: 'malformed' }]);
    const none = await fetch(`${base}/form`, { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.deepEqual(await none.json(), { reason: 'not_multipart' });
    assert.deepEqual(left(), []);
  });

  it('drops an empty, nameless file part (a form sent with no file chosen)', async () => {
    const f = form([{ name: 'file', filename: '', content: '', type: 'application/octet-stream' }, { name: 'a', content: '1' }]);
    const r = await fetch(`${base}/form`, { method: 'POST', body: f.body, headers: { 'content-type': f.type } });
    assert.deepEqual(await r.json(), { fields: { a: '1' }, files: [] });
    assert.deepEqual(left(), []);
  });

  it('deletes the partial file when the client goes away mid-upload', async () => {
    const f = form([{ name: 'file', filename: 'a.csv', content: 'q'.repeat(MAX - 10) }]);
    await new Promise<void>((resolve) => {
      const req = http.request(`${base}/form`, { method: 'POST', headers: { 'content-type': f.type, 'content-length': String(f.body.length) } });
      req.on('error', () => resolve());
      req.write(f.body.subarray(0, 600), () => setTimeout(() => {
        req.destroy();
        resolve();
      }, 100));
    });
    for (let i = 0; i < 50 && left().length; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(left(), []);
  });
});
