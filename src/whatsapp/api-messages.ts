// REST API: send one WhatsApp message (free text inside the 24-hour window,
// or an approved template at any time) and read message history. Every rule
// is the send service's; this only resolves who and what.
import { z } from 'zod';
import { decodeCursor, PageQuery, pageOf, toPage, whereAfter } from '../api/pagination.js';
import type { ApiFeature } from '../api/registry.js';
import type { Deps } from '../deps.js';
import { DomainError, Invalid, NotFound } from '../errors.js';
import type { T } from '../i18n/i18n.js';
import { normalizePhone } from '../contacts/phone.js';
import { toMessage, type StoredMessage } from './message-store.js';
import { metaErrorText } from './meta-errors.js';
import { getNumber } from './numbers-service.js';
import { sendTemplate, sendText } from './send-service.js';
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

const SendBody = z.object({
  number_id: z.number().int().positive().meta({ description: 'The business number to send from (GET /numbers).' }),
  contact_id: z.number().int().positive().optional().meta({ description: 'The contact; or give `phone`.' }),
  phone: z.string().trim().max(30).optional().meta({ description: 'E.164 phone of an existing contact (+5215512345678).' }),
  type: z.enum(['text', 'template']),
  text: z.string().min(1).max(4096).optional().meta({ description: 'For type text: only inside the 24-hour window.' }),
  template_id: z.number().int().positive().optional().meta({ description: 'For type template: an APPROVED template (GET /templates).' }),
  params: z.union([z.array(z.string().max(1024)).max(50), z.record(z.string(), z.string().max(1024))]).optional()
    .meta({ description: 'Template values: positional array, or an object for named templates.' }),
  header_text: z.string().max(60).optional().meta({ description: "Value of a text header's {{1}}." }),
});

async function contactOf(deps: Deps, b: z.infer<typeof SendBody>) {
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
  if (!b.text) throw new Invalid({ text: { code: 'validation.required' } });
  const conv = await deps.db('conversations').where({ contact_id: contact.id, number_id: number.id }).first('id');
  // Never wrote on this number: no window can be open.
  if (!conv) throw new DomainError('whatsapp.window_closed', 'Window closed');
  return sendText(deps, { conversationId: Number(conv.id), text: b.text, userId: null });
}

const HistoryQuery = PageQuery.extend({
  contact_id: z.coerce.number().int().positive().optional(),
  conversation_id: z.coerce.number().int().positive().optional(),
  number_id: z.coerce.number().int().positive().optional(),
});

export const messagesApi: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'post', path: '/messages', summary: 'Send a WhatsApp message', tags: ['whatsapp'], scope: 'inbox:reply', status: 201,
    description: 'Free text only inside the 24-hour customer-service window; approved templates any time (counted toward the monthly plan limit when outside the window). Refusals (window closed, not approved, opted out, number unavailable, plan limit) happen before Meta is called; a Meta error is stored on the message and returned with its code. Supports Idempotency-Key.',
    body: SendBody, response: ApiMessage,
    handler: async ({ body, req }) => presentMessage(await send(deps, body), req.t),
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
