// POST /api/v1/contacts/import (multipart, or the raw file with ?filename=)
// queues an import with the automatic mapping (overridable with ?map=);
// GET …/import/{id} follows it; GET …/import/{id}/rejected downloads the
// rejected rows.
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { Request } from 'express';
import { z } from 'zod';
import type { ApiFeature } from '../../api/registry.js';
import { IdParams, iso, IsoDateTime } from '../../api/schemas.js';
import { json } from '../../db/rows.js';
import { NotFound } from '../../errors.js';
import type { T } from '../../i18n/i18n.js';
import { parse } from '../../web/validate.js';
import { cancelJob, DEDUPE_RULES, type ImportJob } from './jobs.js';
import { applyMapOptions } from './map-options.js';
import { percentOf } from './present.js';
import { importsDir } from './run-context.js';
import { ApiImportQuery, listOf, StartImportInput } from './schema.js';
import { acceptUpload, importJob, startImport, type ImportActor } from './service.js';
import { receiveUpload, type Upload } from './upload.js';

export const ApiImportJob = z.object({
  id: z.number().int(),
  status: z.enum(['uploaded', 'queued', 'running', 'done', 'failed', 'cancelled']),
  file: z.string(),
  dedupe: z.enum(DEDUPE_RULES),
  default_country: z.string().nullable(),
  tags: z.array(z.string()),
  opt_in: z.boolean(),
  total_rows: z.number().int().nullable().meta({ description: 'An estimate while running (CSV: a byte scan; XLSX: the sheet\'s dimension or row count), exact when done; null before the job starts.' }),
  processed_rows: z.number().int(),
  percent: z.number().int().min(0).max(100).nullable().meta({ description: 'processed_rows against total_rows (at most 99 until done, 100 when done); null while the total is unknown.' }),
  inserted: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  rejected: z.number().int(),
  rejected_rows_url: z.string().nullable().meta({ description: 'CSV of the rejected rows with the reason per row, once there are any.' }),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  created_at: IsoDateTime,
  started_at: IsoDateTime.nullable(),
  finished_at: IsoDateTime.nullable(),
});

function presentApiJob(job: ImportJob, t: T): z.input<typeof ApiImportJob> {
  const err = job.error ? json<{ code?: string; params?: Record<string, string | number> }>(job.error, {}) : null;
  const d = (v: number | null) => iso(v === null ? null : new Date(v));
  return {
    id: job.id, status: job.status, file: job.originalName, dedupe: job.dedupe, default_country: job.defaultCountry, tags: job.tags,
    opt_in: job.optIn, total_rows: job.totalRows, processed_rows: job.nextRow, percent: percentOf(job), inserted: job.inserted, updated: job.updated,
    skipped: job.skipped, rejected: job.rejected,
    rejected_rows_url: job.rejected > 0 ? `/api/v1/contacts/import/${job.id}/rejected` : null,
    error: err ? { code: err.code ?? 'import.failed_internal', message: t(err.code ?? 'import.failed_internal', err.params) } : null,
    created_at: iso(new Date(job.createdAt)), started_at: d(job.startedAt), finished_at: d(job.finishedAt),
  };
}

export const importApi: ApiFeature = (apiRoute, deps) => {
  // The upload read by `receive`, for the handler of the same request.
  const uploads = new WeakMap<Request, { file: Upload; kept: boolean }>();
  apiRoute({
    method: 'post', path: '/contacts/import', summary: 'Import contacts from a CSV or XLSX file', tags: ['contacts'], scope: 'contacts:import', status: 202,
    description: 'Send the file as multipart/form-data (field `file`) or as the raw body with `?filename=`. The columns are mapped automatically ' +
      '(Google Contacts and Excel layouts included); override with `map`. Unusable files are refused with 422 and `details.fields.file`. ' +
      'A file over the upload limit (CHATFLOW_IMPORT_MAX_MB, 50 MB by default) is refused with 413. ' +
      'With an Idempotency-Key the file\'s bytes are part of the request: a retry with the same file replays the first answer, another file is a 409. ' +
      'The import runs in the background: follow it with GET /contacts/import/{id}.',
    query: ApiImportQuery,
    consumes: ['multipart/form-data', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    response: ApiImportJob,
    receive: async (req, res) => {
      const file = await receiveUpload(req, res, importsDir(deps));
      const held = { file, kept: false };
      uploads.set(req, held);
      return {
        digest: file.sha256,
        release: async () => {
          if (!held.kept) await fs.rm(file.path, { force: true });
        },
      };
    },
    handler: async ({ req, query }) => {
      const held = uploads.get(req)!;
      const actor: ImportActor = { userId: null, locale: req.locale, source: 'api', audit: req.audit };
      const job = await acceptUpload(deps, actor, { path: held.file.path, originalName: query.filename ?? held.file.originalName });
      try {
        const input = parse(StartImportInput, {
          targets: applyMapOptions(job, listOf(query.map)), default_country: query.default_country ?? job.defaultCountry ?? '',
          dedupe: query.dedupe, tags: listOf(query.tag).join(','), opt_in: query.opt_in === 'true',
        });
        const started = await startImport(deps, actor, job.id, input);
        held.kept = true; // the queued job owns the file now
        return presentApiJob(started, req.t);
      } catch (err) {
        await cancelJob(deps.db, job.id, deps.clock.now()); // a refused start leaves no upload waiting at a preview nobody sees
        throw err;
      }
    },
  });

  apiRoute({
    method: 'get', path: '/contacts/import/{id}', summary: 'Get an import\'s progress and result', tags: ['contacts'], scope: 'contacts:import',
    params: IdParams,
    response: ApiImportJob,
    handler: async ({ params, req }) => presentApiJob(await importJob(deps, params.id), req.t),
  });

  apiRoute({
    method: 'get', path: '/contacts/import/{id}/rejected', summary: 'Download an import\'s rejected rows (CSV)', tags: ['contacts'], scope: 'contacts:import',
    description: 'The original columns of every rejected row, its row number and the reason (English, or Spanish with `Accept-Language: es` at import time).',
    params: IdParams,
    produces: ['text/csv'],
    response: z.unknown(),
    handler: async ({ params, res }) => {
      const job = await importJob(deps, params.id);
      if (!job.rejectedPath || job.rejected === 0) throw new NotFound('import.not_found');
      res.status(200).attachment(`rejected-rows-import-${job.id}.csv`);
      await new Promise<void>((resolve, reject) => {
        createReadStream(job.rejectedPath!, { end: job.rejectedBytes - 1 }).on('error', reject).on('end', resolve).pipe(res);
      });
    },
  });
};
