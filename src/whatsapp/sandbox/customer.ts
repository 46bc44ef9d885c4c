// The simulated customer: builds inbound `messages` webhooks (which open the
// 24 h window and count toward throughput, as on Meta).
import type { Runtime } from './context.js';
import type { SandboxNumber } from './options.js';
import { storeMedia } from './routes-media.js';
import { messagesPayload } from './webhooks.js';

const MEDIA = new Set(['image', 'audio', 'video', 'document', 'sticker']);

/** A message the customer sends. Type-specific fields use Meta's shape, e.g. `text: { body }`. */
export interface InboundSpec {
  /** Customer wa_id (digits). */
  from: string;
  type: string;
  profileName?: string;
  /** Business number receiving it (default: the first). */
  phoneNumberId?: string;
  /** wamid to use (default: generated). */
  id?: string;
  /** Unix seconds (default: now). */
  timestamp?: number;
  context?: { from?: string; id: string };
  /** For media types: bytes stored in the sandbox so the business can download them. */
  media?: { data: Buffer; mimeType: string; filename?: string };
  /** `text` may be given as a plain string. */
  text?: string | { body: string };
  [field: string]: unknown;
}

export interface BuiltInbound {
  number: SandboxNumber;
  wamid: string;
  message: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export function buildInbound(rt: Runtime, spec: InboundSpec): BuiltInbound {
  const number = spec.phoneNumberId ? rt.state.numbers.get(spec.phoneNumberId) : rt.state.numbers.values().next().value;
  if (!number) throw new Error(`sandbox: unknown phone number ${spec.phoneNumberId ?? ''}`);
  const now = rt.state.now();
  const wamid = spec.id ?? rt.state.newWamid(`in:${number.phoneNumberId}`);
  const message: Record<string, unknown> = {
    from: spec.from,
    id: wamid,
    timestamp: String(spec.timestamp ?? Math.floor(now / 1000)),
    type: spec.type,
  };
  if (spec.context) message.context = spec.context;
  const skip = new Set(['from', 'type', 'profileName', 'phoneNumberId', 'id', 'timestamp', 'context', 'media']);
  for (const [k, v] of Object.entries(spec)) if (!skip.has(k) && v !== undefined) message[k] = v;
  if (typeof spec.text === 'string') message.text = { body: spec.text };
  if (spec.media && MEDIA.has(spec.type)) {
    const m = storeMedia({ rt }, number.phoneNumberId, spec.media.data, spec.media.mimeType, spec.media.filename);
    const extra = typeof message[spec.type] === 'object' && message[spec.type] ? (message[spec.type] as object) : {};
    message[spec.type] = {
      ...extra,
      id: m.id,
      mime_type: m.mimeType,
      sha256: m.sha256,
      ...(spec.media.filename ? { filename: spec.media.filename } : {}),
    };
  }
  const payload = messagesPayload(number, {
    contacts: [{ profile: { name: spec.profileName ?? 'Sandbox Customer' }, wa_id: spec.from }],
    messages: [message],
  });
  rt.state.openWindow(number.phoneNumberId, spec.from, now);
  rt.throughput?.get(number.phoneNumberId, now).consume(now);
  rt.state.stats.inbound++;
  rt.state.record({
    direction: 'in',
    wamid,
    phoneNumberId: number.phoneNumberId,
    waId: spec.from,
    type: spec.type,
    body: message,
    at: now,
    status: 'received',
  });
  return { number, wamid, message, payload };
}
