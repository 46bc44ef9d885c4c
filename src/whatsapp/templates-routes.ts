// /templates: the library synced from Meta (status, quality, body with its
// variables, a live preview), "sync now", creating a template for review and
// uploading the sample of a media header. Edit and delete: templates-manage-routes.ts.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import { can, requireUser } from '../web/guards.js';
import { parse } from '../web/validate.js';
import { metaErrorText } from './meta-errors.js';
import { allNumbers } from './numbers-queries.js';
import { bodyExampleValues } from './templates-components.js';
import { canDelete, canEdit } from './templates-manage.js';
import { contentOptions, manageRoutes, sampleRoute } from './templates-manage-routes.js';
import { TEMPLATE_LANGUAGES, TemplateForm } from './templates-schema.js';
import { bodySegments, listTemplates, submitTemplate } from './templates-service.js';
import { componentOf, templateById, variablesOf } from './templates-store.js';
import { syncTemplates } from './templates-sync.js';

const Id = z.coerce.number().int().positive().max(2 ** 31 - 1);
const STATUSES = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED', 'DELETED'];

async function formData(deps: Deps, req: Request) {
  const numbers = await allNumbers(deps.db);
  return {
    title: req.t('whatsapp.templates.new'),
    numberOptions: numbers.map((n) => ({ value: n.id, label: `${n.label} (${n.displayPhone})${n.isSandbox ? ' · ' + req.t('whatsapp.sandbox.badge') : ''}` })),
    languageOptions: TEMPLATE_LANGUAGES.map((l) => ({ value: l, label: l })),
    ...contentOptions(req),
  };
}

const read = [requireUser, can('templates:read')];
const write = [requireUser, can('templates:write')];

function listRoutes(r: Router, deps: Deps): void {
  r.get('/templates', ...read, async (req, res) => {
    const status = typeof req.query.status === 'string' && STATUSES.includes(req.query.status) ? req.query.status : undefined;
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 60) : undefined;
    const [templates, numbers] = await Promise.all([listTemplates(deps.db, { status, q }), allNumbers(deps.db)]);
    const wabaLabel = new Map(numbers.map((n) => [n.wabaId, n.isSandbox ? `${n.label} · ${req.t('whatsapp.sandbox.badge')}` : n.label]));
    const rows = templates.map((t) => ({ ...t, body: componentOf(t, 'BODY')?.text ?? '', segments: bodySegments(componentOf(t, 'BODY')?.text ?? ''), waba: wabaLabel.get(t.wabaId) ?? t.wabaId }));
    res.page('templates/index', { title: req.t('whatsapp.templates.title'), rows, statuses: STATUSES, values: { status: status ?? '', q: q ?? '' }, hasNumbers: numbers.length > 0 });
  });
}

function writeRoutes(r: Router, deps: Deps): void {
  r.get('/templates/new', ...write, async (req, res) => {
    res.page('templates/new', { ...(await formData(deps, req)), values: { language: 'es_MX', category: 'UTILITY', parameter_format: 'POSITIONAL', header_type: 'NONE' } });
  });

  r.post('/templates', ...write, async (req, res) => {
    res.form('templates/new', await formData(deps, req));
    const t = await submitTemplate(deps, parse(TemplateForm, req.body), req.audit);
    req.flash('success', 'whatsapp.templates.submitted', { name: t.name, status: t.status });
    res.redirect(`/templates/${t.id}`);
  });

  r.post('/templates/sync', ...write, async (req, res) => {
    const result = await syncTemplates(deps);
    if (result.errors.length) {
      const e = result.errors[0]!;
      req.flash('error', 'whatsapp.templates.sync_failed', { error: metaErrorText(req.t, e.code, e.message) });
    } else {
      req.flash('success', 'whatsapp.templates.synced', { fetched: result.fetched, created: result.created, removed: result.removed });
    }
    res.redirect('/templates');
  });
}

function showRoute(r: Router, deps: Deps): void {
  r.get('/templates/:id', ...read, async (req, res) => {
    const id = Id.safeParse(req.params.id);
    const t = id.success ? await templateById(deps.db, id.data) : undefined;
    if (!t) throw new NotFound('whatsapp.template_not_found');
    const body = componentOf(t, 'BODY');
    const examples = bodyExampleValues(t);
    const vars = variablesOf(body?.text).map((name) => ({ name, example: examples[name] ?? '' }));
    res.page('templates/show', {
      title: t.name, template: t, header: componentOf(t, 'HEADER'), body: body?.text ?? '', footer: componentOf(t, 'FOOTER')?.text ?? '',
      buttons: componentOf(t, 'BUTTONS')?.buttons ?? [], vars, segments: bodySegments(body?.text ?? ''), editable: canEdit(t), deletable: canDelete(t),
    });
  });
}

export function templatesRoutes(deps: Deps): Router {
  const r = Router();
  listRoutes(r, deps);
  writeRoutes(r, deps); // /templates/new before /templates/:id
  sampleRoute(r, deps, write);
  manageRoutes(r, deps, write);
  showRoute(r, deps);
  return r;
}
