// Uploads to disk: a multipart/form-data body (browser forms, curl -F) parsed
// with busboy, or a raw request body. Every file streams to `dir` under a
// random name while its size is counted and its SHA-256 computed; nothing is
// held in memory but the small text fields. On any failure (size limit,
// malformed body, client gone) every file written so far is deleted, the rest
// of the body is drained so the client can read the answer, and an
// UploadError says why. Callers turn its `reason` into their own message.
//
//   const { fields, files } = await receiveMultipart(req, res, { dir, maxFileBytes });
//   const file = await receiveRaw(req, res, { dir, maxFileBytes, filename });
//   await discardFiles(files); // when the caller does not keep them
import crypto from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request, Response } from 'express';

export type UploadFailure =
  /** Not multipart/form-data, or no boundary. */
  | 'not_multipart'
  /** A file over `maxFileBytes` (or a Content-Length that announces one). */
  | 'too_large'
  /** More file parts than `maxFiles`. */
  | 'too_many_files'
  /** More text fields than `maxFields`, or one over `maxFieldBytes`. */
  | 'too_many_fields'
  /** The body breaks the multipart grammar or ends early. */
  | 'malformed'
  /** The client went away before the body ended. */
  | 'aborted';

export class UploadError extends Error {
  constructor(readonly reason: UploadFailure, readonly maxFileBytes?: number) {
    super(`upload refused: ${reason}`);
  }
}

export type UploadLimits = {
  /** Directory the files are written to (created when missing). */
  dir: string;
  /** Largest accepted file, in bytes. */
  maxFileBytes: number;
  /** File parts accepted (default 1). */
  maxFiles?: number;
  /** Text fields accepted (default 50). */
  maxFields?: number;
  /** Largest text field, in bytes (default 64 KiB). */
  maxFieldBytes?: number;
};

export type ReceivedFile = {
  /** The form field the file came in (`''` for a raw body). */
  field: string;
  /** The name the client gave, as sent (clean it before showing or storing it). */
  filename: string;
  mimeType: string;
  /** Where it was written: `dir` + a random name. The caller owns it from here. */
  path: string;
  bytes: number;
  /** Hex SHA-256 of the file's bytes, computed while streaming. */
  sha256: string;
};

export type ReceivedForm = { fields: Record<string, string>; files: ReceivedFile[] };

/** Slack for the multipart envelope and text fields when judging a Content-Length. */
const ENVELOPE_BYTES = 64 * 1024;

export function isMultipart(req: Request): boolean {
  return /^multipart\/form-data\b/i.test(req.get('content-type') ?? '');
}

/** Delete files the caller will not keep (missing ones are fine). */
export async function discardFiles(files: ReadonlyArray<{ path: string }>): Promise<void> {
  await Promise.all(files.map((f) => fs.rm(f.path, { force: true })));
}

function tempPath(dir: string): string {
  return path.join(dir, `upload-${crypto.randomBytes(12).toString('hex')}`);
}

/** Stop reading the request but let the client finish sending, so it can read the error. */
function drain(req: Request, res: Response): void {
  if (!res.headersSent) res.set('Connection', 'close');
  req.resume();
}

function announcedTooLarge(req: Request, max: number): boolean {
  return Number(req.get('content-length') ?? 0) > max + ENVELOPE_BYTES;
}

/** One file being written: bytes counted and hashed as they pass, with backpressure. */
class FileSink {
  readonly hash = crypto.createHash('sha256');
  bytes = 0;
  private readonly out: WriteStream;
  readonly done: Promise<void>;
  constructor(readonly file: string) {
    this.out = createWriteStream(file, { flags: 'wx' });
    this.done = new Promise((resolve, reject) => this.out.on('finish', resolve).on('error', reject));
    this.done.catch(() => undefined); // observed by whoever awaits it
  }
  /** false when the caller should wait for drain(). */
  write(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    return this.out.write(chunk);
  }
  onDrain(fn: () => void): void {
    this.out.once('drain', fn);
  }
  end(): Promise<void> {
    this.out.end();
    return this.done;
  }
  /** Stop writing and delete the file (after the stream has closed, so a late open cannot recreate it). */
  async discard(): Promise<void> {
    if (!this.out.closed) {
      const closed = new Promise<void>((resolve) => this.out.once('close', () => resolve()));
      this.out.destroy();
      await closed;
    }
    await fs.rm(this.file, { force: true });
  }
}

/**
 * Parse a multipart/form-data request. Files are written to `limits.dir`;
 * a file part with an empty name and no bytes (a form sent with no file
 * chosen) is dropped. Throws UploadError; nothing is left on disk then.
 */
export async function receiveMultipart(req: Request, res: Response, limits: UploadLimits): Promise<ReceivedForm> {
  if (!isMultipart(req)) throw new UploadError('not_multipart');
  if (announcedTooLarge(req, limits.maxFileBytes * (limits.maxFiles ?? 1))) {
    drain(req, res);
    throw new UploadError('too_large', limits.maxFileBytes);
  }
  // A body parser got here first: there is nothing left to read.
  if (req.readableEnded) throw new UploadError('malformed');
  await fs.mkdir(limits.dir, { recursive: true });
  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: req.headers, defParamCharset: 'utf8',
      limits: {
        fileSize: limits.maxFileBytes + 1, files: limits.maxFiles ?? 1, fields: limits.maxFields ?? 50,
        fieldSize: limits.maxFieldBytes ?? 64 * 1024, parts: (limits.maxFiles ?? 1) + (limits.maxFields ?? 50),
      },
    });
  } catch {
    drain(req, res);
    throw new UploadError('not_multipart');
  }
  return new MultipartRun(req, res, bb, limits).result;
}

/** The state of one multipart body: its fields, the files written, the first failure. */
class MultipartRun {
  readonly fields: Record<string, string> = {};
  private readonly sinks: Array<{ sink: FileSink; field: string; filename: string; mimeType: string }> = [];
  private failed: UploadError | undefined;
  private settle!: { resolve(v: ReceivedForm): void; reject(e: unknown): void };
  readonly result = new Promise<ReceivedForm>((resolve, reject) => (this.settle = { resolve, reject }));

  constructor(private readonly req: Request, private readonly res: Response, private readonly bb: busboy.Busboy, private readonly limits: UploadLimits) {
    bb.on('file', (field, stream, info) => this.file(field, stream, info));
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) return void this.fail(new UploadError('too_many_fields'));
      this.fields[name] = value;
    });
    bb.on('filesLimit', () => this.fail(new UploadError('too_many_files')));
    bb.on('fieldsLimit', () => this.fail(new UploadError('too_many_fields')));
    bb.on('partsLimit', () => this.fail(new UploadError('too_many_fields')));
    bb.on('error', () => this.fail(new UploadError('malformed')));
    bb.on('close', () => void this.finish());
    req.on('close', () => {
      if (!req.complete) this.fail(new UploadError('aborted'));
    });
    req.pipe(bb);
  }

  private file(field: string, stream: Readable & { truncated?: boolean }, info: busboy.FileInfo): void {
    if (this.failed) return void stream.resume();
    const sink = new FileSink(tempPath(this.limits.dir));
    this.sinks.push({ sink, field, filename: info.filename ?? '', mimeType: info.mimeType || 'application/octet-stream' });
    stream.on('limit', () => this.fail(new UploadError('too_large', this.limits.maxFileBytes)));
    stream.on('error', () => this.fail(new UploadError('malformed')));
    stream.on('data', (chunk: Buffer) => {
      if (this.failed) return;
      if (!sink.write(chunk)) {
        stream.pause();
        sink.onDrain(() => stream.resume());
      }
    });
    sink.done.catch(() => this.fail(new UploadError('malformed')));
  }

  private async finish(): Promise<void> {
    try {
      await Promise.all(this.sinks.map((s) => s.sink.end()));
    } catch {
      this.fail(new UploadError('malformed'));
    }
    if (this.failed) return;
    const files = this.sinks.map(({ sink, field, filename, mimeType }) => ({
      field, filename, mimeType, path: sink.file, bytes: sink.bytes, sha256: sink.hash.digest('hex'),
    }));
    const empty = files.filter((f) => !f.filename && !f.bytes);
    await discardFiles(empty);
    this.settle.resolve({ fields: this.fields, files: files.filter((f) => !empty.includes(f)) });
  }

  private fail(err: UploadError): void {
    if (this.failed) return;
    this.failed = err;
    this.req.unpipe(this.bb);
    drain(this.req, this.res);
    Promise.all(this.sinks.map((s) => s.sink.discard())).then(() => this.settle.reject(err), this.settle.reject);
  }
}

/**
 * Save the raw request body as one file (`filename` is what the client
 * called it, e.g. from a query parameter). Throws UploadError like
 * receiveMultipart; nothing is left on disk then.
 */
export async function receiveRaw(
  req: Request, res: Response, limits: Pick<UploadLimits, 'dir' | 'maxFileBytes'> & { filename: string; mimeType?: string },
): Promise<ReceivedFile> {
  if (announcedTooLarge(req, limits.maxFileBytes)) {
    drain(req, res);
    throw new UploadError('too_large', limits.maxFileBytes);
  }
  await fs.mkdir(limits.dir, { recursive: true });
  const sink = new FileSink(tempPath(limits.dir));
  try {
    // A body parser (express.json) may have consumed the body already: then it is empty here.
    if (!req.readableEnded) await new Promise<void>((resolve, reject) => {
      const stop = (e: UploadError) => {
        req.removeAllListeners('data');
        reject(e);
      };
      req.on('data', (chunk: Buffer) => {
        if (sink.bytes + chunk.length > limits.maxFileBytes) return stop(new UploadError('too_large', limits.maxFileBytes));
        if (!sink.write(chunk)) {
          req.pause();
          sink.onDrain(() => req.resume());
        }
      });
      req.on('end', resolve);
      req.on('error', () => stop(new UploadError('aborted')));
      req.on('close', () => {
        if (!req.complete) stop(new UploadError('aborted'));
      });
      sink.done.catch(() => stop(new UploadError('malformed')));
    });
    await sink.end();
  } catch (err) {
    drain(req, res);
    await sink.discard();
    throw err instanceof UploadError ? err : new UploadError('malformed');
  }
  return {
    field: '', filename: limits.filename, mimeType: limits.mimeType ?? (req.get('content-type') ?? 'application/octet-stream'),
    path: sink.file, bytes: sink.bytes, sha256: sink.hash.digest('hex'),
  };
}
