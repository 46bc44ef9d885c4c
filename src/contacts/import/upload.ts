// Receives an uploaded contacts file: a multipart/form-data body (browser
// form, curl -F) or the raw file as the body (?filename=…). It streams to
// $CHATFLOW_DATA_DIR/uploads/imports under a random name and stops at the
// size limit, so a huge upload never sits in memory or fills the disk.
import crypto from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { Request, Response } from 'express';
import { Invalid } from '../../errors.js';
import { boundaryOf, readMultipart } from './multipart.js';

export const DEFAULT_MAX_UPLOAD_MB = 50;

export type Upload = { path: string; originalName: string; bytes: number; fields: Record<string, string> };

/** The limit in bytes: CHATFLOW_IMPORT_MAX_MB when set (read once per call so tests can vary it). */
export function maxUploadBytes(): number {
  const mb = Number(process.env.CHATFLOW_IMPORT_MAX_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024;
}

function tooLarge(max: number): Invalid {
  return new Invalid({ file: { code: 'import.too_large', params: { mb: Math.round(max / 1048576) } } });
}

/** A name safe to show and to put in a Content-Disposition: no path, no control characters. */
export function cleanFileName(name: string | undefined | null): string {
  const base = path.basename(String(name ?? '').replace(/\\/g, '/')).replace(/[\x00-\x1f\x7f"]/g, '').trim();
  return base.slice(0, 200) || 'contactos.csv';
}

class Sink {
  bytes = 0;
  private out: WriteStream | undefined;
  constructor(readonly file: string, private readonly max: number) {}
  start(): void {
    this.out = createWriteStream(this.file, { flags: 'wx' });
  }
  async write(chunk: Buffer): Promise<void> {
    if (!this.out) return;
    this.bytes += chunk.length;
    if (this.bytes > this.max) throw tooLarge(this.max);
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
  async end(): Promise<void> {
    if (!this.out) return;
    this.out.end();
    await once(this.out, 'finish');
  }
  async discard(): Promise<void> {
    this.out?.destroy();
    await fs.rm(this.file, { force: true });
  }
}

/**
 * Save the request body's file. Throws Invalid (field `file`) when there is
 * no file, the body is malformed or over the limit; the partial file is
 * removed and the rest of the body discarded so the client gets the answer.
 */
export async function receiveUpload(req: Request, res: Response, dir: string, max = maxUploadBytes()): Promise<Upload> {
  await fs.mkdir(dir, { recursive: true });
  const sink = new Sink(path.join(dir, `upload-${crypto.randomBytes(12).toString('hex')}`), max);
  let originalName = '';
  let fields: Record<string, string> = {};
  try {
    if (Number(req.get('content-length') ?? 0) > max + 64 * 1024) throw tooLarge(max);
    const boundary = boundaryOf(req.get('content-type'));
    if (boundary) {
      fields = await readMultipart(req, boundary, {
        fileStart: async (p) => { originalName = p.filename; sink.start(); },
        data: (c) => sink.write(c),
        fileEnd: () => sink.end(),
      });
    } else {
      originalName = String(req.query.filename ?? req.get('x-filename') ?? '');
      sink.start();
      for await (const chunk of req as AsyncIterable<Buffer>) await sink.write(chunk);
      await sink.end();
    }
    if (!sink.bytes && !originalName) throw new Invalid({ file: { code: 'import.no_file' } });
    return { path: sink.file, originalName: cleanFileName(originalName), bytes: sink.bytes, fields };
  } catch (caught) {
    // A client that went away mid-upload is a broken upload, not a server error.
    const err = caught instanceof Invalid || !req.destroyed ? caught : new Invalid({ file: { code: 'import.upload_malformed' } });
    await sink.discard();
    // Stop reading, but let the client finish sending so it can read the error.
    res.set('Connection', 'close');
    req.resume();
    throw err;
  }
}
