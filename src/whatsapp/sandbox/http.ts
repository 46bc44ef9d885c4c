// Small HTTP helpers shared by the emulator's routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphFailure } from './validate.js';

/** Legacy Meta table (§3.1). Real answers vary, which is why clients branch on the code. */
export function httpStatusFor(code: number): number {
  if (code === 0 || code === 190) return 401;
  if (code === 10 || code === 368 || code === 131031 || code === 131005 || (code >= 200 && code <= 299)) return 403;
  if (code === 4 || code === 80007 || code === 130429 || code === 131048 || code === 131056) return 429;
  if (code === 2) return 503;
  if (code === 3 || code === 131000) return 500;
  return 400;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

let trace = 0;

export function sendGraphError(res: ServerResponse, f: GraphFailure, httpStatus?: number): void {
  const error: Record<string, unknown> = {
    message: f.message.startsWith('(#') ? f.message : `(#${f.code}) ${f.message}`,
    type: 'OAuthException',
    code: f.code,
    error_data: { messaging_product: 'whatsapp', details: f.details ?? f.message },
    fbtrace_id: `SBX${(++trace).toString(36).padStart(8, '0')}`,
  };
  if (f.subcode !== undefined) error.error_subcode = f.subcode;
  sendJson(res, httpStatus ?? httpStatusFor(f.code), { error });
}

export class BodyTooLarge extends Error {}

/** Reads the whole request body, refusing more than `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

export function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  // Graph takes both schemes; Meta documents resumable uploads with `OAuth`.
  const m = /^(?:Bearer|OAuth) (.+)$/.exec(h ?? '');
  return m?.[1]?.trim() || undefined;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
