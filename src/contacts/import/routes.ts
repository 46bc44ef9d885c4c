// /contacts/import pages: upload, column preview, progress (+ its JSON for
// public/js/import.js), rejected-rows download, cancel.
import { createReadStream } from 'node:fs';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { Invalid, NotFound } from '../../errors.js';
import { can, requireUser } from '../../web/guards.js';
import { parse } from '../../web/validate.js';
import { customFields } from '../fields-queries.js';
import { recentJobs, type ImportJob } from './jobs.js';
import { countryOptions, presentJob, previewColumns, progressJson, targetGroups } from './present.js';
import { importsDir } from './run-context.js';
import { StartImportInput, targetsFromForm } from './schema.js';
import { readHeader } from '../import-reader.js';
import { acceptUpload, cancelImport, importJob, startImport, type ImportActor } from './service.js';
import { maxUploadBytes, receiveUpload, UploadTooLarge } from './upload.js';

const IdParam = z.object({ id: z.coerce.number().int().positive().max(2 ** 31 - 1) });

function actorOf(req: Request): ImportActor {
  return { userId: req.user?.id ?? null, locale: req.locale, source: 'web', audit: req.audit };
}

function wantsJson(req: Request): boolean {
  return (req.get('accept') ?? '').includes('application/json');
}

function view(req: Request, res: Response, job: ImportJob) {
  return presentJob(job, req.t, req.locale, String(res.locals.settings?.timezone ?? 'UTC'));
}

async function uploadPage(deps: Deps, req: Request, res: Response) {
  const jobs = await recentJobs(deps.db, 10);
  return { title: req.t('import.title'), maxMb: Math.round(maxUploadBytes() / 1048576), jobs: jobs.map((j) => view(req, res, j)) };
}

async function previewPage(deps: Deps, req: Request, job: ImportJob) {
  const preview = await readHeader(job.filePath, { defaultCountry: job.defaultCountry, sampleRows: 5 });
  const fields = await customFields(deps.db);
  return {
    title: req.t('import.preview.title'), job: { id: job.id, file: job.originalName },
    columns: previewColumns(req.t, job, preview),
    rows: preview.sample.slice(0, 5).map((r) => ({ number: r.rowNumber, values: job.mapping.columns.map((c) => r.values[c.index] ?? '') })),
    groups: targetGroups(req.t, fields, job.mapping.columns),
    countries: countryOptions(req.t, req.locale),
    defaults: { default_country: job.defaultCountry ?? '', dedupe: job.dedupe, tags: job.tags.join(', '), opt_in: job.optIn },
  };
}

/** A refused upload: the script gets {error}; the plain form is shown again with the message on the file field. */
function refuseUpload(req: Request, res: Response, page: Awaited<ReturnType<typeof uploadPage>>, status: number, message: string): void {
  if (wantsJson(req)) return void res.status(status).json({ error: message });
  res.page('import/new', { ...page, values: {}, errors: { file: message } }, { status });
}

async function upload(deps: Deps, req: Request, res: Response): Promise<void> {
  try {
    const file = await receiveUpload(req, res, importsDir(deps));
    const job = await acceptUpload(deps, actorOf(req), file);
    const to = `/contacts/import/${job.id}/preview`;
    if (wantsJson(req)) return void res.json({ redirect: to });
    res.redirect(303, to);
  } catch (err) {
    if (err instanceof UploadTooLarge) return refuseUpload(req, res, await uploadPage(deps, req, res), 413, req.t(err.code, err.params));
    if (!(err instanceof Invalid) || !wantsJson(req)) throw err;
    const field = Object.values(err.fields)[0];
    refuseUpload(req, res, await uploadPage(deps, req, res), 422, field ? req.t(field.code, field.params) : req.t('errors.invalid'));
  }
}

export function importRoutes(deps: Deps): Router {
  const r = Router();
  const guard = [requireUser, can('contacts:import')];

  r.get('/contacts/import', ...guard, async (req, res) => {
    res.page('import/new', await uploadPage(deps, req, res));
  });

  r.post('/contacts/import', ...guard, async (req, res) => {
    res.form('import/new', await uploadPage(deps, req, res));
    await upload(deps, req, res);
  });

  r.get('/contacts/import/:id/preview', ...guard, async (req, res) => {
    const job = await importJob(deps, parse(IdParam, req.params).id);
    if (job.status !== 'uploaded') return res.redirect(`/contacts/import/${job.id}`);
    res.page('import/preview', { ...(await previewPage(deps, req, job)), values: {} });
  });

  r.post('/contacts/import/:id/start', ...guard, async (req, res) => {
    const job = await importJob(deps, parse(IdParam, req.params).id);
    if (job.status !== 'uploaded') return res.redirect(303, `/contacts/import/${job.id}`);
    res.form('import/preview', await previewPage(deps, req, job));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input = parse(StartImportInput, { ...body, targets: targetsFromForm(body, job.mapping.columns.length) });
    await startImport(deps, actorOf(req), job.id, input);
    req.flash('success', 'import.started');
    res.redirect(303, `/contacts/import/${job.id}`);
  });

  r.get('/contacts/import/:id', ...guard, async (req, res) => {
    const job = await importJob(deps, parse(IdParam, req.params).id);
    if (job.status === 'uploaded') return res.redirect(`/contacts/import/${job.id}/preview`);
    const v = view(req, res, job);
    res.page('import/show', { title: req.t('import.progress.title', { file: job.originalName }), job: v, progress: progressJson(v) });
  });

  r.get('/contacts/import/:id/status.json', ...guard, async (req, res) => {
    const job = await importJob(deps, parse(IdParam, req.params).id);
    res.set('Cache-Control', 'no-store').json(progressJson(view(req, res, job)));
  });

  r.get('/contacts/import/:id/rejected.csv', ...guard, async (req, res) => {
    const job = await importJob(deps, parse(IdParam, req.params).id);
    if (!job.rejectedPath || job.rejected === 0) throw new NotFound('import.not_found');
    res.attachment(req.t('import.rejected.file_name', { id: job.id }));
    const stream = createReadStream(job.rejectedPath, { start: 0, end: Math.max(0, job.rejectedBytes - 1) });
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });

  r.post('/contacts/import/:id/cancel', ...guard, async (req, res) => {
    const id = parse(IdParam, req.params).id;
    await cancelImport(deps, id, req.audit);
    req.flash('info', 'import.cancelled');
    res.redirect(303, `/contacts/import/${id}`);
  });
  return r;
}
