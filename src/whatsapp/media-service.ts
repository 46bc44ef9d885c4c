// Media files: inbound ones are fetched from Meta promptly (their ids expire
// after 7 days) into $CHATFLOW_DATA_DIR/uploads/media; outbound ones are kept
// there too and uploaded to Meta for sending. Staff read them through the
// authenticated /media/:id route (media-routes.ts), never a public path.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Deps } from '../deps.js';
import { clientFor } from './graph-clients.js';
import { numberById, numberSecrets } from './numbers-queries.js';

export const MEDIA_MAX_ATTEMPTS = 5;
export { attachmentType, checkAttachment, ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, type AttachmentKind, type AttachmentType } from './media-limits.js';
const EXT: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'video/mp4': 'mp4', 'video/3gpp': '3gp',
  'audio/ogg': 'ogg', 'audio/mpeg': 'mp3', 'audio/aac': 'aac', 'audio/amr': 'amr', 'audio/mp4': 'm4a',
  'application/pdf': 'pdf', 'text/plain': 'txt',
};

export function mediaDir(deps: Pick<Deps, 'config'>): string {
  return path.join(deps.config.dataDir, 'uploads', 'media');
}

function extOf(mime: string): string {
  return EXT[mime.split(';')[0]!.trim().toLowerCase()] ?? 'bin';
}

/** Writes bytes under uploads/media/YYYY-MM/; returns the path relative to the media dir. */
async function writeFile(deps: Deps, data: Buffer, mime: string): Promise<string> {
  const month = new Date(deps.clock.now()).toISOString().slice(0, 7);
  const rel = path.join(month, `${crypto.randomUUID()}.${extOf(mime)}`);
  const abs = path.join(mediaDir(deps), rel);
  await fs.mkdir(path.dirname(abs), { recursive: true });
  await fs.writeFile(abs, data, { mode: 0o640 });
  return rel;
}

/** Fetches one inbound media row from Meta; false when it failed (retried later). */
export async function downloadMedia(deps: Deps, mediaRowId: number): Promise<boolean> {
  const row = await deps.db('media').where({ id: mediaRowId }).first();
  if (!row || row.status !== 'pending' || !row.meta_media_id || !row.number_id) return false;
  // Claim the attempt (another worker may be on it).
  const claimed = await deps.db('media').where({ id: row.id, attempts: row.attempts, status: 'pending' }).update({ attempts: Number(row.attempts) + 1 });
  if (!Number(claimed)) return false;
  try {
    const n = await numberById(deps.db, Number(row.number_id));
    if (!n) throw new Error('number removed');
    const { accessToken } = await numberSecrets(deps, n.id);
    const wa = clientFor(deps, n);
    const info = await wa.getMediaUrl(String(row.meta_media_id), accessToken, { phoneNumberId: n.phoneNumberId });
    const file = await wa.downloadMedia(info.url, accessToken);
    const mime = row.mime_type ?? info.mimeType ?? file.mimeType;
    const rel = await writeFile(deps, file.data, mime);
    await deps.db('media').where({ id: row.id }).update({ status: 'stored', file_path: rel, size_bytes: file.data.length, mime_type: mime, sha256: row.sha256 ?? info.sha256 ?? null, error: null });
    return true;
  } catch (err) {
    const e = err as { code?: number; message?: string };
    const last = Number(row.attempts) + 1 >= MEDIA_MAX_ATTEMPTS;
    await deps.db('media').where({ id: row.id }).update({ status: last ? 'failed' : 'pending', error: `${e.code ?? ''} ${e.message ?? err}`.trim().slice(0, 500) });
    deps.log.warn({ mediaId: row.id, code: e.code }, 'media download failed');
    return false;
  }
}

/** Retries every pending download (the media poller). */
export async function downloadPendingMedia(deps: Deps, limit = 20): Promise<number> {
  const rows = await deps.db('media').where({ status: 'pending' }).whereNotNull('meta_media_id').where('attempts', '<', MEDIA_MAX_ATTEMPTS).orderBy('id').limit(limit).select('id');
  let ok = 0;
  for (const r of rows) if (await downloadMedia(deps, Number(r.id))) ok++;
  return ok;
}

/** Stores a file and uploads it to Meta from `numberId`, ready for sendMedia. */
export async function uploadForSend(deps: Deps, numberId: number, file: { data: Buffer; mimeType: string; filename?: string }): Promise<{ mediaRowId: number; metaMediaId: string }> {
  const n = await numberById(deps.db, numberId);
  if (!n) throw new Error('number not found');
  const { accessToken } = await numberSecrets(deps, n.id);
  const { id } = await clientFor(deps, n).uploadMedia(n.phoneNumberId, accessToken, file);
  const rel = await writeFile(deps, file.data, file.mimeType);
  const [row] = await deps.db('media').insert({
    number_id: n.id, meta_media_id: id, mime_type: file.mimeType, size_bytes: file.data.length, file_name: file.filename?.slice(0, 255) ?? null,
    file_path: rel, status: 'stored', attempts: 0, created_at: deps.clock.now(),
    sha256: crypto.createHash('sha256').update(file.data).digest('base64'),
  }).returning('id');
  return { mediaRowId: Number(typeof row === 'object' ? (row as { id: number }).id : row), metaMediaId: id };
}

/** Absolute path of a stored file, refusing anything outside the media dir. */
export function storedPath(deps: Pick<Deps, 'config'>, rel: string): string | null {
  const root = path.resolve(mediaDir(deps));
  const abs = path.resolve(root, rel);
  return abs.startsWith(root + path.sep) ? abs : null;
}
