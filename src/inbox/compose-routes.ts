// The composer's richer sends, inside the 24-hour window: a file with an
// optional caption (multipart, read with busboy; the page script sends the
// CSRF token as a header) and interactive messages (reply buttons, a list).
// Like the other sends they redirect back to the thread, or re-render it with
// each error beside its input, in the user's language.
import type { Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { Invalid } from '../errors.js';
import { parse } from '../web/validate.js';
import { sendAttachment, sendInteractive } from '../whatsapp/send-service.js';
import { asFormError, backTo, prepare } from './action-routes.js';
import { buttonsFrom, listFrom, remapInvalid } from './compose-input.js';
import { reply } from './http.js';
import { readAttachmentForm } from '../whatsapp/media-upload.js';

const InteractiveKind = z.object({ kind: z.enum(['buttons', 'list']) });

export function composeRoutes(r: Router, deps: Deps): void {
  r.post('/inbox/:id/send-interactive', ...reply, async (req, res) => {
    const conv = await prepare(deps, req, res);
    const { kind } = parse(InteractiveKind, req.body);
    const base = { conversationId: conv.id, userId: req.user!.id };
    if (kind === 'buttons') {
      const { input, remap } = buttonsFrom(req.body);
      await asFormError(() => sendInteractive(deps, { ...base, kind, buttons: input }).catch((e: unknown) => remapInvalid(e, remap)));
    } else {
      const { input, remap } = listFrom(req.body);
      await asFormError(() => sendInteractive(deps, { ...base, kind, list: input }).catch((e: unknown) => remapInvalid(e, remap)));
    }
    res.redirect(303, backTo(req, conv));
  });

  r.post('/inbox/:id/attach', ...reply, async (req, res) => {
    const form = await readAttachmentForm(deps, req, res);
    req.body = form.fields;
    const conv = await prepare(deps, req, res);
    if (form.error) throw new Invalid(form.error);
    const file = form.file;
    if (!file) throw new Invalid({ file: { code: 'whatsapp.media.required' } });
    await asFormError(() => sendAttachment(deps, { conversationId: conv.id, file, caption: form.fields.caption, userId: req.user!.id }));
    res.redirect(303, backTo(req, conv));
  });
}
