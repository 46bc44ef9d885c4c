// Contacts → Tags: list with counts, create, rename/recolour, delete.
import type { Request, Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import { can, requireUser } from '../web/guards.js';
import { parse } from '../web/validate.js';
import { TagName } from './schema.js';
import { tagsWithCounts } from './tags-queries.js';
import { createTag, editTag, removeTag, TAG_COLORS, tagClass } from './tags-service.js';

const TagForm = z.object({ name: TagName, color: z.enum(TAG_COLORS).optional() });
const BASE = '/contacts/tags';

function idOf(req: Request): number {
  const n = Number(req.params.id);
  if (!Number.isSafeInteger(n) || n <= 0) throw new NotFound('contacts.tag_not_found');
  return n;
}

async function page(deps: Deps, req: Request) {
  const tags = (await tagsWithCounts(deps.db)).map((t) => ({ ...t, cls: tagClass(t.color) }));
  return { tags, colors: TAG_COLORS.map((c, i) => ({ value: c, label: req.t(`contacts.color.${i}`), cls: tagClass(c) })), title: req.t('contacts.tags.title') };
}

export function tagRoutes(r: Router, deps: Deps): void {
  r.get(BASE, requireUser, can('contacts:read'), async (req, res) => {
    res.page('contacts/tags', { ...(await page(deps, req)), values: {} });
  });

  r.post(BASE, requireUser, can('contacts:write'), async (req, res) => {
    res.form('contacts/tags', await page(deps, req));
    const input = parse(TagForm, req.body);
    const t = await createTag(deps, input, req.audit);
    req.flash('success', 'contacts.tags.created', { name: t.name });
    res.redirect(BASE);
  });

  r.post(`${BASE}/:id`, requireUser, can('contacts:write'), async (req, res) => {
    const id = idOf(req);
    res.form('contacts/tags', { ...(await page(deps, req)), editing: id });
    const input = parse(TagForm, req.body);
    const t = await editTag(deps, id, input, req.audit);
    req.flash('success', 'contacts.tags.updated', { name: t.name });
    res.redirect(BASE);
  });

  r.post(`${BASE}/:id/delete`, requireUser, can('contacts:delete'), async (req, res) => {
    const t = await removeTag(deps, idOf(req), req.audit);
    req.flash('success', 'contacts.tags.deleted', { name: t.name });
    res.redirect(BASE);
  });
}
