// Test data for the inbox tests: a business number (optionally pointing at a
// sandbox Graph server), contacts, conversations and message rows written
// the way the channel writes them. Used by *.test.ts only.
import { contactDerivedColumns } from '../contacts/derive.js';
import type { Deps } from '../deps.js';
import { num, toJson } from '../db/rows.js';
import { encrypt } from '../secrets/secrets.js';
import { SANDBOX_DEFAULTS } from '../whatsapp/sandbox/index.js';

type Row = Record<string, unknown>;
const idOf = (row: unknown) => num(typeof row === 'object' && row ? (row as Row).id : row);

export async function seedNumber(deps: Deps, o: { label?: string; graphUrl?: string; phoneNumberId?: string; wabaId?: string } = {}): Promise<number> {
  const now = deps.clock.now();
  const [row] = await deps.db('wa_numbers').insert({
    label: o.label ?? 'Ventas', phone_number_id: o.phoneNumberId ?? SANDBOX_DEFAULTS.phoneNumberId, waba_id: o.wabaId ?? SANDBOX_DEFAULTS.wabaId,
    display_phone: SANDBOX_DEFAULTS.displayPhoneNumber, access_token_enc: encrypt(deps.secrets.encryptionKey, SANDBOX_DEFAULTS.token),
    app_secret_enc: encrypt(deps.secrets.encryptionKey, SANDBOX_DEFAULTS.appSecret), verify_token: 'verify-me', is_sandbox: true,
    status: 'active', graph_url: o.graphUrl ?? null, created_at: now, updated_at: now,
  }).returning('id');
  return idOf(row);
}

export async function seedContact(deps: Deps, phone: string, names: { first?: string; last?: string; email?: string } = {}): Promise<number> {
  const d = contactDerivedColumns({ phone, first_name: names.first, last_name: names.last, email: names.email });
  if (!d.ok) throw new Error(`bad test phone ${phone}: ${d.code}`);
  const now = deps.clock.now();
  const [row] = await deps.db('contacts').insert({ ...d.columns, wa_id: d.columns.wa_key, opt_in: 'opted_in', created_at: now, updated_at: now }).returning('id');
  return idOf(row);
}

export type ConvSeed = { status?: string; assignedUserId?: number | null; unread?: number; lastMessageAt?: number; lastInboundAt?: number | null; preview?: string };

export async function seedConversation(deps: Deps, contactId: number, numberId: number, o: ConvSeed = {}): Promise<number> {
  const now = deps.clock.now();
  const [row] = await deps.db('conversations').insert({
    contact_id: contactId, number_id: numberId, status: o.status ?? 'open', assigned_user_id: o.assignedUserId ?? null,
    unread_count: o.unread ?? 0, last_message_at: o.lastMessageAt ?? now, last_inbound_at: o.lastInboundAt === undefined ? now : o.lastInboundAt,
    last_preview: o.preview ?? null, created_at: now, updated_at: now,
  }).returning('id');
  return idOf(row);
}

export type MsgSeed = {
  direction?: 'in' | 'out' | 'note';
  type: string;
  body?: string | null;
  payload?: unknown;
  status?: string;
  wamid?: string;
  errorCode?: number;
  errorTitle?: string;
  templateName?: string;
  mediaId?: number;
  userId?: number;
  at?: number;
};

export async function seedMessage(deps: Deps, conversationId: number, m: MsgSeed): Promise<number> {
  const conv = await deps.db('conversations').where({ id: conversationId }).first();
  const direction = m.direction ?? 'in';
  const [row] = await deps.db('messages').insert({
    conversation_id: conversationId, contact_id: conv.contact_id, number_id: conv.number_id, direction, type: m.type,
    body: m.body ?? null, payload: m.payload === undefined ? null : toJson(m.payload), wamid: m.wamid ?? null,
    status: m.status ?? (direction === 'in' ? 'received' : 'sent'), error_code: m.errorCode ?? null, error_title: m.errorTitle ?? null,
    template_name: m.templateName ?? null, media_id: m.mediaId ?? null, user_id: m.userId ?? null, business_initiated: false,
    created_at: m.at ?? deps.clock.now(),
  }).returning('id');
  return idOf(row);
}

export async function seedMedia(deps: Deps, numberId: number, o: { mime: string; status: 'pending' | 'stored' | 'failed'; fileName?: string }): Promise<number> {
  const [row] = await deps.db('media').insert({
    number_id: numberId, meta_media_id: `m-${Math.random().toString(36).slice(2)}`, mime_type: o.mime, file_name: o.fileName ?? null,
    status: o.status, file_path: o.status === 'stored' ? 'x/y.bin' : null, created_at: deps.clock.now(),
  }).returning('id');
  return idOf(row);
}

export async function seedTemplate(deps: Deps, o: { name: string; status?: string; body: string; named?: boolean; wabaId?: string }): Promise<number> {
  const now = deps.clock.now();
  const [row] = await deps.db('templates').insert({
    waba_id: o.wabaId ?? SANDBOX_DEFAULTS.wabaId, meta_id: null, name: o.name, language: 'es_MX', category: 'UTILITY', status: o.status ?? 'APPROVED',
    components: JSON.stringify([{ type: 'BODY', text: o.body }]), parameter_format: o.named ? 'named' : 'positional', created_at: now, updated_at: now,
  }).returning('id');
  return idOf(row);
}
