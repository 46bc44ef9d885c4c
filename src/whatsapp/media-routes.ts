// GET /media/:id — a stored media file, for signed-in staff only. Files are
// served as attachments unless they are a safe inline type, and never sniffed.
import { Router } from 'express';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import { can, requireUser } from '../web/guards.js';
import { storedPath } from './media-service.js';

const Id = z.coerce.number().int().positive();
const INLINE = /^(image\/(jpeg|png|webp|gif)|audio\/(ogg|mpeg|aac|mp4|amr)|video\/(mp4|3gpp)|application\/pdf)$/;

export function mediaRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/media/:id', requireUser, can('inbox:read'), async (req, res) => {
    const id = Id.safeParse(req.params.id);
    const row = id.success ? await deps.db('media').where({ id: id.data, status: 'stored' }).first() : undefined;
    const file = row?.file_path ? storedPath(deps, String(row.file_path)) : null;
    if (!row || !file) throw new NotFound('whatsapp.media_not_found');
    const mime = String(row.mime_type ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    const inline = INLINE.test(mime);
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Cache-Control', 'private, max-age=3600');
    if (!inline) res.attachment(row.file_name ? String(row.file_name) : `media-${row.id}`);
    res.type(inline ? mime : 'application/octet-stream').sendFile(file);
  });
  return r;
}
