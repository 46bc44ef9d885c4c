// Reads an attachment form (multipart/form-data: the inbox composer, the
// messages API) with busboy:
// one `file` part plus small text fields. The file is kept in memory — it
// goes to Meta's upload and to the media folder as bytes — and never beyond
// the limit of its type (media-limits.ts): a bigger one stops being read at
// once and the rest of the body is drained, so the browser gets the answer.
import busboy from 'busboy';
import type { Request } from 'express';
import type { FieldErrors } from '../errors.js';
import { attachmentType, MAX_ATTACHMENT_BYTES } from './media-service.js';

export type UploadedFile = { data: Buffer; mimeType: string; filename: string };
export type AttachmentForm = {
  fields: Record<string, string>;
  file: UploadedFile | null;
  /** What was wrong with the upload itself (on `file`), else null. */
  error: FieldErrors | null;
};

const MB = 1024 * 1024;
const TOO_LARGE: Record<string, string> = {
  image: 'whatsapp.media.too_large_image', video: 'whatsapp.media.too_large_video',
  audio: 'whatsapp.media.too_large_audio', document: 'whatsapp.media.too_large_document',
};

/** Never throws for what the client sent; a broken or oversized body is an `error` on `file`. */
export async function readAttachmentForm(req: Request, maxBytes = MAX_ATTACHMENT_BYTES): Promise<AttachmentForm> {
  const fields: Record<string, string> = {};
  const fail = (code: string, params?: Record<string, string | number>): AttachmentForm => {
    req.resume();
    return { fields, file: null, error: { file: { code, ...(params ? { params } : {}) } } };
  };
  if (!/^multipart\/form-data/i.test(req.get('content-type') ?? '')) return fail('whatsapp.media.bad_upload');
  if (Number(req.get('content-length') ?? 0) > maxBytes + 256 * 1024) return fail('whatsapp.media.too_large', { max: Math.round(maxBytes / MB) });

  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { files: 2, fileSize: maxBytes + 1, fields: 20, fieldSize: 16 * 1024, parts: 30 } });
  } catch {
    return fail('whatsapp.media.bad_upload');
  }
  let file: UploadedFile | null = null;
  let error: FieldErrors | null = null;
  const setError = (code: string, params?: Record<string, string | number>) => {
    error ??= { file: { code, ...(params ? { params } : {}) } };
  };

  bb.on('field', (name, value) => {
    if (name.length <= 40) fields[name] = value;
  });
  bb.on('file', (name, stream, info) => {
    // A body cut off inside a file part errors its stream too; unheard, that error would crash the process.
    stream.on('error', () => setError('whatsapp.media.bad_upload'));
    // An empty file input still sends a part, with no file name and no bytes.
    if (name !== 'file' || !info.filename) {
      stream.resume();
      return;
    }
    if (file) {
      setError('whatsapp.media.one_file');
      stream.resume();
      return;
    }
    const type = attachmentType(info.mimeType, info.filename);
    const limit = type ? type.maxBytes : maxBytes;
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      // Past the limit the bytes are only counted (for the message), not kept.
      if (size > limit) chunks.length = 0;
      else chunks.push(c);
    });
    stream.on('end', () => {
      if (size <= limit) file = { data: Buffer.concat(chunks), mimeType: info.mimeType, filename: info.filename ?? '' };
      else setError(type ? TOO_LARGE[type.kind]! : 'whatsapp.media.too_large', { max: Math.round(limit / MB), size: (size / MB).toFixed(1) });
    });
  });

  const done = new Promise<void>((resolve) => {
    bb.on('close', resolve);
    bb.on('error', () => {
      setError('whatsapp.media.bad_upload');
      req.unpipe(bb);
      req.resume();
      resolve();
    });
    req.on('aborted', () => {
      setError('whatsapp.media.bad_upload');
      resolve();
    });
  });
  req.pipe(bb);
  await done;
  return { fields, file: error ? null : file, error };
}
