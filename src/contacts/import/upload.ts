// Receives an uploaded contacts file: a multipart/form-data body (browser
// form, curl -F) or the raw file as the body (?filename=…). web/multipart.ts
// streams it to $CHATFLOW_DATA_DIR/uploads/imports under a random name,
// hashing it on the way, and stops at the size limit, so a huge upload never
// sits in memory or fills the disk. Here its refusals become messages.
import path from 'node:path';
import type { Request, Response } from 'express';
import { Invalid } from '../../errors.js';
import { HttpError } from '../../web/errors.js';
import { isMultipart, receiveMultipart, receiveRaw, UploadError, discardFiles, type ReceivedFile } from '../../web/multipart.js';

export const DEFAULT_MAX_UPLOAD_MB = 50;

export type Upload = { path: string; originalName: string; bytes: number; sha256: string; fields: Record<string, string> };

/** The limit in bytes: CHATFLOW_IMPORT_MAX_MB when set (read once per call so tests can vary it). */
export function maxUploadBytes(): number {
  const mb = Number(process.env.CHATFLOW_IMPORT_MAX_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024;
}

/** Over the limit: 413 everywhere (the page shows it as the file field's error). */
export class UploadTooLarge extends HttpError {
  constructor(max: number) {
    super(413, 'import.too_large', { mb: Math.round(max / 1048576) });
  }
}

/** A name safe to show and to put in a Content-Disposition: no path, no control characters. */
export function cleanFileName(name: string | undefined | null): string {
  const base = path.basename(String(name ?? '').replace(/\\/g, '/')).replace(/[\x00-\x1f\x7f"]/g, '').trim();
  return base.slice(0, 200) || 'contactos.csv';
}

function refusal(err: UploadError, max: number): Error {
  if (err.reason === 'too_large') return new UploadTooLarge(max);
  if (err.reason === 'too_many_files') return new Invalid({ file: { code: 'import.upload_one_file' } });
  return new Invalid({ file: { code: 'import.upload_malformed' } });
}

/**
 * Save the request body's file. Throws UploadTooLarge over the limit and
 * Invalid (field `file`) when there is no file or the body is malformed;
 * nothing is left on disk then.
 */
export async function receiveUpload(req: Request, res: Response, dir: string, max = maxUploadBytes()): Promise<Upload> {
  let file: ReceivedFile | undefined;
  let fields: Record<string, string> = {};
  try {
    if (isMultipart(req)) {
      const form = await receiveMultipart(req, res, { dir, maxFileBytes: max, maxFiles: 1 });
      [file, fields] = [form.files[0], form.fields];
    } else {
      file = await receiveRaw(req, res, { dir, maxFileBytes: max, filename: String(req.query.filename ?? req.get('x-filename') ?? '') });
      if (!file.bytes && !file.filename) {
        await discardFiles([file]);
        file = undefined;
      }
    }
  } catch (err) {
    throw err instanceof UploadError ? refusal(err, max) : err;
  }
  if (!file) throw new Invalid({ file: { code: 'import.no_file' } });
  return { path: file.path, originalName: cleanFileName(file.filename), bytes: file.bytes, sha256: file.sha256, fields };
}
