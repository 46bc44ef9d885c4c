// /inbox pages and the small HTML fragments public/js/inbox.js fetches for
// live updates. Actions (POST) are in action-routes.ts and compose-routes.ts, the event stream in
// sse.ts, quick replies in quick-reply-routes.ts.
import { Router } from 'express';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import { parse } from '../web/validate.js';
import { actionRoutes } from './action-routes.js';
import { composeRoutes } from './compose-routes.js';
import { conversationIdOf, read } from './http.js';
import { messageById, messagesAfter } from './message-queries.js';
import { filterFromBack, inboxPage, listData, viewerOf } from './page-data.js';
import { filterQuery } from './present-list.js';
import { quickReplyRoutes } from './quick-reply-routes.js';
import { Id, ListQuery, ThreadQuery } from './schema.js';
import { getConversation, openThread } from './service.js';
import { sseRoutes } from './sse.js';
import { presentRows, threadData } from './thread.js';

function pages(r: Router, deps: Deps): void {
  r.get('/inbox', ...read, async (req, res) => {
    const filter = parse(ListQuery, req.query);
    res.page('inbox/index', await inboxPage(deps, viewerOf(req, res), filter));
  });

  r.get('/inbox/:id', ...read, async (req, res) => {
    const conv = await getConversation(deps, conversationIdOf(req));
    const q = parse(ThreadQuery, req.query);
    const opened = await openThread(deps, conv, req.user!);
    const page = await inboxPage(deps, viewerOf(req, res), parse(ListQuery, req.query), opened, {
      before: q.before, templateId: q.template, values: req.query as Record<string, unknown>,
    });
    // ?qr= is the no-JS way to insert a quick reply: the composer opens with its text.
    const qr = q.qr ? page.thread?.composer.quickReplies.find((x) => x.id === q.qr) : undefined;
    res.page('inbox/index', { ...page, values: qr ? { body: qr.text } : {} });
  });
}

/** HTML fragments for live updates; each answers with the same markup the page has. */
function fragments(r: Router, deps: Deps): void {
  r.get('/inbox/list', ...read, async (req, res) => {
    const active = Id.optional().catch(undefined).parse(req.query.active) ?? null;
    const list = await listData(deps, viewerOf(req, res), parse(ListQuery, req.query), active);
    res.set('Cache-Control', 'no-store').render('inbox/_items', { list });
  });

  r.get('/inbox/:id/messages', ...read, async (req, res) => {
    const conv = await getConversation(deps, conversationIdOf(req));
    const after = Id.optional().catch(undefined).parse(req.query.after) ?? 0;
    const messages = await presentRows(deps, await messagesAfter(deps.db, conv.id, after), viewerOf(req, res));
    res.set('Cache-Control', 'no-store').render('inbox/_messages', { messages, previousDay: null });
  });

  r.get('/inbox/:id/messages/:mid', ...read, async (req, res) => {
    const conv = await getConversation(deps, conversationIdOf(req));
    const m = await messageById(deps.db, conversationIdOf(req, 'mid'));
    if (!m || m.conversationId !== conv.id) throw new NotFound('inbox.not_found');
    const [message] = await presentRows(deps, [m], viewerOf(req, res));
    res.set('Cache-Control', 'no-store').render('inbox/_message', { m: message });
  });

  r.get('/inbox/:id/panel', ...read, async (req, res) => {
    const conv = await getConversation(deps, conversationIdOf(req));
    const q = parse(ThreadQuery, req.query);
    const thread = await threadData(deps, conv, viewerOf(req, res), { templateId: q.template, values: req.query as Record<string, unknown> });
    const part = req.query.part === 'actions' ? 'inbox/_actions' : 'inbox/_composer';
    res.set('Cache-Control', 'no-store').render(part, { thread, list: { qs: filterQuery(filterFromBack(req.query.back), true) } });
  });
}

export function inboxRoutes(deps: Deps): Router {
  const r = Router();
  sseRoutes(r, deps);
  fragments(r, deps);
  pages(r, deps);
  actionRoutes(r, deps);
  composeRoutes(r, deps);
  quickReplyRoutes(r, deps);
  return r;
}
