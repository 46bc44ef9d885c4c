// Meta's Resumable Upload API, as the template header examples use it:
// `POST /{app-id}/uploads?file_length=&file_type=[&file_name=]` opens a session
// (`{id:"upload:…?sig=…"}`), `POST /{upload-id}` with header `file_offset`
// sends bytes from that offset (`{h:"<handle>"}` once complete) and
// `GET /{upload-id}` tells where to resume (`{id, file_offset}`).
import { createHash, randomBytes } from 'node:crypto';
import type { Ctx } from './context.js';
import { BodyTooLarge, readBody, sendGraphError, sendJson } from './http.js';
import type { UploadSession } from './state.js';

/** Types the Resumable Upload API accepts. */
export const UPLOAD_TYPES: readonly string[] = ['application/pdf', 'image/jpeg', 'image/jpg', 'image/png', 'video/mp4'];
/** The largest file a session may declare here (the biggest template header, a document). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/** Leading bytes of each accepted type (mp4: `ftyp` at offset 4). */
function contentMatches(type: string, data: Buffer): boolean {
  const starts = (bytes: number[], at = 0) => bytes.every((b, i) => data[at + i] === b);
  if (type === 'application/pdf') return starts([0x25, 0x50, 0x44, 0x46]);
  if (type === 'image/png') return starts([0x89, 0x50, 0x4e, 0x47]);
  if (type === 'video/mp4') return starts([0x66, 0x74, 0x79, 0x70], 4);
  return starts([0xff, 0xd8, 0xff]); // image/jpeg, image/jpg
}

const invalid = (ctx: Ctx, message: string, details?: string) => sendGraphError(ctx.res, { code: 100, message: `(#100) ${message}`, details });

export function handleUploadSession(ctx: Ctx, appId: string): void {
  const q = ctx.url.searchParams;
  const lengthText = q.get('file_length');
  const type = (q.get('file_type') ?? '').toLowerCase();
  if (!lengthText) return invalid(ctx, 'The parameter file_length is required');
  const length = /^\d{1,12}$/.test(lengthText) ? Number(lengthText) : NaN;
  if (!Number.isSafeInteger(length) || length < 1) return invalid(ctx, 'Param file_length must be a positive integer');
  if (length > MAX_UPLOAD_BYTES) return invalid(ctx, 'Invalid parameter', `file_length is larger than ${MAX_UPLOAD_BYTES} bytes`);
  if (!type) return invalid(ctx, 'The parameter file_type is required');
  if (!UPLOAD_TYPES.includes(type)) return invalid(ctx, `Param file_type must be one of {${UPLOAD_TYPES.join(', ')}}`);
  const session: UploadSession = {
    id: `upload:${Buffer.from(`sbx:${ctx.rt.state.nextId()}`).toString('base64url')}`,
    sig: randomBytes(9).toString('base64url'),
    appId, fileLength: length, fileType: type === 'image/jpg' ? 'image/jpeg' : type, chunks: [], offset: 0,
  };
  const name = q.get('file_name');
  if (name) session.fileName = name.slice(0, 255);
  ctx.rt.state.uploads.set(session.id, session);
  sendJson(ctx.res, 200, { id: `${session.id}?sig=${session.sig}` });
}

/** The session named by the path, when the `sig` query matches (the id as Meta returns it). */
export function uploadSessionOf(ctx: Pick<Ctx, 'rt' | 'url' | 'id'>): UploadSession | undefined {
  const s = ctx.rt.state.uploads.get(ctx.id);
  return s && ctx.url.searchParams.get('sig') === s.sig ? s : undefined;
}

export function handleUploadStatus(ctx: Ctx, s: UploadSession): void {
  sendJson(ctx.res, 200, { id: `${s.id}?sig=${s.sig}`, file_offset: s.offset });
}

export async function handleUploadData(ctx: Ctx, s: UploadSession): Promise<void> {
  if (s.handle) return sendJson(ctx.res, 200, { h: s.handle });
  const offsetHeader = ctx.req.headers.file_offset;
  const offset = typeof offsetHeader === 'string' && /^\d{1,12}$/.test(offsetHeader) ? Number(offsetHeader) : NaN;
  if (Number.isNaN(offset)) return invalid(ctx, 'The header file_offset is required');
  if (offset !== s.offset) return invalid(ctx, 'Invalid parameter', `file_offset must be ${s.offset}`);
  let data: Buffer;
  try {
    data = await readBody(ctx.req, s.fileLength - s.offset);
  } catch (e) {
    if (!(e instanceof BodyTooLarge)) throw e;
    return invalid(ctx, 'Invalid parameter', `more bytes than the declared file_length (${s.fileLength})`);
  }
  if (data.length === 0) return invalid(ctx, 'Invalid parameter', 'empty upload body');
  s.chunks.push(data);
  s.offset += data.length;
  if (s.offset < s.fileLength) return sendJson(ctx.res, 200, { id: `${s.id}?sig=${s.sig}`, file_offset: s.offset });
  const whole = Buffer.concat(s.chunks, s.offset);
  s.chunks = [];
  if (!contentMatches(s.fileType, whole)) {
    ctx.rt.state.uploads.delete(s.id);
    return invalid(ctx, 'Invalid parameter', `file content does not match file_type ${s.fileType}`);
  }
  s.handle = `4::${Buffer.from(s.fileType).toString('base64')}:${randomBytes(24).toString('base64url')}`;
  ctx.rt.state.handles.set(s.handle, {
    handle: s.handle, mimeType: s.fileType, size: whole.length, sha256: createHash('sha256').update(whole).digest('hex'),
    ...(s.fileName ? { fileName: s.fileName } : {}),
  });
  sendJson(ctx.res, 200, { h: s.handle });
}
