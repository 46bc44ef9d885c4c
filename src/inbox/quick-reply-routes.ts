// Settings → Quick replies: the team's canned answers. Anyone who replies can
// see them; managers and up (templates:write, the permission for shared
// message content) create, edit and delete them.
import type { Request, Response, Router } from 'express';
import type { Deps } from '../deps.js';
import { roleHas } from '../users/permissions.js';
import { can, requireUser } from '../web/guards.js';
import { parse } from '../web/validate.js';
import { conversationIdOf } from './http.js';
import {
  createQuickReply, deleteQuickReply, getQuickReply, listQuickReplies, QUICK_REPLY_VARIABLES, updateQuickReply,
} from './quick-replies.js';
import { QuickReplyInput } from './schema.js';

const BASE = '/settings/quick-replies';
const view = [requireUser, can('inbox:reply')];
const manage = [requireUser, can('templates:write')];

function formData(req: Request, extra: Record<string, unknown> = {}) {
  return { variables: QUICK_REPLY_VARIABLES, ...extra };
}

function listAndCreate(r: Router, deps: Deps): void {
  r.get(BASE, ...view, async (req, res) => {
    const items = await listQuickReplies(deps.db);
    res.page('inbox/quick-replies/index', { items, mayManage: roleHas(req.user!.role, 'templates:write'), title: req.t('inbox.qr.title') });
  });

  r.get(`${BASE}/new`, ...manage, (req, res) => {
    res.page('inbox/quick-replies/form', formData(req, { item: null, title: req.t('inbox.qr.new') }));
  });

  r.post(BASE, ...manage, async (req, res) => {
    res.form('inbox/quick-replies/form', formData(req, { item: null, title: req.t('inbox.qr.new') }));
    const input = parse(QuickReplyInput, req.body);
    await createQuickReply(deps, req.user!.id, input, req.audit);
    req.flash('success', 'inbox.qr.created', { shortcut: input.shortcut });
    res.redirect(303, BASE);
  });
}

function editAndDelete(r: Router, deps: Deps): void {
  const load = (req: Request) => getQuickReply(deps, conversationIdOf(req));
  const editPage = (req: Request, _res: Response, item: { id: number; title: string }) => formData(req, { item, title: req.t('inbox.qr.edit') });

  r.get(`${BASE}/:id`, ...manage, async (req, res) => {
    const item = await load(req);
    res.page('inbox/quick-replies/form', { ...editPage(req, res, item), values: { shortcut: item.shortcut, title: item.title, body: item.body } });
  });

  r.post(`${BASE}/:id`, ...manage, async (req, res) => {
    const item = await load(req);
    res.form('inbox/quick-replies/form', editPage(req, res, item));
    const input = parse(QuickReplyInput, req.body);
    await updateQuickReply(deps, item.id, input, req.audit);
    req.flash('success', 'inbox.qr.updated', { shortcut: input.shortcut });
    res.redirect(303, BASE);
  });

  r.post(`${BASE}/:id/delete`, ...manage, async (req, res) => {
    const gone = await deleteQuickReply(deps, conversationIdOf(req), req.audit);
    req.flash('success', 'inbox.qr.deleted', { shortcut: gone.shortcut });
    res.redirect(303, BASE);
  });
}

export function quickReplyRoutes(r: Router, deps: Deps): void {
  listAndCreate(r, deps);
  editAndDelete(r, deps);
}
