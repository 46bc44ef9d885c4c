// The JSON shapes of conversations and messages in the REST API. Only these
// fields ever leave; internal columns (callback ids, file paths) do not.
import { z } from 'zod';
import { IsoDateTime } from '../api/schemas.js';
import { windowState } from '../whatsapp/window.js';
import type { MessageRow } from './message-queries.js';
import type { Conversation } from './queries.js';
import { CONVERSATION_STATUSES } from './schema.js';

const isoOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const ApiConversation = z.object({
  id: z.number().int(),
  status: z.enum(CONVERSATION_STATUSES),
  contact: z.object({ id: z.number().int(), name: z.string(), phone: z.string() }),
  number: z.object({ id: z.number().int(), label: z.string(), display_phone: z.string() }),
  assigned_user: z.object({ id: z.number().int(), name: z.string().nullable() }).nullable(),
  unread_count: z.number().int(),
  last_message_at: IsoDateTime,
  last_preview: z.string().nullable(),
  window: z.object({
    open: z.boolean().meta({ description: 'Free-form messages may be sent (the 24-hour customer-service window).' }),
    closes_at: IsoDateTime.nullable(),
  }),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
});

export function presentConversation(c: Conversation, now: number): z.input<typeof ApiConversation> {
  const w = windowState(c.lastInboundAt, now);
  return {
    id: c.id, status: c.status,
    contact: { id: c.contactId, name: c.contactName, phone: c.contactPhone },
    number: { id: c.numberId, label: c.numberLabel, display_phone: c.numberDisplay },
    assigned_user: c.assignedUserId === null ? null : { id: c.assignedUserId, name: c.assignedName },
    unread_count: c.unreadCount, last_message_at: isoOf(c.lastMessageAt)!, last_preview: c.lastPreview,
    window: { open: w.open, closes_at: isoOf(w.closesAt) },
    created_at: isoOf(c.createdAt)!, updated_at: isoOf(c.updatedAt)!,
  };
}

export const ApiMessage = z.object({
  id: z.number().int(),
  direction: z.enum(['in', 'out', 'note']).meta({ description: '`note` = internal note, never sent to the customer.' }),
  type: z.string().meta({ description: 'text, image, audio, video, document, sticker, location, contacts, interactive, button, reaction, template, system, unsupported, note…' }),
  body: z.string().nullable().meta({ description: 'Text, caption or filled template, as people read it.' }),
  content: z.record(z.string(), z.unknown()).nullable().meta({ description: 'Structured content (location, shared contacts, button reply, reaction…).' }),
  wamid: z.string().nullable(),
  status: z.string().meta({ description: 'Outbound: queued, sent, delivered, read or failed. Inbound: received.' }),
  error: z.object({ code: z.number().int().nullable(), title: z.string().nullable() }).nullable(),
  template_name: z.string().nullable(),
  media: z.object({ id: z.number().int(), mime_type: z.string().nullable(), file_name: z.string().nullable(), status: z.string() }).nullable(),
  user_id: z.number().int().nullable(),
  created_at: IsoDateTime,
  sent_at: IsoDateTime.nullable(),
  delivered_at: IsoDateTime.nullable(),
  read_at: IsoDateTime.nullable(),
  failed_at: IsoDateTime.nullable(),
});

function contentOf(m: MessageRow): Record<string, unknown> | null {
  const c = m.payload.content;
  if (c && typeof c === 'object') return c as Record<string, unknown>;
  return Object.keys(m.payload).length ? m.payload : null;
}

export function presentApiMessage(m: MessageRow): z.input<typeof ApiMessage> {
  return {
    id: m.id, direction: m.direction, type: m.type, body: m.body, content: contentOf(m), wamid: m.wamid, status: m.status,
    error: m.status === 'failed' ? { code: m.errorCode, title: m.errorTitle } : null,
    template_name: m.templateName,
    media: m.media ? { id: m.media.id, mime_type: m.media.mimeType, file_name: m.media.fileName, status: m.media.status } : null,
    user_id: m.userId, created_at: isoOf(m.createdAt)!, sent_at: isoOf(m.sentAt), delivered_at: isoOf(m.deliveredAt),
    read_at: isoOf(m.readAt), failed_at: isoOf(m.failedAt),
  };
}
