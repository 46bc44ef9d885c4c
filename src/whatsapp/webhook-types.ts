// Normalised webhook events (cloud-api.md §5.4–5.6, §6). Timestamps are Unix
// seconds as numbers; ids stay strings (template ids arrive as numbers).

export interface WebhookError {
  code: number;
  title?: string;
  message?: string;
  details?: string;
  href?: string;
}

/** Where an event came from: the WABA (entry.id) and the business number. */
export interface NumberRef {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

export interface ContactRef {
  /** Digits only; may be `""` for username users (BSUID rollout). */
  waId: string;
  name?: string;
  userId?: string;
  username?: string;
}

export interface InboundMedia {
  id: string;
  mimeType?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
  /** Direct URL (rolling out since Nov 2025); still needs the token. */
  url?: string;
  voice?: boolean;
  animated?: boolean;
}

export type InboundMediaType = 'image' | 'audio' | 'video' | 'document' | 'sticker';

export interface SharedContact {
  name?: string;
  phones: Array<{ phone?: string; waId?: string; type?: string }>;
  raw: unknown;
}

export type InteractiveReply =
  | { kind: 'button_reply'; id: string; title: string }
  | { kind: 'list_reply'; id: string; title: string; description?: string }
  | { kind: 'nfm_reply'; name?: string; body?: string; responseJson?: string };

export type InboundContent =
  | { type: 'text'; text: string }
  | { type: InboundMediaType; media: InboundMedia }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string; url?: string }
  | { type: 'contacts'; contacts: SharedContact[] }
  | { type: 'interactive'; reply: InteractiveReply }
  /** Template quick-reply tap. */
  | { type: 'button'; text: string; payload?: string }
  /** `emoji` is empty/absent when the user removed the reaction. */
  | { type: 'reaction'; messageId: string; emoji?: string }
  | { type: 'system'; systemType?: string; body?: string; waId?: string; userId?: string }
  | { type: 'order'; catalogId?: string; text?: string; items: Array<{ productRetailerId?: string; quantity?: number; itemPrice?: number; currency?: string }> }
  | { type: 'request_welcome' }
  /** Unsupported by Meta, deleted by the user, or a type this parser does not know. */
  | { type: 'unsupported'; originalType: string; raw: unknown };

export interface InboundMessageEvent extends NumberRef {
  kind: 'message';
  wamid: string;
  from: string;
  fromUserId?: string;
  timestamp: number;
  contact: ContactRef;
  context?: { from?: string; id?: string; forwarded?: boolean; frequentlyForwarded?: boolean };
  referral?: Record<string, unknown>;
  content: InboundContent;
  errors: WebhookError[];
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface Pricing {
  billable?: boolean;
  pricingModel?: string;
  type?: string;
  category?: string;
}

export interface StatusEvent extends NumberRef {
  kind: 'status';
  wamid: string;
  status: DeliveryStatus;
  timestamp: number;
  /** wa_id of the recipient; `""` when the message went to a BSUID. */
  recipientId: string;
  recipientUserId?: string;
  recipientType?: string;
  /** Our `biz_opaque_callback_data`, echoed back. */
  callbackData?: string;
  /** Present when `contacts[]` came with the status (newer versions). */
  contact?: ContactRef;
  pricing?: Pricing;
  conversation?: { id?: string; expirationTimestamp?: number; originType?: string };
  errors: WebhookError[];
}

/** `value.errors[]` not tied to a message (e.g. an app-level 130429). */
export interface ValueErrorEvent extends NumberRef {
  kind: 'error';
  error: WebhookError;
}

export interface TemplateStatusEvent {
  kind: 'template_status';
  wabaId: string;
  /** entry[].time (Unix seconds), when present. */
  time?: number;
  templateId: string;
  name: string;
  language: string;
  /** APPROVED, REJECTED, PAUSED, DISABLED, … */
  event: string;
  reason?: string | null;
  category?: string;
  otherInfo?: { title?: string; description?: string };
  disableDate?: string;
  rejectionInfo?: { reason?: string; recommendation?: string };
}

export type WebhookEvent = InboundMessageEvent | StatusEvent | ValueErrorEvent | TemplateStatusEvent;

/** Something the parser saw and did not turn into an event (kept for the raw-event store). */
export interface IgnoredItem {
  field?: string;
  wabaId?: string;
  reason: string;
  raw: unknown;
}

export interface ParsedWebhook {
  events: WebhookEvent[];
  ignored: IgnoredItem[];
}
