// /templates/:id/edit, /templates/:id/delete (with a confirm step) and
// /templates/header-sample: the sample of a media header, sent by the form's
// script as the raw file body (x-file-name, x-file-type, x-csrf-token), checked
// and uploaded to Meta; answers {handle, filename, bytes} or 422 {error}.
import fs from 'node:fs/promises';
import path from 'node:path';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { Conflict, Invalid, NotFound } from '../errors.js';
import { discardFiles, receiveRaw, UploadError } from '../web/multipart.js';
import { parse } from '../web/validate.js';
import { mediaDir } from './media-service.js';
import { HEADER_SAMPLES, sampleTooLarge, uploadHeaderSample } from './templates-media.js';
import { canDelete, canEdit, deleteTemplate, editTemplate, ownerOf } from './templates-manage.js';
import { componentsOf, contentValues } from './templates-components.js';
import { HEADER_TYPES, MEDIA_HEADERS, PARAMETER_FORMATS, TEMPLATE_CATEGORIES, TemplateEditForm, type MediaHeader } from './templates-schema.js';
import { templateById, type LocalTemplate } from './templates-store.js';

const Id = z.coerce.number().int().positive().max(2 ** 31 - 1);
const SampleQuery = z.object({ number_id: Id, format: z.enum(MEDIA_HEADERS) });

/** Option lists of the template content fields (new and edit forms). */
export function contentOptions(req: Request) {
  return {
    categoryOptions: TEMPLATE_CATEGORIES.map((c) => ({ value: c, label: req.t('whatsapp.templates.category.' + c) })),
    formatOptions: PARAMETER_FORMATS.map((f) => ({ value: f, label: req.t('whatsapp.templates.parameter_format.' + f) })),
    headerOptions: HEADER_TYPES.map((h) => ({ value: h, label: req.t('whatsapp.templates.header.' + h) })),
  };
}

async function found(deps: Deps, req: Request): Promise<LocalTemplate> {
  const id = Id.safeParse(req.params.id);
  const t = id.success ? await templateById(deps.db, id.data) : undefined;
  if (!t) throw new NotFound('whatsapp.template_not_found');
  return t;
}

/** The raw body through the shared upload reader (web/multipart.ts), stopped at the header's limit. */
async function readSample(deps: Deps, req: Request, res: Response, format: MediaHeader): Promise<Buffer> {
  let file;
  try {
    file = await receiveRaw(req, res, { dir: path.join(mediaDir(deps), 'incoming'), maxFileBytes: HEADER_SAMPLES[format].maxBytes, filename: '' });
  } catch (err) {
    if (!(err instanceof UploadError)) throw err;
    throw err.reason === 'too_large' ? sampleTooLarge(format) : new Invalid({ header_file: { code: 'whatsapp.media.bad_upload' } });
  }
  try {
    return await fs.readFile(file.path);
  } finally {
    await discardFiles([file]);
  }
}

function fileNameOf(req: Request): string {
  try {
    return decodeURIComponent(req.get('x-file-name') ?? '').replace(/[\\/\x00-\x1f\x7f"]/g, '').slice(0, 200) || 'sample';
  } catch {
    return 'sample';
  }
}

export function sampleRoute(r: Router, deps: Deps, write: RequestHandler[]): void {
  r.post('/templates/header-sample', ...write, async (req, res) => {
    try {
      const q = SampleQuery.safeParse(req.query);
      if (!q.success) throw new Invalid({ header_file: { code: 'whatsapp.templates.sample_pick_format' } });
      const data = await readSample(deps, req, res, q.data.format);
      const mimeType = req.get('x-file-type') ?? '';
      res.json(await uploadHeaderSample(deps, q.data.number_id, q.data.format, { data, mimeType, filename: fileNameOf(req) }));
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      res.status(422).json({ error: Object.values(err.fields).map((f) => req.t(f.code, f.params)).join(' ') });
    }
  });
}

async function editData(deps: Deps, req: Request, t: LocalTemplate) {
  const owner = await ownerOf(deps, t.wabaId);
  return { title: req.t('whatsapp.templates.edit_title'), template: t, sampleNumber: owner.id, ...contentOptions(req) };
}

async function languagesOf(deps: Deps, t: LocalTemplate): Promise<string[]> {
  const rows = await deps.db('templates').where({ waba_id: t.wabaId, name: t.name }).whereNot({ status: 'DELETED' }).orderBy('language').select('language');
  return rows.map((x: { language: string }) => x.language);
}

export function manageRoutes(r: Router, deps: Deps, write: RequestHandler[]): void {
  r.get('/templates/:id/edit', ...write, async (req, res) => {
    const t = await found(deps, req);
    if (!canEdit(t)) throw new Conflict(t.metaId ? 'whatsapp.templates.not_editable' : 'whatsapp.templates.not_at_meta', undefined, undefined, { status: t.status });
    res.page('templates/edit', { ...(await editData(deps, req, t)), values: contentValues(t) });
  });

  r.post('/templates/:id/edit', ...write, async (req, res) => {
    const t = await found(deps, req);
    res.form('templates/edit', await editData(deps, req, t));
    const v = parse(TemplateEditForm, req.body);
    const edited = await editTemplate(deps, t.id, { category: v.category, parameterFormat: v.parameter_format, components: componentsOf(v) }, req.audit);
    req.flash('success', 'whatsapp.templates.edited', { name: edited.name });
    res.redirect(`/templates/${t.id}`);
  });

  r.get('/templates/:id/delete', ...write, async (req, res) => {
    const t = await found(deps, req);
    if (!canDelete(t)) throw new Conflict(t.status === 'DELETED' ? 'whatsapp.templates.already_deleted' : 'whatsapp.templates.delete_disabled', undefined, undefined, { language: t.language });
    res.page('templates/delete', { title: req.t('whatsapp.templates.delete_title', { name: t.name }), template: t, languages: await languagesOf(deps, t), values: { scope: 'language' } });
  });

  r.post('/templates/:id/delete', ...write, async (req, res) => {
    const t = await found(deps, req);
    res.form('templates/delete', { title: req.t('whatsapp.templates.delete_title', { name: t.name }), template: t, languages: await languagesOf(deps, t) });
    const result = await deleteTemplate(deps, t.id, req.body?.scope === 'all' ? 'all' : 'language', req.audit);
    req.flash('success', 'whatsapp.templates.deleted', { name: result.name, count: result.deleted.length });
    res.redirect('/templates');
  });
}
