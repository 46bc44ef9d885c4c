// /segments: list with counts, the builder (new/edit), delete, and the small
// JSON endpoints the builder and the list call for live counts.
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Deps } from '../../deps.js';
import { DomainError, Invalid, NotFound } from '../../errors.js';
import { can, requireUser } from '../../web/guards.js';
import { parse } from '../../web/validate.js';
import { customFields } from '../fields-queries.js';
import { compileOptions } from '../list-filter.js';
import { countOfQuery } from '../queries.js';
import { allTags } from '../tags-queries.js';
import { contactIdsQuery } from './compile.js';
import { ConditionSchema, type Condition } from './condition.js';
import { campaignChoices } from './campaigns.js';
import { builderMeta, problemTexts } from './present.js';
import { allSegments } from './queries.js';
import { createSegment, editSegment, getSegment, problemsOf, removeSegment, SegmentInput } from './service.js';

const needsFeature = (deps: Deps): RequestHandler => async (_req, _res, next) => {
  await deps.plans.requireFeature('segments');
  next();
};

function idOf(req: Request): number {
  const n = Number(req.params.id);
  if (!Number.isSafeInteger(n) || n <= 0) throw new NotFound('segments.not_found');
  return n;
}

/** The form posts the tree as JSON text (the builder keeps it in sync; without JS it can be edited by hand). */
function segmentForm(body: Record<string, unknown>): unknown {
  let definition: unknown;
  try {
    definition = JSON.parse(String(body.definition ?? ''));
  } catch {
    throw new Invalid({ definition: { code: 'segments.bad_json' } });
  }
  return { name: body.name, definition };
}

async function builderData(deps: Deps, req: Request, extra: Record<string, unknown>) {
  const [fields, tags, campaigns] = await Promise.all([customFields(deps.db), allTags(deps.db), campaignChoices(deps.db, req.t)]);
  return { meta: JSON.stringify(builderMeta(fields, tags, campaigns, req.t)), problems: [], ...extra };
}

/** Count for the builder and the list: `{count}` or `{error}` in the user's language; never a 500 for a bad tree. */
async function countJson(deps: Deps, req: Request, res: Response, cond: unknown): Promise<void> {
  try {
    const tree = parse(ConditionSchema, cond) as Condition;
    const fields = await customFields(deps.db);
    const count = await countOfQuery(deps.db, contactIdsQuery(deps.db, tree, fields, await compileOptions(deps)));
    res.json({ count, text: req.t('segments.count', { count: new Intl.NumberFormat(req.locale).format(count) }) });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    const first = e instanceof Invalid ? Object.values(e.fields)[0] : undefined;
    res.status(422).json({ error: req.t(first?.code ?? e.code, first?.params ?? e.params) });
  }
}

function listAndCounts(r: Router, deps: Deps, read: RequestHandler[]): void {
  r.get('/segments', ...read, async (req, res) => {
    const [segments, fields] = await Promise.all([allSegments(deps.db), customFields(deps.db)]);
    const rows = await Promise.all(segments.map(async (s) => ({
      id: s.id, name: s.name, problems: problemTexts(await problemsOf(deps.db, s.definition, fields), req.t),
    })));
    res.page('segments/index', { rows, title: req.t('segments.title') });
  });

  r.get('/segments/:id/count', ...read, async (req, res) => {
    const s = await getSegment(deps, idOf(req));
    await countJson(deps, req, res, s.definition);
  });

  r.post('/segments/count', ...read, async (req, res) => {
    await countJson(deps, req, res, (req.body as { definition?: unknown }).definition);
  });
}

function editing(r: Router, deps: Deps, write: RequestHandler[]): void {
  r.get('/segments/new', ...write, async (req, res) => {
    res.page('segments/form', await builderData(deps, req, { segment: null, values: { definition: JSON.stringify({ all: [] }) }, title: req.t('segments.new.title') }));
  });

  r.post('/segments', ...write, async (req, res) => {
    res.form('segments/form', await builderData(deps, req, { segment: null, title: req.t('segments.new.title') }));
    const s = await createSegment(deps, req.actor, parse(SegmentInput, segmentForm(req.body)), req.audit);
    req.flash('success', 'segments.created', { name: s.name });
    res.redirect('/segments');
  });

  r.get('/segments/:id', ...write, async (req, res) => {
    const s = await getSegment(deps, idOf(req));
    const problems = problemTexts(await problemsOf(deps.db, s.definition, await customFields(deps.db)), req.t);
    res.page('segments/form', await builderData(deps, req, {
      segment: { id: s.id, name: s.name }, problems, values: { name: s.name, definition: JSON.stringify(s.definition) }, title: s.name,
    }));
  });

  r.post('/segments/:id', ...write, async (req, res) => {
    const s = await getSegment(deps, idOf(req));
    res.form('segments/form', await builderData(deps, req, { segment: { id: s.id, name: s.name }, title: s.name }));
    const updated = await editSegment(deps, s.id, parse(SegmentInput, segmentForm(req.body)), req.audit);
    req.flash('success', 'segments.updated', { name: updated.name });
    res.redirect('/segments');
  });
}

export function segmentRoutes(r: Router, deps: Deps): void {
  const feature = needsFeature(deps);
  listAndCounts(r, deps, [requireUser, can('contacts:read'), feature]);
  editing(r, deps, [requireUser, can('contacts:write'), feature]);
  r.post('/segments/:id/delete', requireUser, can('contacts:delete'), feature, async (req, res) => {
    const s = await removeSegment(deps, idOf(req), req.audit);
    req.flash('success', 'segments.deleted', { name: s.name });
    res.redirect('/segments');
  });
}
