// Reads an attachment form (multipart/form-data: the inbox composer, the
// messages API): one `file` part plus small text fields, through the shared
// upload reader (web/multipart.ts: busboy, limits, malformed or cut-off
// bodies, the rest of the body drained so the browser gets the answer). The
// file passes through a temporary file under the media folder and comes back
// as bytes — it goes to Meta's upload and to the media folder as bytes — and
// never beyond the limit of its type (media-limits.ts).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response } from 'express';
import type { Deps } from '../deps.js';
import type { FieldErrors } from '../errors.js';
import { discardFiles, receiveMultipart, UploadError, type ReceivedFile, type UploadFailure } from '../web/multipart.js';
import { attachmentType, MAX_ATTACHMENT_BYTES, mediaDir } from './media-service.js';

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
const REASON_CODES: Record<UploadFailure, string> = {
  not_multipart: 'whatsapp.media.bad_upload', malformed: 'whatsapp.media.bad_upload', aborted: 'whatsapp.media.bad_upload',
  too_many_fields: 'whatsapp.media.bad_upload', too_many_files: 'whatsapp.media.one_file', too_large: 'whatsapp.media.too_large',
};

const fileError = (code: string, params?: Record<string, string | number>): FieldErrors => ({ file: { code, ...(params ? { params } : {}) } });

/** The bytes of the one `file` part, checked against its type's limit. */
async function attachmentOf(file: ReceivedFile): Promise<{ file: UploadedFile } | { error: FieldErrors }> {
  const type = attachmentType(file.mimeType, file.filename);
  if (type && file.bytes > type.maxBytes) {
    return { error: fileError(TOO_LARGE[type.kind]!, { max: Math.round(type.maxBytes / MB), size: (file.bytes / MB).toFixed(1) }) };
  }
  return { file: { data: await fs.readFile(file.path), mimeType: file.mimeType, filename: file.filename } };
}

/** Never throws for what the client sent; a broken or oversized body is an `error` on `file`. */
export async function readAttachmentForm(
  deps: Pick<Deps, 'config'>, req: Request, res: Response, maxBytes = MAX_ATTACHMENT_BYTES,
): Promise<AttachmentForm> {
  let form;
  try {
    form = await receiveMultipart(req, res, { dir: path.join(mediaDir(deps), 'incoming'), maxFileBytes: maxBytes, maxFiles: 2, maxFields: 20, maxFieldBytes: 16 * 1024 });
  } catch (err) {
    if (!(err instanceof UploadError)) throw err;
    const params = err.reason === 'too_large' ? { max: Math.round(maxBytes / MB) } : undefined;
    return { fields: {}, file: null, error: fileError(REASON_CODES[err.reason], params) };
  }
  try {
    const files = form.files.filter((f) => f.field === 'file' && f.filename);
    if (files.length > 1) return { fields: form.fields, file: null, error: fileError('whatsapp.media.one_file') };
    if (!files[0]) return { fields: form.fields, file: null, error: null };
    const got = await attachmentOf(files[0]);
    return 'error' in got ? { fields: form.fields, file: null, error: got.error } : { fields: form.fields, file: got.file, error: null };
  } finally {
    await discardFiles(form.files);
  }
}
