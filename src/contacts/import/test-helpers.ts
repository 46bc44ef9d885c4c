// Helpers for the import/export tests: upload a file through HTTP the way
// public/js/import.js does (multipart, CSRF token in a header), start the
// job with the proposed mapping plus overrides, and run the worker.
import fs from 'node:fs';
import type { HttpClient, Res } from '../../../test/http.js';
import type { TestApp } from '../../../test/harness.js';
import { completeSetup } from '../../../test/factories.js';
import { jobById, type ImportJob } from './jobs.js';
import { drainImports } from './worker.js';

export function multipart(files: Array<{ field?: string; name: string; content: Buffer | string; type?: string }>, fields: Record<string, string> = {}) {
  const boundary = `----cfTest${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'file'}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'text/csv'}\r\n\r\n`));
    parts.push(Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content, 'utf8'));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST /contacts/import as the page's script does; `json` false → the plain HTML form answer. */
export async function uploadFile(c: HttpClient, name: string, content: Buffer | string, opts: { json?: boolean; csrf?: boolean; csrfFrom?: string } = {}): Promise<Res> {
  const token = opts.csrf === false ? undefined : await c.csrf(opts.csrfFrom ?? '/contacts/import');
  const { body, contentType } = multipart([{ name, content }]);
  return c.request('POST', '/contacts/import', {
    body,
    headers: { 'content-type': contentType, ...(token ? { 'x-csrf-token': token } : {}), ...(opts.json === false ? {} : { accept: 'application/json' }) },
  });
}

export function jobIdOf(r: Res): number {
  const m = /\/contacts\/import\/(\d+)\/preview/.exec(r.json<{ redirect: string }>().redirect);
  if (!m) throw new Error(`no job in ${r.text}`);
  return Number(m[1]);
}

export type StartOptions = { map?: Record<string, string>; default_country?: string; dedupe?: string; tags?: string; opt_in?: boolean };

/** Start with the proposed mapping, overriding columns by header. */
export async function startJob(app: TestApp, c: HttpClient, id: number, o: StartOptions = {}): Promise<Res> {
  const job = (await jobById(app.deps.db, id))!;
  const form: Record<string, string> = {
    default_country: o.default_country ?? 'MX', dedupe: o.dedupe ?? 'skip', tags: o.tags ?? '',
  };
  if (o.opt_in) form.opt_in = '1';
  job.mapping.columns.forEach((col, i) => {
    form[`map_${i}`] = o.map?.[col.header] ?? col.target;
  });
  return c.post(`/contacts/import/${id}/start`, form, { csrfFrom: `/contacts/import/${id}/preview` });
}

/** Upload, start and run to the end; returns the finished job. */
export async function importFile(app: TestApp, c: HttpClient, name: string, content: Buffer | string, o: StartOptions = {}): Promise<ImportJob> {
  const up = await uploadFile(c, name, content);
  if (up.status !== 200) throw new Error(`upload ${up.status}: ${up.text.slice(0, 300)}`);
  const id = jobIdOf(up);
  const started = await startJob(app, c, id, o);
  if (started.status !== 303) throw new Error(`start ${started.status}: ${started.text.slice(0, 2000)}`);
  await drainImports(app.deps);
  return (await jobById(app.deps.db, id))!;
}

export async function ownerClient(app: TestApp): Promise<HttpClient> {
  const c = app.client();
  await completeSetup(c);
  return c;
}

export function rejectedText(job: ImportJob): string {
  return job.rejectedPath ? fs.readFileSync(job.rejectedPath, 'utf8') : '';
}

export async function contactsByPhone(app: TestApp): Promise<Map<string, Record<string, unknown>>> {
  const rows = await app.deps.db('contacts').select('*');
  return new Map(rows.map((r) => [String(r.phone), r]));
}
