// Meta Graph API errors and the retry policy ChatFlow applies to them.
// Policy follows cloud-api.md §3.2: branch on `code` (never on HTTP status or
// message text); `error_subcode` is deprecated and only refines the meaning.

/** What the sender should do with the message that failed. */
export type ErrorAction =
  | 'retry' // transient: back off and send the same request again
  | 'retry_recipient_later' // transient for this recipient only; others continue
  | 'stop_number' // circuit-break the number/WABA/app and alert an admin
  | 'never_retry' // permanent for this recipient (opt-out, undeliverable, window closed…)
  | 'fix_request'; // the request itself is wrong (payload, template, media): fix, no retry

/** How far the problem reaches, so a dispatcher knows what to pause. */
export type ErrorScope = 'message' | 'recipient' | 'template' | 'number' | 'app';

export interface ErrorPolicy {
  action: ErrorAction;
  scope: ErrorScope;
  meaning: string;
  /** Minimum wait before the same recipient/number may be tried again. */
  minDelayMs?: number;
  /** Needs a human (token, billing, restriction, permissions). */
  alert?: boolean;
}

const S = 1000;
const H = 3600 * S;

function p(action: ErrorAction, scope: ErrorScope, meaning: string, extra: Partial<ErrorPolicy> = {}): ErrorPolicy {
  return { action, scope, meaning, ...extra };
}

const TEMPLATE_FIX = 'template/parameter problem: fix the request';
const AUTH = 'authentication or permission error: fix configuration';
const RESTRICTED = 'WABA restricted, locked or country-restricted: stop all sending';

/** Every code listed in cloud-api.md §3.2 (the 200–299 range is added below). */
const EXPLICIT: Record<number, ErrorPolicy> = {
  130429: p('retry', 'number', 'throughput (msg/s per number) exceeded', { minDelayMs: 1 * S }),
  131056: p('retry_recipient_later', 'recipient', 'pair rate limit: too many messages to this user', { minDelayMs: 1 * S }),
  4: p('retry', 'app', 'app Graph API rate limit', { minDelayMs: 60 * S }),
  80007: p('retry', 'number', 'WABA rate limit', { minDelayMs: 60 * S }),
  131048: p('stop_number', 'number', 'spam rate limit: earlier messages blocked or reported', { alert: true }),
  131049: p('retry_recipient_later', 'recipient', 'Meta chose not to deliver (per-user marketing cap)', { minDelayMs: 24 * H }),
  131050: p('never_retry', 'recipient', 'user opted out of marketing messages'),
  131047: p('never_retry', 'recipient', 'more than 24 h since the user last wrote: send an approved template'),
  470: p('never_retry', 'recipient', 'legacy re-engagement error (= 131047): send an approved template'),
  131026: p('never_retry', 'recipient', 'undeliverable: not on WhatsApp, ToS not accepted or old app'),
  131051: p('fix_request', 'message', 'unsupported message type'),
  132000: p('fix_request', 'template', 'template parameter count mismatch'),
  132001: p('fix_request', 'template', 'template not found in that language or not approved'),
  132005: p('fix_request', 'template', 'template text too long after substitution'),
  132007: p('fix_request', 'template', 'template format character policy violated'),
  132012: p('fix_request', 'template', 'template parameter format mismatch'),
  132018: p('fix_request', 'template', 'template parameter validation failed'),
  132015: p('fix_request', 'template', 'template paused (low quality or pacing): stop the campaign until unpaused'),
  132016: p('fix_request', 'template', 'template permanently disabled: create a new template'),
  131000: p('retry', 'message', 'unknown error', { minDelayMs: 1 * S }),
  131016: p('retry', 'number', 'service unavailable', { minDelayMs: 5 * S }),
  133004: p('retry', 'number', 'server temporarily unavailable (downtime)', { minDelayMs: 5 * S }),
  1: p('retry', 'message', 'unknown API error', { minDelayMs: 1 * S }),
  2: p('retry', 'app', 'API service temporarily unavailable', { minDelayMs: 5 * S }),
  131057: p('retry', 'number', 'business account in maintenance mode (e.g. throughput upgrade)', { minDelayMs: 60 * S }),
  190: p('stop_number', 'app', 'access token expired or invalid: refresh it', { alert: true }),
  0: p('stop_number', 'app', AUTH, { alert: true }),
  3: p('stop_number', 'app', 'API method / capability not available: ' + AUTH, { alert: true }),
  10: p('stop_number', 'app', 'permission denied: ' + AUTH, { alert: true }),
  131005: p('stop_number', 'app', 'access denied: ' + AUTH, { alert: true }),
  100: p('fix_request', 'message', 'invalid parameter'),
  131008: p('fix_request', 'message', 'required parameter missing'),
  131009: p('fix_request', 'message', 'parameter value is not valid'),
  368: p('stop_number', 'number', 'temporarily blocked for policy violations: ' + RESTRICTED, { alert: true }),
  131031: p('stop_number', 'number', 'business account locked: ' + RESTRICTED, { alert: true }),
  130497: p('stop_number', 'number', 'business account restricted from messaging users in this country', { alert: true }),
  131042: p('stop_number', 'number', 'payment/billing problem: stop templates', { alert: true }),
  131052: p('fix_request', 'message', 'inbound media download failed'),
  131053: p('fix_request', 'message', 'media upload failed (MIME type does not match the file)'),
  131021: p('never_retry', 'recipient', 'recipient is the sender number itself: drop'),
  130472: p('never_retry', 'recipient', "user's number is part of a Meta experiment: no retry"),
  130403: p('never_retry', 'recipient', 'the business blocked this user: unblock first'),
  131064: p('stop_number', 'number', 'limited for template-classification violations', { alert: true }),
  131063: p('stop_number', 'number', 'marketing messages disabled on Cloud API: use the MM API or re-enable', { alert: true }),
  133010: p('stop_number', 'number', 'phone number not registered: register it', { alert: true }),
  131062: p('fix_request', 'message', 'BSUID used for an authentication template: send to the phone number'),
  2388019: p('fix_request', 'template', 'the WABA already holds the maximum of 250 templates'),
};

/** Subcodes that refine code 100 and friends on template management calls. */
const SUBCODES: Record<number, ErrorPolicy> = {
  2388024: p('fix_request', 'template', 'a template with this name and language already exists'),
  2388019: EXPLICIT[2388019]!,
  2388299: p('fix_request', 'template', 'variables cannot be at the start or end of the template text'),
  2388293: p('fix_request', 'template', 'too many variables for the template length'),
  2494055: EXPLICIT[131056]!,
};

const PERMISSION_RANGE = { from: 200, to: 299 } as const;

/** Every error code this module has an explicit policy for (200–299 expanded). */
export const HANDLED_CODES: readonly number[] = Object.freeze([
  ...Object.keys(EXPLICIT).map(Number),
  ...Array.from({ length: PERMISSION_RANGE.to - PERMISSION_RANGE.from + 1 }, (_, i) => PERMISSION_RANGE.from + i),
].sort((a, b) => a - b));

/** Subcodes with a specific meaning (used alone or with code 100). */
export const HANDLED_SUBCODES: readonly number[] = Object.freeze(Object.keys(SUBCODES).map(Number));

/** `code` used on MetaApiError when the body held no Graph error envelope. */
export const NO_ENVELOPE_CODE = -1;

const UNKNOWN = p('never_retry', 'message', 'unknown error code: not retried automatically');
const UNKNOWN_TEMPLATE = p('fix_request', 'template', 'unknown template error');
const UNKNOWN_TRANSIENT = p('retry', 'message', 'transport/server failure: retry with backoff', { minDelayMs: 1 * S });

/** Full policy for a Graph error code (and optional subcode). */
export function policyFor(code: number, subcode?: number | null): ErrorPolicy {
  const exact = EXPLICIT[code];
  if (exact && code !== 100) return exact;
  if (subcode != null && SUBCODES[subcode]) return SUBCODES[subcode]!;
  if (exact) return exact;
  if (SUBCODES[code]) return SUBCODES[code]!; // a subcode reported as the code
  if (code >= PERMISSION_RANGE.from && code <= PERMISSION_RANGE.to) {
    return p('stop_number', 'app', `permission error (${code}): ` + AUTH, { alert: true });
  }
  if (code >= 132000 && code < 133000) return UNKNOWN_TEMPLATE;
  return UNKNOWN;
}

/** The §3.2 action for a code. Unknown codes are not retried. */
export function classify(code: number, subcode?: number | null): ErrorAction {
  return policyFor(code, subcode).action;
}

/** One entry of `error` (sync) or `errors[]` (webhooks) in Meta's shape. */
export interface GraphErrorFields {
  code: number;
  subcode?: number;
  type?: string;
  message: string;
  title?: string;
  details?: string;
  fbtraceId?: string;
  href?: string;
}

/** A non-2xx answer from the Graph API. */
export class MetaApiError extends Error {
  readonly httpStatus: number;
  readonly code: number;
  readonly subcode: number | undefined;
  readonly type: string | undefined;
  readonly details: string | undefined;
  readonly fbtraceId: string | undefined;

  constructor(httpStatus: number, fields: GraphErrorFields) {
    super(fields.message);
    this.name = 'MetaApiError';
    this.httpStatus = httpStatus;
    this.code = fields.code;
    this.subcode = fields.subcode;
    this.type = fields.type;
    this.details = fields.details;
    this.fbtraceId = fields.fbtraceId;
  }

  get policy(): ErrorPolicy {
    if (this.code === NO_ENVELOPE_CODE) {
      return this.httpStatus >= 500 || this.httpStatus === 429 || this.httpStatus === 408 ? UNKNOWN_TRANSIENT : UNKNOWN;
    }
    return policyFor(this.code, this.subcode);
  }

  get action(): ErrorAction {
    return this.policy.action;
  }

  /** Builds the error from a response body (text or parsed), tolerating non-Graph bodies. */
  static fromResponse(httpStatus: number, body: unknown): MetaApiError {
    let parsed = body;
    if (typeof body === 'string') {
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
    }
    const env = (parsed as { error?: unknown } | undefined)?.error;
    const fields = env && typeof env === 'object' ? readGraphError(env as Record<string, unknown>) : undefined;
    if (fields) return new MetaApiError(httpStatus, fields);
    const snippet = typeof body === 'string' ? body.slice(0, 200) : '';
    return new MetaApiError(httpStatus, {
      code: NO_ENVELOPE_CODE,
      message: `HTTP ${httpStatus} without a Graph error envelope${snippet ? `: ${snippet}` : ''}`,
    });
  }
}

/** Reads Meta's error object (sync envelope or webhook `errors[]` item). */
export function readGraphError(e: Record<string, unknown>): GraphErrorFields | undefined {
  const code = typeof e.code === 'number' ? e.code : typeof e.code === 'string' && /^\d+$/.test(e.code) ? Number(e.code) : NaN;
  if (!Number.isFinite(code)) return undefined;
  const data = e.error_data && typeof e.error_data === 'object' ? (e.error_data as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const sub = typeof e.error_subcode === 'number' ? e.error_subcode : undefined;
  return {
    code,
    subcode: sub,
    type: str(e.type),
    message: str(e.message) ?? str(e.title) ?? `Graph error ${code}`,
    title: str(e.title),
    details: str(data.details),
    fbtraceId: str(e.fbtrace_id),
    href: str(e.href),
  };
}

export type TransportErrorKind = 'timeout' | 'network' | 'aborted';

/** The request never got an HTTP answer (DNS, refused, reset, timeout). */
export class WhatsAppTransportError extends Error {
  readonly kind: TransportErrorKind;
  readonly action: ErrorAction = 'retry';
  /** True when the request may have reached Meta (a retry can double-send). */
  readonly maybeDelivered: boolean;

  constructor(kind: TransportErrorKind, message: string, maybeDelivered: boolean, cause?: unknown) {
    super(message, { cause });
    this.name = 'WhatsAppTransportError';
    this.kind = kind;
    this.maybeDelivered = maybeDelivered;
  }
}

/** Classifies anything thrown by the client: Graph errors by code, transport errors → retry. */
export function classifyError(err: unknown): ErrorAction {
  if (err instanceof MetaApiError) return err.action;
  if (err instanceof WhatsAppTransportError) return 'retry';
  return 'never_retry';
}

/**
 * Delay before attempt `attempt` (0-based) of a retryable error.
 * 131056 follows Meta's 4^X s recipe; others back off exponentially with jitter.
 */
export function retryDelayMs(code: number, attempt: number, random: () => number = Math.random): number {
  const policy = policyFor(code);
  const floor = policy.minDelayMs ?? 1000;
  if (code === 131056) return Math.max(floor, 4 ** attempt * 1000);
  if (policy.action === 'retry_recipient_later') return floor;
  const exp = floor * 2 ** Math.min(attempt, 10);
  return Math.round(exp + exp * 0.25 * random());
}
