// REST API: send one WhatsApp message (free text, reply buttons or a list
// inside the 24-hour window, an approved template at any time, a file through
// POST /messages/media) and read message history. Every rule is the send
// service's; this only resolves who and what.
import crypto from 'node:crypto';
import type { Request } from 'express';
import { z } from 'zod';
import { decodeCursor, PageQuery, pageOf, toPage, whereAfter } from '../api/pagination.js';
import type { ApiFeature } from '../api/registry.js';
import type { Deps } from '../deps.js';
import { DomainError, Invalid, NotFound } from '../errors.js';
import type { T } from '../i18n/i18n.js';
import { normalizePhone } from '../contacts/phone.js';
import { parse } from '../web/validate.js';
import { toMessage, type StoredMessage } from './message-store.js';
import { metaErrorText } from './meta-errors.js';
import { getNumber } from './numbers-service.js';
import { readAttachmentForm, type AttachmentForm } from './media-upload.js';
import { sendAttachment, sendInteractive, sendTemplate, sendText } from './send-service.js';
import { contactById, contactByWaKey } from './wa-contacts.js';

const iso = (v: number | null) => (v === null ? null : new Date(v).toISOString());

export const ApiMessage = z.object({
  id: z.number().int(),
  conversation_id: z.number().int(),
  contact_id: z.number().int(),
  number_id: z.number().int(),
  direction: z.enum(['in', 'out', 'note']),
  type: z.string(),
  body: z.string().nullable(),
  status: z.string().meta({ description: 'queued, sent, delivered, read, failed (outbound) or received (inbound).' }),
  wamid: z.string().nullable(),
  template_name: z.string().nullable(),
  error: z.object({ code: z.number().int().nullable(), title: z.string().nullable(), message: z.string() }).nullable(),
  created_at: z.string(), sent_at: z.string().nullable(), delivered_at: z.string().nullable(), read_at: z.string().nullable(), failed_at: z.string().nullable(),
});

export function presentMessage(m: StoredMessage, t: T): z.input<typeof ApiMessage> {
  return {
    id: m.id, conversation_id: m.conversationId, contact_id: m.contactId, number_id: m.numberId, direction: m.direction, type: m.type, body: m.body,
    status: m.status, wamid: m.wamid, template_name: m.templateName,
    error: m.status === 'failed' ? { code: m.errorCode, title: m.errorTitle, message: metaErrorText(t, m.errorCode, m.errorTitle) } : null,
    created_at: iso(m.createdAt)!, sent_at: iso(m.sentAt), delivered_at: iso(m.deliveredAt), read_at: iso(m.readAt), failed_at: iso(m.failedAt),
  };
}

// Loose caps here; Meta's limits are the builders' (messages.ts), reported per field under `interactive.`.
const Text = (_max: number) => z.string().max(4096);
const Interactive = z.object({
  kind: z.enum(['buttons', 'list']),
  body: Text(4096).meta({ description: 'Message text (buttons: ≤1024 characters; list: ≤4096).' }),
  header: Text(60).optional().meta({ description: 'Text header, ≤60 characters.' }),
  footer: Text(60).optional().meta({ description: 'Footer, ≤60 characters.' }),
  buttons: z.array(z.object({ id: Text(256), title: Text(20) })).max(20).optional()
    .meta({ description: 'kind buttons: 1–3 reply buttons, titles ≤20 characters and different; the id comes back in the reply.' }),
  button: Text(20).optional().meta({ description: 'kind list: label of the button that opens the list.' }),
  sections: z.array(z.object({
    title: Text(24).optional(),
    rows: z.array(z.object({ id: Text(200), title: Text(24), description: Text(72).optional() })).max(20),
  })).max(20).optional().meta({ description: 'kind list: sections (a title each when more than one) with ≤10 rows in all.' }),
});

const SendBody = z.object({
  number_id: z.number().int().positive().meta({ description: 'The business number to send from (GET /numbers).' }),
  contact_id: z.number().int().positive().optional().meta({ description: 'The contact; or give `phone`.' }),
  phone: z.string().trim().max(30).optional().meta({ description: 'E.164 phone of an existing contact (+5215512345678).' }),
  type: z.enum(['text', 'template', 'interactive']),
  text: z.string().min(1).max(4096).optional().meta({ description: 'For type text: only inside the 24-hour window.' }),
  template_id: z.number().int().positive().optional().meta({ description: 'For type template: an APPROVED template (GET /templates).' }),
  params: z.union([z.array(z.string().max(1024)).max(50), z.record(z.string(), z.string().max(1024))]).optional()
    .meta({ description: 'Template values: positional array, or an object for named templates.' }),
  header_text: z.string().max(60).optional().meta({ description: "Value of a text header's {{1}}." }),
  interactive: Interactive.optional().meta({ description: 'For type interactive: reply buttons or a list, only inside the 24-hour window.' }),
});

async function contactOf(deps: Deps, b: { contact_id?: number; phone?: string }) {
  if (b.contact_id) {
    const c = await contactById(deps.db, b.contact_id);
    if (!c) throw new NotFound('whatsapp.contact_not_found');
    return c;
  }
  if (!b.phone) throw new Invalid({ contact_id: { code: 'validation.required' } });
  const p = normalizePhone(b.phone);
  if (!p.ok) throw new Invalid({ phone: { code: p.code } });
  const c = await contactByWaKey(deps.db, p.waKey);
  if (!c) throw new NotFound('whatsapp.contact_not_found');
  return c;
}

async function send(deps: Deps, b: z.infer<typeof SendBody>): Promise<StoredMessage> {
  const number = await getNumber(deps, b.number_id);
  const contact = await contactOf(deps, b);
  if (b.type === 'template') {
    if (!b.template_id) throw new Invalid({ template_id: { code: 'validation.required' } });
    return sendTemplate(deps, { contactId: contact.id, numberId: number.id, templateId: b.template_id, params: b.params, userId: null, ...(b.header_text ? { header: { text: b.header_text } } : {}) });
  }
  if (b.type === 'interactive') return interactive(deps, await openConversation(deps, contact.id, number.id), b.interactive);
  if (!b.text) throw new Invalid({ text: { code: 'validation.required' } });
  return sendText(deps, { conversationId: await openConversation(deps, contact.id, number.id), text: b.text, userId: null });
}

/** Free-form sends need a conversation; a contact who never wrote on this number has no window. */
async function openConversation(deps: Deps, contactId: number, numberId: number): Promise<number> {
  const conv = await deps.db('conversations').where({ contact_id: contactId, number_id: numberId }).first('id');
  if (!conv) throw new DomainError('whatsapp.window_closed', 'Window closed');
  return Number(conv.id);
}

/** The builders' field paths (`buttons.1.title`) come back under `interactive.`. */
async function interactive(deps: Deps, conversationId: number, i: z.infer<typeof Interactive> | undefined): Promise<StoredMessage> {
  if (!i) throw new Invalid({ interactive: { code: 'validation.required' } });
  const common = { body: i.body, ...(i.footer ? { footer: i.footer } : {}) };
  try {
    return i.kind === 'buttons'
      ? await sendInteractive(deps, { conversationId, userId: null, kind: 'buttons', buttons: { ...common, buttons: i.buttons ?? [], ...(i.header ? { header: { type: 'text', text: i.header } } : {}) } })
      : await sendInteractive(deps, { conversationId, userId: null, kind: 'list', list: { ...common, button: i.button ?? '', sections: i.sections ?? [], ...(i.header ? { header: i.header } : {}) } });
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    throw new Invalid(Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [`interactive.${k}`, v])), e.code);
  }
}

const MediaFields = z.object({
  number_id: z.coerce.number().int().positive(),
  contact_id: z.coerce.number().int().positive().optional(),
  phone: z.string().trim().max(30).optional(),
  caption: z.string().max(1024).optional(),
});

/**
 * What an Idempotency-Key stands for on /messages/media: the text fields and
 * the file (name, type and bytes), so a retry with another file is a 409.
 */
export function attachmentDigest(form: AttachmentForm): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify(Object.entries(form.fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  h.update(`\n${JSON.stringify(form.error)}\n`);
  if (form.file) h.update(`${form.file.filename}\n${form.file.mimeType}\n`).update(form.file.data);
  return h.digest('hex');
}

/** A multipart upload: the fields name who, `file` is what (checked against Meta's types and sizes). */
async function sendFile(deps: Deps, form: AttachmentForm): Promise<StoredMessage> {
  if (form.error) throw new Invalid(form.error);
  const f = parse(MediaFields, form.fields);
  if (!form.file) throw new Invalid({ file: { code: 'whatsapp.media.required' } });
  const number = await getNumber(deps, f.number_id);
  const contact = await contactOf(deps, f);
  const conversationId = await openConversation(deps, contact.id, number.id);
  return sendAttachment(deps, { conversationId, file: form.file, caption: f.caption, userId: null });
}

const HistoryQuery = PageQuery.extend({
  contact_id: z.coerce.number().int().positive().optional(),
  conversation_id: z.coerce.number().int().positive().optional(),
  number_id: z.coerce.number().int().positive().optional(),
});

export const messagesApi: ApiFeature = (apiRoute, deps) => {
  // The form read by `receive` (before the Idempotency-Key check), for the handler of the same request.
  const forms = new WeakMap<Request, AttachmentForm>();
  apiRoute({
    method: 'post', path: '/messages', summary: 'Send a WhatsApp message', tags: ['whatsapp'], scope: 'inbox:reply', status: 201,
    description: 'Free text and interactive messages (reply buttons, lists) only inside the 24-hour customer-service window; approved templates any time (counted toward the monthly plan limit when outside the window). Refusals (window closed, not approved, opted out, number unavailable, plan limit) happen before Meta is called; a Meta error is stored on the message and returned with its code. Supports Idempotency-Key.',
    body: SendBody, response: ApiMessage,
    handler: async ({ body, req }) => presentMessage(await send(deps, body), req.t),
  });
  apiRoute({
    method: 'post', path: '/messages/media', summary: 'Send a file (image, video, audio or document)', tags: ['whatsapp'], scope: 'inbox:reply', status: 201,
    description: 'multipart/form-data with the fields `number_id`, `contact_id` (or `phone`), an optional `caption` (not for audio) and one `file`. ' +
      "Only inside the 24-hour window. Meta's types and sizes are checked first (JPEG/PNG images ≤5 MB; MP4/3GPP video and AAC/AMR/MP3/M4A/OGG audio ≤16 MB; " +
      'PDF, TXT, Word, Excel and PowerPoint documents ≤100 MB; the type is taken from the part, or from the file name when it is application/octet-stream), ' +
      'refusals are 422 with `details.fields.file` or `.caption`. With an Idempotency-Key the fields and the file\'s bytes are part of the request: ' +
      "a retry with the same file replays the first answer, another file or other fields is a 409. The file is kept in the install's media storage, uploaded to Meta and sent by media id.",
    consumes: ['multipart/form-data'], response: ApiMessage,
    receive: async (req, res) => {
      const form = await readAttachmentForm(deps, req, res);
      forms.set(req, form);
      return { digest: attachmentDigest(form), release: async () => { forms.delete(req); } };
    },
    handler: async ({ req }) => presentMessage(await sendFile(deps, forms.get(req)!), req.t),
  });
  apiRoute({
    method: 'get', path: '/messages', summary: 'Message history', tags: ['whatsapp'], scope: 'inbox:read',
    description: 'Newest first, cursor-paginated; filter by contact, conversation or number.',
    query: HistoryQuery, response: pageOf(ApiMessage),
    handler: async ({ query, req }) => {
      const q = deps.db('messages').select('*').orderBy('id', 'desc').limit(query.limit + 1);
      if (query.contact_id) q.where({ contact_id: query.contact_id });
      if (query.conversation_id) q.where({ conversation_id: query.conversation_id });
      if (query.number_id) q.where({ number_id: query.number_id });
      whereAfter(q, 'id', 'id', query.cursor ? decodeCursor(query.cursor) : undefined, 'desc');
      return toPage((await q).map(toMessage), query.limit, (m) => ({ key: m.id, id: m.id }), (m) => presentMessage(m, req.t));
    },
  });
};
