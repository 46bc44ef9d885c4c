// Typed results of Graph calls and the mappers from Meta's JSON to them.
import type { Dispatcher } from 'undici';
import { MetaApiError, NO_ENVELOPE_CODE } from './errors.js';

export interface CloudApiClientOptions {
  /** e.g. https://graph.facebook.com, or the sandbox URL. */
  graphUrl: string;
  /** e.g. v24.0 */
  apiVersion: string;
  /** Deadline for a whole Graph call, connect to last body byte (default 15 s). */
  timeoutMs?: number;
  /** Deadline for a media download (default 120 s). */
  downloadTimeoutMs?: number;
  /** Max sockets per origin (default 256: enough for 1,000 msg/s at 250 ms latency). */
  connections?: number;
  /** Bring your own undici dispatcher (not closed by close()). */
  dispatcher?: Dispatcher;
  userAgent?: string;
  /** User-Agent for media downloads (Meta's CDN has rejected some non-browser agents). */
  downloadUserAgent?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface ListTemplatesOptions extends CallOptions {
  limit?: number;
  after?: string;
  fields?: string[];
  status?: TemplateStatus;
  name?: string;
}

export const DEFAULT_TEMPLATE_FIELDS = ['id', 'name', 'language', 'status', 'category', 'parameter_format', 'components', 'quality_score', 'rejected_reason', 'sub_category'];

/** `message_status` appears only for template sends under pacing. */
export type MessageStatus = 'accepted' | 'held_for_quality_assessment' | 'paused';

export interface SendResult {
  /** Message id: key the outbound row on it. */
  wamid: string;
  /** The user's WhatsApp id (digits); may differ from `input`; `""` when sent to a BSUID. */
  waId: string;
  /** What we sent as `to`. */
  input: string;
  userId?: string;
  messageStatus?: MessageStatus;
}

export type TemplateStatus =
  | 'APPROVED'
  | 'PENDING'
  | 'REJECTED'
  | 'PAUSED'
  | 'DISABLED'
  | 'IN_APPEAL'
  | 'FLAGGED'
  | 'LIMIT_EXCEEDED'
  | 'LOCKED'
  | 'ARCHIVED'
  | 'UNARCHIVED'
  | 'DELETED'
  | 'PENDING_DELETION'
  | 'REINSTATED';

export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';

/** A template component as Meta stores it (upper-case types). */
export interface TemplateComponentDef {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS';
  format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';
  text?: string;
  example?: Record<string, unknown>;
  buttons?: Array<{ type: string; text?: string; url?: string; phone_number?: string; example?: unknown }>;
}

export interface TemplateInfo {
  id: string;
  name: string;
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  components: TemplateComponentDef[];
  qualityScore?: string;
  rejectedReason?: string;
  subCategory?: string;
}

export interface TemplatePage {
  templates: TemplateInfo[];
  /** Cursor for the next page; absent on the last page. */
  after?: string;
  /** Full URL of the next page as given by Meta; absent on the last page. */
  next?: string;
}

export interface TemplateDefinition {
  name: string;
  language: string;
  category: TemplateCategory;
  parameterFormat?: 'POSITIONAL' | 'NAMED';
  components: TemplateComponentDef[];
  allowCategoryChange?: boolean;
}

/** An edit of an existing template (POST /{template-id}). */
export interface TemplateEdit {
  category?: TemplateCategory;
  /** Replace every existing component. */
  components?: TemplateComponentDef[];
  parameterFormat?: 'POSITIONAL' | 'NAMED';
}

/** A file sent through the Resumable Upload API; `handle` is the template header example. */
export interface UploadedSample {
  uploadId: string;
  handle: string;
}

export interface CreatedTemplate {
  id: string;
  status: TemplateStatus;
  category: TemplateCategory;
}

export interface PhoneNumberInfo {
  id: string;
  verifiedName?: string;
  displayPhoneNumber?: string;
  qualityRating?: string;
  /** `STANDARD` (80 msg/s), `HIGH` (1,000 msg/s) or `NOT_APPLICABLE`. */
  throughputLevel?: string;
  messagingLimitTier?: string;
}

export interface MediaInfo {
  id: string;
  /** Valid for 5 minutes; download it with the token. */
  url: string;
  mimeType: string;
  sha256?: string;
  fileSize?: number;
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

function malformed(what: string): MetaApiError {
  return new MetaApiError(200, { code: NO_ENVELOPE_CODE, message: `unexpected Graph response: ${what}` });
}

export function toSendResult(raw: unknown, to: string): SendResult {
  const r = obj(raw);
  const message = obj(Array.isArray(r.messages) ? r.messages[0] : undefined);
  const contact = obj(Array.isArray(r.contacts) ? r.contacts[0] : undefined);
  const wamid = str(message.id);
  if (!wamid) throw malformed('no messages[0].id');
  const out: SendResult = { wamid, waId: str(contact.wa_id) ?? '', input: str(contact.input) ?? to };
  const userId = str(contact.user_id);
  if (userId) out.userId = userId;
  const status = str(message.message_status);
  if (status) out.messageStatus = status as MessageStatus;
  return out;
}

export function toTemplateInfo(raw: unknown): TemplateInfo {
  const t = obj(raw);
  const info: TemplateInfo = {
    id: str(t.id) ?? '',
    name: str(t.name) ?? '',
    language: str(t.language) ?? '',
    status: (str(t.status) ?? 'PENDING') as TemplateStatus,
    category: (str(t.category) ?? 'MARKETING') as TemplateCategory,
    parameterFormat: str(t.parameter_format) === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    components: Array.isArray(t.components) ? (t.components as TemplateComponentDef[]) : [],
  };
  const q = str(obj(t.quality_score).score);
  if (q) info.qualityScore = q;
  const rr = str(t.rejected_reason);
  if (rr) info.rejectedReason = rr;
  const sc = str(t.sub_category);
  if (sc) info.subCategory = sc;
  return info;
}

export function toTemplatePage(raw: unknown): TemplatePage {
  const r = obj(raw);
  const paging = obj(r.paging);
  const page: TemplatePage = { templates: Array.isArray(r.data) ? r.data.map(toTemplateInfo) : [] };
  const after = str(obj(paging.cursors).after);
  const next = str(paging.next);
  // Meta returns cursors on the last page too; only `next` says more exist.
  if (next) {
    page.next = next;
    if (after) page.after = after;
  }
  return page;
}

export function toPhoneNumberInfo(raw: unknown): PhoneNumberInfo {
  const r = obj(raw);
  const info: PhoneNumberInfo = { id: str(r.id) ?? '' };
  const set = <K extends keyof PhoneNumberInfo>(k: K, v: PhoneNumberInfo[K] | undefined) => {
    if (v !== undefined) info[k] = v;
  };
  set('verifiedName', str(r.verified_name));
  set('displayPhoneNumber', str(r.display_phone_number));
  set('qualityRating', str(r.quality_rating));
  set('throughputLevel', str(obj(r.throughput).level));
  set('messagingLimitTier', str(r.whatsapp_business_manager_messaging_limit) ?? str(r.messaging_limit_tier));
  return info;
}

export function toMediaInfo(raw: unknown): MediaInfo {
  const r = obj(raw);
  const url = str(r.url);
  if (!url) throw malformed('media without url');
  const info: MediaInfo = { id: str(r.id) ?? '', url, mimeType: str(r.mime_type) ?? 'application/octet-stream' };
  const sha = str(r.sha256);
  if (sha) info.sha256 = sha;
  if (typeof r.file_size === 'number' || typeof r.file_size === 'string') info.fileSize = Number(r.file_size);
  return info;
}

export function toSuccess(raw: unknown): boolean {
  return obj(raw).success === true;
}
