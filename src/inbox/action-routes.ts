// What staff do in a thread: reply (text or template), add an internal note,
// assign, change the status, mark read (attachments and interactive messages:
// compose-routes.ts). Each POST redirects back to the thread
// (keeping the list filters); a refusal re-renders the page with the reason
// in the composer, in the user's language and with Meta's code when there is one.
import type { Request, Response, Router } from 'express';
import type { Deps } from '../deps.js';
import { DomainError, Invalid } from '../errors.js';
import { parse } from '../web/validate.js';
import { sendTemplate, sendText } from '../whatsapp/send-service.js';
import { templateParamsFrom } from './composer.js';
import { filterFromBack, inboxPage, viewerOf } from './page-data.js';
import { filterQuery } from './present-list.js';
import type { Conversation } from './queries.js';
import { conversationIdOf, read, reply } from './http.js';
import { AssignInput, NoteInput, StatusInput, TemplateInput, TextInput } from './schema.js';
import { addNote, assign, getConversation, openThread, setStatus } from './service.js';

export function backTo(req: Request, c: Conversation): string {
  return `/inbox/${c.id}${filterQuery(filterFromBack(req.body?.back), true)}`;
}

/** Loads the conversation and prepares the 422 re-render (the page as it is now, with the typed values). */
export async function prepare(deps: Deps, req: Request, res: Response, templateId?: number): Promise<Conversation> {
  const conv = await getConversation(deps, conversationIdOf(req));
  const page = await inboxPage(deps, viewerOf(req, res), filterFromBack(req.body?.back), conv, { templateId, values: req.body });
  res.form('inbox/index', page as unknown as Record<string, unknown>);
  return conv;
}

/** The send service's refusals (window closed, opted out, Meta's codes…) become a form error on `send`. */
export async function asFormError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof DomainError && !(e instanceof Invalid)) throw new Invalid({ send: { code: e.code, params: e.params } });
    throw e;
  }
}

function sending(r: Router, deps: Deps): void {
  r.post('/inbox/:id/send', ...reply, async (req, res) => {
    const conv = await prepare(deps, req, res);
    const input = parse(TextInput, req.body);
    await asFormError(() => sendText(deps, { conversationId: conv.id, text: input.body, userId: req.user!.id }));
    res.redirect(303, backTo(req, conv));
  });

  r.post('/inbox/:id/send-template', ...reply, async (req, res) => {
    const templateId = parse(TemplateInput, req.body).template_id;
    const conv = await prepare(deps, req, res, templateId);
    const { params, header } = await templateParamsFrom(deps.db, templateId, req.body);
    await asFormError(() => sendTemplate(deps, { conversationId: conv.id, templateId, params, header, userId: req.user!.id }));
    res.redirect(303, backTo(req, conv));
  });

  r.post('/inbox/:id/notes', ...reply, async (req, res) => {
    const conv = await prepare(deps, req, res);
    const input = parse(NoteInput, req.body);
    await addNote(deps, conv, req.user!.id, input.body, req.audit);
    req.flash('success', 'inbox.note.added');
    res.redirect(303, backTo(req, conv));
  });
}

function workflow(r: Router, deps: Deps): void {
  r.post('/inbox/:id/status', ...reply, async (req, res) => {
    const conv = await prepare(deps, req, res);
    const { status } = parse(StatusInput, req.body);
    const changed = await setStatus(deps, conv, status, req.audit);
    req.flash(changed ? 'success' : 'info', changed ? 'inbox.status.changed' : 'inbox.unchanged', { status: req.t(`inbox.status.${status}`) });
    res.redirect(303, backTo(req, conv));
  });

  r.post('/inbox/:id/assign', ...reply, async (req, res) => {
    const conv = await prepare(deps, req, res);
    const { assignee } = parse(AssignInput, req.body);
    const changed = await assign(deps, conv, assignee, req.audit);
    const fresh = await getConversation(deps, conv.id);
    const key = !changed ? 'inbox.unchanged' : fresh.assignedName ? 'inbox.assign.done' : 'inbox.assign.cleared';
    req.flash(changed ? 'success' : 'info', key, { name: fresh.assignedName ?? '' });
    res.redirect(303, backTo(req, conv));
  });

  // Live updates call this while the thread is on screen, so new messages do not count as unread.
  r.post('/inbox/:id/read', ...read, async (req, res) => {
    const conv = await getConversation(deps, conversationIdOf(req));
    await openThread(deps, conv, req.user!);
    res.status(204).end();
  });
}

export function actionRoutes(r: Router, deps: Deps): void {
  sending(r, deps);
  workflow(r, deps);
}
