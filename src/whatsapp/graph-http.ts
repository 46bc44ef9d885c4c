// The one place that performs HTTP for the Graph API: keep-alive undici
// dispatcher, timeouts, error mapping. It never logs, so tokens cannot leak.
import { Agent, FormData, request, type Dispatcher } from 'undici';
import { MetaApiError, NO_ENVELOPE_CODE, WhatsAppTransportError } from './errors.js';

export interface GraphHttpOptions {
  timeoutMs: number;
  connections: number;
  dispatcher?: Dispatcher;
  userAgent: string;
}

export interface GraphCall {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  token: string;
  /** Pre-serialised JSON body (string), a multipart form, or raw bytes (resumable uploads). */
  body?: string | FormData | Uint8Array;
  /** Extra request headers (e.g. `file_offset` of a resumable upload). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  userAgent?: string;
  /** Overrides the whole-call deadline (downloads need longer). */
  timeoutMs?: number;
}

// Errors raised before any byte could reach the server: safe to retry.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: unknown[]; cause?: unknown } | null;
  if (!e) return undefined;
  if (typeof e.code === 'string') return e.code;
  if (Array.isArray(e.errors) && e.errors.length > 0) return errorCode(e.errors[0]);
  return e.cause ? errorCode(e.cause) : undefined;
}

/** Aborts a call after `ms` or when the caller's signal fires, whichever comes first. */
class Deadline {
  readonly controller = new AbortController();
  timedOut = false;
  callerAborted = false;
  private readonly timer: NodeJS.Timeout;
  private readonly unlink: (() => void) | undefined;

  constructor(ms: number, outer: AbortSignal | undefined) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, ms);
    const onAbort = () => {
      this.callerAborted = true;
      this.controller.abort(outer?.reason);
    };
    if (outer?.aborted) onAbort();
    else if (outer) {
      outer.addEventListener('abort', onAbort, { once: true });
      this.unlink = () => outer.removeEventListener('abort', onAbort);
    }
  }

  done(): void {
    clearTimeout(this.timer);
    this.unlink?.();
  }
}

/**
 * Maps what undici/net throws to a typed transport error. Graph errors and
 * programming errors (no error code) pass through unchanged, so bugs are not
 * mistaken for retryable network failures.
 */
function toTransportError(err: unknown, what: string, deadline: Deadline): unknown {
  if (err instanceof WhatsAppTransportError || err instanceof MetaApiError) return err;
  if (deadline.timedOut) return new WhatsAppTransportError('timeout', `${what}: timeout`, true, err);
  const code = errorCode(err);
  const name = (err as { name?: string } | null)?.name;
  if (deadline.callerAborted || name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') {
    return new WhatsAppTransportError('aborted', `${what}: request aborted`, true, err);
  }
  if (!code || code === 'UND_ERR_INVALID_ARG') return err; // e.g. a token with a newline: not retryable
  const kind = code && TIMEOUTS.has(code) ? 'timeout' : 'network';
  const sent = !(code && NOT_SENT.has(code));
  return new WhatsAppTransportError(kind, `${what}: ${kind} error${code ? ` (${code})` : ''}`, sent, err);
}

export class GraphHttp {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;

  constructor(private readonly opts: GraphHttpOptions) {
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher =
      opts.dispatcher ??
      new Agent({
        connections: opts.connections,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
        connect: { timeout: opts.timeoutMs },
      });
  }

  /** Runs `fn` with a deadline spanning the request and the body read. */
  private async withDeadline<T>(call: GraphCall, fn: (res: Dispatcher.ResponseData) => Promise<T>): Promise<T> {
    const deadline = new Deadline(call.timeoutMs ?? this.opts.timeoutMs, call.signal);
    try {
      return await fn(await this.send(call, deadline.controller.signal));
    } catch (err) {
      throw toTransportError(err, `${call.method} ${redactUrl(call.url)}`, deadline);
    } finally {
      deadline.done();
    }
  }

  private send(call: GraphCall, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${call.token}`,
      'user-agent': call.userAgent ?? this.opts.userAgent,
    };
    if (typeof call.body === 'string') headers['content-type'] = 'application/json';
    if (call.headers) Object.assign(headers, call.headers);
    return request(call.url, {
      method: call.method,
      headers,
      body: call.body,
      dispatcher: this.dispatcher,
      signal,
      headersTimeout: this.opts.timeoutMs,
      bodyTimeout: this.opts.timeoutMs,
    });
  }

  /** Performs a call and returns the parsed JSON of a 2xx answer; throws MetaApiError otherwise. */
  json<T>(call: GraphCall): Promise<T> {
    return this.withDeadline(call, async (res) => {
      const text = await res.body.text();
      if (res.statusCode < 200 || res.statusCode >= 300) throw MetaApiError.fromResponse(res.statusCode, text);
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new MetaApiError(res.statusCode, { code: NO_ENVELOPE_CODE, message: 'Graph answered 2xx with a non-JSON body' });
      }
    });
  }

  /** Downloads bytes (media); throws MetaApiError on non-2xx, aborts past maxBytes. */
  bytes(call: GraphCall, maxBytes: number): Promise<{ data: Buffer; mimeType: string }> {
    return this.withDeadline(call, async (res) => {
      if (res.statusCode < 200 || res.statusCode >= 300) {
        throw MetaApiError.fromResponse(res.statusCode, await res.body.text().catch(() => ''));
      }
      const tooBig = () => {
        discard(res.body);
        return new MetaApiError(res.statusCode, { code: NO_ENVELOPE_CODE, message: `media larger than ${maxBytes} bytes` });
      };
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) throw tooBig();
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) throw tooBig();
        chunks.push(chunk as Buffer);
      }
      const ct = res.headers['content-type'];
      return { data: Buffer.concat(chunks, size), mimeType: (Array.isArray(ct) ? ct[0] : ct) ?? 'application/octet-stream' };
    });
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}

/** Stops reading a body; undici reports the abort as an 'error' event, which nobody needs here. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Drops the query string (may hold signed media parameters or tokens) from messages. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

export { FormData };
