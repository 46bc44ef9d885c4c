// The one place that maps errors to HTTP: DomainError → status; HTML pages
// render an error view (never a stack), /api gets the JSON envelope.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { Conflict, DomainError, Forbidden, Invalid, LicenseRequired, NotFound, TooManyRequests, Unauthorized } from '../errors.js';
import type { Logger } from '../logging/logger.js';

type Mapped = { status: number; code: string; params?: Record<string, string | number>; details?: unknown };

/** A protocol-level refusal raised by the web layer itself (405, 415): never thrown by a service. */
export class HttpError extends DomainError {
  constructor(
    readonly status: number,
    code: string,
    params?: Record<string, string | number>,
  ) {
    super(code, `HTTP ${status}`, undefined, params);
  }
}

function statusOf(err: DomainError): number {
  if (err instanceof HttpError) return err.status;
  if (err instanceof Invalid) return 422;
  if (err instanceof NotFound) return 404;
  if (err instanceof Conflict) return 409;
  if (err instanceof Forbidden) return 403;
  if (err instanceof Unauthorized) return 401;
  if (err instanceof LicenseRequired) return 402;
  if (err instanceof TooManyRequests) return 429;
  return 400;
}

/** Errors raised by Express/body-parser/csrf-sync, by their documented fields. */
function mapInfrastructure(err: { type?: string; code?: string; status?: number; statusCode?: number }): Mapped | null {
  if (err.type === 'entity.too.large') return { status: 413, code: 'errors.too_large' };
  if (err.type === 'entity.parse.failed' || err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
    return { status: 400, code: 'errors.bad_request' };
  }
  if (err.code === 'EBADCSRFTOKEN') return { status: 403, code: 'errors.csrf' };
  const status = err.status ?? err.statusCode;
  if (status && status >= 400 && status < 500) return { status, code: status === 404 ? 'errors.not_found' : 'errors.bad_request' };
  return null;
}

export function mapError(err: unknown): Mapped | null {
  if (err instanceof DomainError) {
    return { status: statusOf(err), code: err.code, params: err.params, details: err.details };
  }
  if (err && typeof err === 'object') return mapInfrastructure(err as Record<string, never>);
  return null;
}

export function isApi(req: Request): boolean {
  return req.originalUrl.startsWith('/api/');
}

export function sendApiError(res: Response, status: number, code: string, message: string, details?: unknown): void {
  res.status(status).json({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

// The API's `code` is one of a small documented set, by status, so clients can
// switch on it; a domain error's specific code travels as `details.reason`.
export const API_ERROR_CODES: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 402: 'license_required', 403: 'forbidden', 404: 'not_found',
  405: 'method_not_allowed', 409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type',
  422: 'validation_failed', 429: 'rate_limited', 500: 'internal',
};

export function apiCodeFor(status: number): string {
  return API_ERROR_CODES[status] ?? (status >= 500 ? 'internal' : 'bad_request');
}

function apiDetails(req: Request, err: unknown, mapped: Mapped): unknown {
  const reason = mapped.code.startsWith('errors.') ? undefined : mapped.code;
  if (err instanceof Invalid) {
    const t = req.t ?? ((k: string) => k);
    const fields = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, { code: v.code, message: t(v.code, v.params) }]));
    return { fields, ...(reason ? { reason } : {}) };
  }
  const base = mapped.details && typeof mapped.details === 'object' ? (mapped.details as Record<string, unknown>) : {};
  const details = { ...base, ...(reason ? { reason } : {}) };
  return Object.keys(details).length ? details : undefined;
}

function sendMappedApiError(req: Request, res: Response, err: unknown, mapped: Mapped): void {
  const message = req.t ? req.t(mapped.code, mapped.params) : mapped.code;
  sendApiError(res, mapped.status, apiCodeFor(mapped.status), message, apiDetails(req, err, mapped));
}

function renderHtml(req: Request, res: Response, status: number, code: string, params?: Record<string, string | number>) {
  const view = status === 404 ? 'errors/404' : status >= 500 ? 'errors/500' : 'errors/4xx';
  const t = req.t ?? ((k: string) => k);
  const title = status === 404 ? t('errors.not_found.title') : status === 403 ? t('errors.forbidden.title') : status >= 500 ? t('errors.internal.title') : t('errors.title');
  const message = status >= 500 ? t('errors.internal', { id: String(req.id) }) : t(code, params);
  const data = { title, message, status, requestId: String(req.id) };
  if (typeof res.page !== 'function' || !req.t) {
    res.status(status).type('text/plain').send(`${title}\n${message}`);
    return;
  }
  res.page(view, data, { layout: 'bare', status });
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return void res.end();
    const mapped = mapError(err);
    if (!mapped) {
      log.error({ err, reqId: req.id, path: req.path }, 'unhandled error');
      if (isApi(req)) return sendApiError(res, 500, 'internal', `Internal error (reference ${req.id})`);
      return renderHtml(req, res, 500, 'errors.internal');
    }
    if (isApi(req)) return sendMappedApiError(req, res, err, mapped);
    const form = res.locals.form as { view: string; data: Record<string, unknown>; layout?: string } | undefined;
    if (err instanceof Invalid && form) {
      const errors = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v.code, v.params)]));
      // GET forms (list filters) carry their values in the query string.
      const values = (req.method === 'GET' ? req.query : req.body) ?? {};
      return res.page(form.view, { ...form.data, values, errors }, { status: 422, layout: form.layout });
    }
    renderHtml(req, res, mapped.status, mapped.code, mapped.params);
  };
}

export const notFound: RequestHandler = (req, res) => {
  if (isApi(req)) {
    const path = req.originalUrl.split('?')[0];
    const message = req.t ? req.t('api.no_route', { method: req.method, path }) : `No route ${req.method} ${path}`;
    return sendApiError(res, 404, 'not_found', message);
  }
  renderHtml(req, res, 404, 'errors.not_found');
};
