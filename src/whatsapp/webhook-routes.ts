// GET/POST /webhooks/whatsapp — Meta's callback URL (cloud-api.md §5.1–5.3).
// Mounted before the body parsers and sessions: the signature is checked over
// the exact bytes received. A verified body is stored as-is and acknowledged
// at once; webhook-worker.ts does the work. Nothing is stored unless the
// signature matches one of our numbers' app secrets and the body is JSON.
import crypto from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { Deps } from '../deps.js';
import { EventWriter } from './event-writer.js';
import { allAppSecrets } from './numbers-queries.js';
import { checkSignature, SIGNATURE_HEADER } from './signature.js';
import { nudgeWebhookWorker } from './webhook-worker.js';

export const WEBHOOK_PATH = '/webhooks/whatsapp';
const SECRET_TTL_MS = 10_000;

type SecretCache = { at: number; secrets: Array<{ id: number; appSecret: string }> };
const caches = new WeakMap<Deps, SecretCache>();

/** Number settings changed: re-read the app secrets and verify tokens on the next webhook. */
export function invalidateWebhookSecrets(deps: Deps): void {
  caches.delete(deps);
}

async function appSecrets(deps: Deps): Promise<SecretCache['secrets']> {
  const c = caches.get(deps);
  if (c && Date.now() - c.at < SECRET_TTL_MS) return c.secrets;
  const secrets = await allAppSecrets(deps);
  caches.set(deps, { at: Date.now(), secrets });
  return secrets;
}

function sameText(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}

async function handshake(deps: Deps, req: Request, res: Response): Promise<void> {
  const q = req.query;
  const mode = typeof q['hub.mode'] === 'string' ? q['hub.mode'] : '';
  const token = typeof q['hub.verify_token'] === 'string' ? q['hub.verify_token'] : '';
  const challenge = typeof q['hub.challenge'] === 'string' ? q['hub.challenge'] : '';
  const tokens: string[] = (await deps.db('wa_numbers').select('verify_token')).map((r: { verify_token: string }) => String(r.verify_token));
  // Compare against every token (no early exit) so timing says nothing.
  const ok = mode === 'subscribe' && token !== '' && tokens.reduce((acc, t) => sameText(t, token) || acc, false);
  if (!ok) {
    deps.log.warn({ mode }, 'whatsapp webhook verification refused');
    res.status(403).type('text/plain').send('Forbidden');
    return;
  }
  res.status(200).type('text/plain').send(challenge);
}

/** 'ok', or why the signature failed ('missing' → 401, anything else → 403). */
export async function verifyWebhook(deps: Deps, raw: Buffer, header: string | string[] | undefined): Promise<'ok' | 'missing' | 'malformed' | 'mismatch'> {
  const secrets = (await appSecrets(deps)).map((s) => s.appSecret);
  // With no number configured, still tell "missing" from "wrong" (against a throwaway secret).
  const candidates = secrets.length > 0 ? secrets : [crypto.randomBytes(16).toString('hex')];
  let reason: 'missing' | 'malformed' | 'mismatch' = 'mismatch';
  for (const secret of candidates) {
    const r = checkSignature(raw, header, secret);
    if (r.ok) return secrets.length > 0 ? 'ok' : 'mismatch';
    reason = r.reason;
    if (reason !== 'mismatch') break;
  }
  return reason;
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return !!v && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

async function receive(deps: Deps, writer: EventWriter, req: Request, res: Response): Promise<void> {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const verdict = await verifyWebhook(deps, raw, req.headers[SIGNATURE_HEADER]);
  if (verdict !== 'ok') {
    deps.log.warn({ reason: verdict, bytes: raw.length }, 'whatsapp webhook signature rejected');
    res.status(verdict === 'missing' ? 401 : 403).type('text/plain').send(verdict === 'missing' ? 'Missing signature' : 'Invalid signature');
    return;
  }
  const text = raw.toString('utf8');
  if (!isJsonObject(text)) {
    deps.log.warn({ bytes: raw.length }, 'whatsapp webhook body is not a JSON object');
    res.status(400).type('text/plain').send('Invalid JSON');
    return;
  }
  await writer.write(text, deps.clock.now());
  // end(), not send(): no ETag to hash for a constant answer.
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '14' }).end('EVENT_RECEIVED');
  nudgeWebhookWorker(deps);
}

export function webhookRoutes(deps: Deps): Router {
  const r = Router();
  const writer = new EventWriter(deps);
  r.get(WEBHOOK_PATH, (req, res) => {
    handshake(deps, req, res).catch((err) => {
      deps.log.error({ err }, 'whatsapp webhook verification failed');
      if (!res.headersSent) res.status(503).type('text/plain').send('Unavailable');
    });
  });
  r.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: '3mb' }), (req, res) => {
    receive(deps, writer, req, res).catch((err) => {
      // Storage failed: a non-200 makes Meta deliver again later, so nothing is lost.
      deps.log.error({ err }, 'whatsapp webhook could not be stored');
      if (!res.headersSent) res.status(503).type('text/plain').send('Unavailable');
    });
  });
  // Body-parser errors (too large, bad encoding) answer 4xx here, not through the HTML error page.
  r.use(WEBHOOK_PATH, ((err, _req, res, next) => {
    if (!err) return next();
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 400;
    deps.log.warn({ status, type: err.type }, 'whatsapp webhook body rejected');
    res.status(status).type('text/plain').send('Bad request');
  }) as express.ErrorRequestHandler);
  return r;
}
