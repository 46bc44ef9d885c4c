// Configuration of the local Graph API emulator.

export interface SandboxNumber {
  phoneNumberId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  /** The WABA owning the number (webhook entry[].id; holds the templates). */
  wabaId: string;
  qualityRating?: string;
  /** STANDARD | HIGH | NOT_APPLICABLE */
  throughputLevel?: string;
  messagingLimitTier?: string;
}

/** Which Graph call a rule or check applies to. */
export type SandboxRoute =
  | 'messages'
  | 'mark_read'
  | 'media_upload'
  | 'media_get'
  | 'media_download'
  | 'media_delete'
  | 'templates_list'
  | 'templates_create'
  | 'templates_delete'
  | 'templates_edit'
  | 'upload_session'
  | 'upload_data'
  | 'upload_status'
  | 'phone_number'
  | 'subscribed_apps';

/** Makes the sandbox answer a Graph error, to exercise error handling. */
export interface ErrorRule {
  code: number;
  subcode?: number;
  /** HTTP status to answer with (default: the legacy per-code table, else 400). */
  httpStatus?: number;
  message?: string;
  details?: string;
  /** Default 'messages'. */
  route?: SandboxRoute | 'any';
  /** Only for sends to this recipient (wa_id digits). */
  to?: string;
  /** Fires this many times, then is removed (default: forever). */
  times?: number;
  /** Accept the send (200 + wamid) and report the error as a `failed` status webhook instead. */
  async?: boolean;
}

export interface StatusWebhookOptions {
  /** 'each': one POST per status; 'batch': grouped per number; 'off': none. */
  mode: 'each' | 'batch' | 'off';
  /** Batch mode: flush when this many statuses are buffered (default 100). */
  batchSize?: number;
  /** Batch mode: flush at least this often (default 20 ms). */
  flushMs?: number;
  /** Follow `sent` with `delivered` automatically (default true). */
  autoDeliver?: boolean;
}

export interface SandboxOptions {
  /** Signs webhooks (default SANDBOX_DEFAULTS.appSecret). */
  appSecret?: string;
  /** Where simulated webhooks are POSTed; without it nothing is posted. */
  webhookUrl?: string;
  /** Delay added to every Graph response. */
  latencyMs?: number;
  /** Messages per second per number (inbound counts too); over it → 130429. Default: unlimited. */
  throughputPerSec?: number;
  /** Enforce the per-recipient pair rate (→ 131056). `true` = burst 45, 1 per 6 s. */
  pairRateLimit?: boolean | { burst?: number; intervalMs?: number };
  /** Initial error rules (more can be added with state.addErrorRule). */
  errorsFor?: ErrorRule[];
  /** Accepted access tokens (default [SANDBOX_DEFAULTS.token]). Others → 190. */
  tokens?: string[];
  numbers?: SandboxNumber[];
  /** Meta app ids accepting resumable uploads (`POST /{app-id}/uploads`; default [SANDBOX_DEFAULTS.appId]). */
  appIds?: string[];
  statusWebhooks?: StatusWebhookOptions['mode'] | StatusWebhookOptions;
  /** Reject free-form sends outside the 24 h window (default true). */
  enforceWindow?: boolean;
  /** 'sync' → HTTP error 131047 (default); 'async' → 200 then a failed status. */
  windowErrors?: 'sync' | 'async';
  /** Webhook re-deliveries after a non-200 or a network error (default 2). */
  webhookRetries?: number;
  /** Max webhook POSTs in flight (default 16). */
  webhookConcurrency?: number;
  /** Keep a per-recipient log of messages (default true; turn off for big benchmarks). */
  logMessages?: boolean;
  /** Entries kept per recipient (default 500). */
  logLimitPerRecipient?: number;
  /** How `to` maps to wa_id (default: digits only). */
  toWaId?: (to: string) => string;
  clock?: { now(): number };
  host?: string;
  port?: number;
}

export const SANDBOX_DEFAULTS = Object.freeze({
  appSecret: 'sandbox-app-secret',
  token: 'sandbox-token',
  phoneNumberId: '100000000000001',
  displayPhoneNumber: '15550001111',
  verifiedName: 'ChatFlow Sandbox',
  wabaId: '200000000000001',
  appId: '300000000000001',
});

export const WINDOW_MS = 24 * 3600 * 1000;
export const MEDIA_URL_TTL_MS = 5 * 60 * 1000;
