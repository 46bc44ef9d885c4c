// messages rows ↔ StoredMessage, and the small writes every path shares.
import type { Db } from '../db/knex.js';
import { bool, json, toJson } from '../db/rows.js';

export type MessageDirection = 'in' | 'out' | 'note';
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'received';

export type StoredMessage = {
  id: number;
  conversationId: number;
  contactId: number;
  numberId: number;
  direction: MessageDirection;
  type: string;
  body: string | null;
  payload: Record<string, unknown> | null;
  wamid: string | null;
  callbackId: string | null;
  status: MessageStatus;
  errorCode: number | null;
  errorTitle: string | null;
  mediaId: number | null;
  templateName: string | null;
  businessInitiated: boolean;
  userId: number | null;
  campaignId: number | null;
  createdAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  failedAt: number | null;
};

type Row = Record<string, unknown>;
const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const s = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toMessage(r: Row): StoredMessage {
  return {
    id: Number(r.id),
    conversationId: Number(r.conversation_id),
    contactId: Number(r.contact_id),
    numberId: Number(r.number_id),
    direction: String(r.direction) as MessageDirection,
    type: String(r.type),
    body: s(r.body),
    payload: json<Record<string, unknown> | null>(r.payload, null),
    wamid: s(r.wamid),
    callbackId: s(r.callback_id),
    status: String(r.status) as MessageStatus,
    errorCode: n(r.error_code),
    errorTitle: s(r.error_title),
    mediaId: n(r.media_id),
    templateName: s(r.template_name),
    businessInitiated: bool(r.business_initiated),
    userId: n(r.user_id),
    campaignId: n(r.campaign_id),
    createdAt: Number(r.created_at),
    sentAt: n(r.sent_at),
    deliveredAt: n(r.delivered_at),
    readAt: n(r.read_at),
    failedAt: n(r.failed_at),
  };
}

export type NewMessage = {
  conversationId: number;
  contactId: number;
  numberId: number;
  direction: MessageDirection;
  type: string;
  body: string | null;
  payload: unknown;
  status: MessageStatus;
  wamid?: string | null;
  callbackId?: string | null;
  mediaId?: number | null;
  templateName?: string | null;
  businessInitiated?: boolean;
  userId?: number | null;
  campaignId?: number | null;
  createdAt: number;
};

export async function insertMessage(db: Db, m: NewMessage): Promise<number> {
  const [row] = await db('messages')
    .insert({
      conversation_id: m.conversationId,
      contact_id: m.contactId,
      number_id: m.numberId,
      direction: m.direction,
      type: m.type,
      body: m.body,
      payload: m.payload === undefined || m.payload === null ? null : toJson(m.payload),
      status: m.status,
      wamid: m.wamid ?? null,
      callback_id: m.callbackId ?? null,
      media_id: m.mediaId ?? null,
      template_name: m.templateName ?? null,
      business_initiated: m.businessInitiated ?? false,
      user_id: m.userId ?? null,
      campaign_id: m.campaignId ?? null,
      created_at: m.createdAt,
    })
    .returning('id');
  return Number(typeof row === 'object' ? (row as { id: number }).id : row);
}

export async function messageById(db: Db, id: number): Promise<StoredMessage | undefined> {
  const row = await db('messages').where({ id }).first();
  return row ? toMessage(row) : undefined;
}

export async function messageByWamid(db: Db, wamid: string): Promise<StoredMessage | undefined> {
  const row = await db('messages').where({ wamid }).first();
  return row ? toMessage(row) : undefined;
}

export async function messageByCallback(db: Db, callbackId: string): Promise<StoredMessage | undefined> {
  const row = await db('messages').where({ callback_id: callbackId }).first();
  return row ? toMessage(row) : undefined;
}

/** Messages by wamid or by callback id, many at once (the status worker's batch lookup). */
export async function messagesByKeys(db: Db, column: 'wamid' | 'callback_id', keys: string[]): Promise<StoredMessage[]> {
  const out: StoredMessage[] = [];
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db('messages').whereIn(column, unique.slice(i, i + 500));
    for (const r of rows) out.push(toMessage(r));
  }
  return out;
}

/** A short one-line text for lists and notifications. */
export function previewOf(type: string, body: string | null): string {
  const text = (body ?? '').replace(/\s+/g, ' ').trim();
  return (text || `[${type}]`).slice(0, 200);
}
