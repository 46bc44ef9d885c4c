// What an agent (or the API) may send as media: Meta's types and maximum
// sizes (cloud-api.md §9), checked before anything is stored or uploaded.
// The MIME type is taken from the file name when the browser sends a vague
// one, and the first bytes of JPEG/PNG/PDF files must match their type
// (Meta answers 131053 when they do not).
import path from 'node:path';
import { Invalid } from '../errors.js';

const MB = 1024 * 1024;

export type AttachmentKind = 'image' | 'video' | 'audio' | 'document';
export type AttachmentType = { mime: string; kind: AttachmentKind; maxBytes: number; ext: readonly string[] };

export const ATTACHMENT_TYPES: readonly AttachmentType[] = Object.freeze([
  { mime: 'image/jpeg', kind: 'image', maxBytes: 5 * MB, ext: ['jpg', 'jpeg'] },
  { mime: 'image/png', kind: 'image', maxBytes: 5 * MB, ext: ['png'] },
  { mime: 'video/mp4', kind: 'video', maxBytes: 16 * MB, ext: ['mp4'] },
  { mime: 'video/3gpp', kind: 'video', maxBytes: 16 * MB, ext: ['3gp', '3gpp'] },
  { mime: 'audio/aac', kind: 'audio', maxBytes: 16 * MB, ext: ['aac'] },
  { mime: 'audio/amr', kind: 'audio', maxBytes: 16 * MB, ext: ['amr'] },
  { mime: 'audio/mpeg', kind: 'audio', maxBytes: 16 * MB, ext: ['mp3'] },
  { mime: 'audio/mp4', kind: 'audio', maxBytes: 16 * MB, ext: ['m4a'] },
  { mime: 'audio/ogg', kind: 'audio', maxBytes: 16 * MB, ext: ['ogg', 'opus'] },
  { mime: 'text/plain', kind: 'document', maxBytes: 100 * MB, ext: ['txt'] },
  { mime: 'application/pdf', kind: 'document', maxBytes: 100 * MB, ext: ['pdf'] },
  { mime: 'application/msword', kind: 'document', maxBytes: 100 * MB, ext: ['doc'] },
  { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', kind: 'document', maxBytes: 100 * MB, ext: ['docx'] },
  { mime: 'application/vnd.ms-excel', kind: 'document', maxBytes: 100 * MB, ext: ['xls'] },
  { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', kind: 'document', maxBytes: 100 * MB, ext: ['xlsx'] },
  { mime: 'application/vnd.ms-powerpoint', kind: 'document', maxBytes: 100 * MB, ext: ['ppt'] },
  { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', kind: 'document', maxBytes: 100 * MB, ext: ['pptx'] },
]);

/** The largest attachment of any type (documents): the upload parser stops there. */
export const MAX_ATTACHMENT_BYTES = 100 * MB;

const MAGIC: Record<string, readonly number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47],
  'application/pdf': [0x25, 0x50, 0x44, 0x46],
};

const extOf = (filename: string | undefined) => path.extname(filename ?? '').slice(1).toLowerCase();

/**
 * The type a file is sent as: its declared MIME type when Meta accepts it
 * (`audio/ogg; codecs=opus` counts as audio/ogg), else the one its extension
 * names (browsers send `application/octet-stream` for unknown types). Null:
 * WhatsApp does not take it.
 */
export function attachmentType(declaredMime: string | undefined, filename: string | undefined): AttachmentType | null {
  const mime = String(declaredMime ?? '').split(';')[0]!.trim().toLowerCase();
  const ext = extOf(filename);
  return ATTACHMENT_TYPES.find((t) => t.mime === mime) ?? (ext ? ATTACHMENT_TYPES.find((t) => t.ext.includes(ext)) ?? null : null);
}

const mb = (bytes: number) => Math.round(bytes / MB);

/** Throws Invalid on `field` (codes whatsapp.media.*) unless WhatsApp accepts this file; returns its type. */
export function checkAttachment(file: { data: Buffer; mimeType?: string; filename?: string }, field = 'file'): AttachmentType {
  const name = file.filename ?? '';
  const type = attachmentType(file.mimeType, name);
  if (!type) throw new Invalid({ [field]: { code: 'whatsapp.media.type_not_allowed', params: { name: name || String(file.mimeType ?? '?') } } });
  if (file.data.length === 0) throw new Invalid({ [field]: { code: 'whatsapp.media.empty' } });
  if (file.data.length > type.maxBytes) {
    throw new Invalid({ [field]: { code: `whatsapp.media.too_large_${type.kind}`, params: { max: mb(type.maxBytes), size: (file.data.length / MB).toFixed(1) } } });
  }
  const magic = MAGIC[type.mime];
  if (magic && !magic.every((b, i) => file.data[i] === b)) {
    throw new Invalid({ [field]: { code: 'whatsapp.media.mismatch', params: { name: name || type.mime, type: type.ext[0]!.toUpperCase() } } });
  }
  return type;
}
