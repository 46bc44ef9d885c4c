// Media endpoints: multipart upload, id → short-lived URL, authenticated download, delete.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Ctx } from './context.js';
import { BodyTooLarge, bearer, readBody, sendGraphError, sendJson } from './http.js';
import { MEDIA_URL_TTL_MS, type SandboxNumber } from './options.js';
import type { StoredMedia } from './state.js';

const MB = 1024 * 1024;
/** Accepted MIME types and their size limits (cloud-api.md §9). */
const LIMITS: Record<string, number> = {
  'image/jpeg': 5 * MB,
  'image/png': 5 * MB,
  'image/webp': 500 * 1024,
  'video/mp4': 16 * MB,
  'video/3gpp': 16 * MB,
  'audio/aac': 16 * MB,
  'audio/amr': 16 * MB,
  'audio/mpeg': 16 * MB,
  'audio/mp4': 16 * MB,
  'audio/ogg': 16 * MB,
  'text/plain': 100 * MB,
  'application/pdf': 100 * MB,
  'application/msword': 100 * MB,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 100 * MB,
  'application/vnd.ms-excel': 100 * MB,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 100 * MB,
  'application/vnd.ms-powerpoint': 100 * MB,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 100 * MB,
};

/** Magic numbers for the types whose content is easy to check. */
const MAGIC: Record<string, number[]> = {
  'image/png': [0x89, 0x50, 0x4e, 0x47],
  'image/jpeg': [0xff, 0xd8, 0xff],
  'application/pdf': [0x25, 0x50, 0x44, 0x46],
};

const mimeMismatch = (details: string) => ({ code: 131053, message: '(#131053) Media upload error', details });

/** Stores bytes as media of `phoneNumberId`; also used for simulated inbound media. */
export function storeMedia(ctx: { rt: Ctx['rt'] }, phoneNumberId: string, data: Buffer, mimeType: string, filename?: string): StoredMedia {
  const m: StoredMedia = {
    id: ctx.rt.state.nextId(),
    phoneNumberId,
    data,
    mimeType,
    sha256: createHash('sha256').update(data).digest('hex'),
  };
  if (filename) m.filename = filename;
  ctx.rt.state.media.set(m.id, m);
  return m;
}

export async function handleUpload(ctx: Ctx, n: SandboxNumber): Promise<void> {
  let form: FormData;
  try {
    const raw = await readBody(ctx.req, 100 * MB + 64 * 1024);
    form = await new Response(new Uint8Array(raw.buffer as ArrayBuffer, raw.byteOffset, raw.byteLength), { headers: { 'content-type': ctx.req.headers['content-type'] ?? '' } }).formData();
  } catch (e) {
    const details = e instanceof BodyTooLarge ? 'file too large' : 'body must be multipart/form-data';
    return sendGraphError(ctx.res, { code: 100, message: '(#100) Invalid parameter', details });
  }
  if (form.get('messaging_product') !== 'whatsapp') {
    return sendGraphError(ctx.res, { code: 100, message: '(#100) The parameter messaging_product is required.' });
  }
  const file = form.get('file');
  if (!file || typeof file === 'string') return sendGraphError(ctx.res, { code: 131008, message: '(#131008) Required parameter is missing', details: 'file' });
  const mime = (file.type || String(form.get('type') ?? '')).split(';')[0]!.trim().toLowerCase();
  const limit = LIMITS[mime];
  if (!limit) return sendGraphError(ctx.res, mimeMismatch(`unsupported MIME type ${mime || '(none)'}`));
  const data = Buffer.from(await file.arrayBuffer());
  if (data.length > limit) return sendGraphError(ctx.res, mimeMismatch(`file larger than ${limit} bytes for ${mime}`));
  const magic = MAGIC[mime];
  if (magic && !magic.every((b, i) => data[i] === b)) return sendGraphError(ctx.res, mimeMismatch(`content does not match ${mime}`));
  const m = storeMedia(ctx, n.phoneNumberId, data, mime, file.name);
  sendJson(ctx.res, 200, { id: m.id });
}

function ownerMismatch(ctx: Ctx, m: StoredMedia): boolean {
  const pn = ctx.url.searchParams.get('phone_number_id');
  if (pn && pn !== m.phoneNumberId) {
    sendGraphError(ctx.res, { code: 100, message: '(#100) Invalid parameter', details: 'media does not belong to this phone number' });
    return true;
  }
  return false;
}

export function handleMediaGet(ctx: Ctx, m: StoredMedia): void {
  if (ownerMismatch(ctx, m)) return;
  const exp = ctx.rt.state.now() + MEDIA_URL_TTL_MS;
  sendJson(ctx.res, 200, {
    messaging_product: 'whatsapp',
    url: `${ctx.rt.baseUrl}/_media/${m.id}?exp=${exp}`,
    mime_type: m.mimeType,
    sha256: m.sha256,
    file_size: m.data.length,
    id: m.id,
  });
}

export function handleMediaDelete(ctx: Ctx, m: StoredMedia): void {
  if (ownerMismatch(ctx, m)) return;
  ctx.rt.state.media.delete(m.id);
  sendJson(ctx.res, 200, { success: true });
}

/** GET /_media/{id}?exp=…: needs a valid token; 404 once the URL expired (like Meta's). */
export function handleDownload(rt: Ctx['rt'], req: Ctx['req'], res: ServerResponse, url: URL, id: string): void {
  const token = bearer(req);
  if (!token || !rt.state.tokens.has(token)) {
    res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized');
    return;
  }
  const m = rt.state.media.get(id);
  const exp = Number(url.searchParams.get('exp'));
  if (!m || !Number.isFinite(exp) || rt.state.now() > exp) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    return;
  }
  res.writeHead(200, { 'content-type': m.mimeType, 'content-length': m.data.length });
  res.end(m.data);
}
