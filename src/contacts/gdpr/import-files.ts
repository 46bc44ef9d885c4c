// The erasure's reach into import files. A rejected-rows CSV keeps the
// original cells of unusable rows — possibly the erased person's phone or
// e-mail — so each one is rewritten without the rows that match the contact
// (temp file, fsync, rename: a reader sees the old file or the new one, never
// half of one). Kept rows stay byte for byte. Uploads still on disk: a failed
// job's file is deleted (nothing reads it again); an upload waiting at its
// preview that holds the contact is cancelled and deleted. Only counts come
// back: they go into the erasure receipt.
import crypto from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { parse } from 'csv-parse';
import type { Deps } from '../../deps.js';
import { detectDelimiter } from '../csv-sniff.js';
import { records } from '../import-reader.js';
import { cancelJob, jobsWithFiles, setRejectedBytes } from '../import/jobs.js';
import { normalizePhone, variantsOf } from '../phone.js';

export type ContactIdentity = { phone: string; waKey: string; email: string | null; country: string | null };
export type ImportFilesScrub = { import_rejected_files: number; import_rejected_rows: number; import_uploads_deleted: number };

// A run of phone characters: "+52 1 (55) 6000-9999", "5560009999".
const PHONE_RUN = /\+?\d[\d\s().\-/]{5,}\d/g;

/**
 * True when one of the cells names the contact: its e-mail, or a phone that
 * is one of its spellings — as digits (wa_key, any variant, even when the row
 * was rejected as invalid) or once normalised with the contact's country
 * (a national "55 6000 9999", "044 55…").
 */
export function contactMatcher(c: ContactIdentity): (cells: readonly string[]) => boolean {
  const digitForms = new Set([c.waKey, ...variantsOf(c.phone).map((v) => v.replace(/\D/g, ''))]);
  const tail = c.waKey.slice(-7);
  const email = c.email?.trim().toLowerCase() || null;
  const phoneMatches = (run: string): boolean => {
    const d = run.replace(/\D/g, '');
    if (d.slice(-7) !== tail) return false; // cheap: every spelling ends with the same subscriber digits
    if (digitForms.has(d)) return true;
    const r = normalizePhone(run, c.country);
    return r.ok && r.waKey === c.waKey;
  };
  return (cells) => cells.some((cell) => {
    if (email && cell.toLowerCase().includes(email)) return true;
    for (const m of cell.matchAll(PHONE_RUN)) if (phoneMatches(m[0])) return true;
    return false;
  });
}

/** The delimiter our own writer used (the original file's), from the header line. */
async function delimiterOf(file: string): Promise<string> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
    return detectDelimiter(head.split('\r\n')[0] + '\r\n', true).delimiter;
  } finally {
    await fh.close();
  }
}

/**
 * Rewrite a rejected-rows file without the rows `matches` accepts (the
 * header is kept). Returns the rows removed and the new length; nothing is
 * written when no row matches.
 */
export async function scrubRejectedFile(file: string, matches: (cells: readonly string[]) => boolean): Promise<{ removed: number; bytes: number }> {
  const delimiter = await delimiterOf(file);
  const tmp = `${file}.erase-${crypto.randomBytes(6).toString('hex')}`;
  const out = await fs.open(tmp, 'wx');
  let [removed, bytes, first] = [0, 0, true];
  try {
    const write = async (text: string) => {
      const buf = Buffer.from(text, 'utf8');
      await out.write(buf);
      bytes += buf.length;
    };
    await write('\uFEFF');
    const parser = createReadStream(file).pipe(parse({ delimiter, bom: true, raw: true, record_delimiter: '\r\n', relax_column_count: true, relax_quotes: true }));
    for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      if (!first && matches(record)) removed++;
      else await write(`${raw.replace(/\r?\n?$/, '')}\r\n`); // raw carries part of the record delimiter
      first = false;
    }
    await out.sync();
  } catch (err) {
    await out.close();
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await out.close();
  if (!removed) {
    await fs.rm(tmp, { force: true });
    return { removed, bytes: (await fs.stat(file)).size };
  }
  await fs.rename(tmp, file);
  return { removed, bytes };
}

/** Whether any record of an upload (CSV in any encoding, or XLSX) names the contact. */
async function uploadNames(file: string, matches: (cells: readonly string[]) => boolean): Promise<boolean> {
  try {
    for await (const rec of records(file)) if (matches(rec.values)) return true;
    return false;
  } catch {
    return true; // unreadable now: it cannot be checked, so it is not kept
  }
}

async function exists(file: string | null): Promise<boolean> {
  return !!file && (await fs.stat(file).then(() => true, () => false));
}

/** Scrub every finished job's rejected file and the uploads still kept; callers refuse while a job runs. */
export async function scrubImportFiles(deps: Deps, who: ContactIdentity): Promise<ImportFilesScrub> {
  const matches = contactMatcher(who);
  const out: ImportFilesScrub = { import_rejected_files: 0, import_rejected_rows: 0, import_uploads_deleted: 0 };
  for (const job of await jobsWithFiles(deps.db)) {
    if (job.status === 'queued' || job.status === 'running') continue;
    if (job.rejectedPath && (await exists(job.rejectedPath))) {
      const r = await scrubRejectedFile(job.rejectedPath, matches);
      if (r.removed) {
        await setRejectedBytes(deps.db, job.id, r.bytes);
        out.import_rejected_files++;
        out.import_rejected_rows += r.removed;
      }
    }
    if (!(await exists(job.filePath))) continue;
    // A failed job never reads its upload again; a preview holding the contact is withdrawn.
    if (job.status === 'uploaded' && !(await uploadNames(job.filePath, matches))) continue;
    if (job.status === 'uploaded') await cancelJob(deps.db, job.id, deps.clock.now());
    await fs.rm(job.filePath, { force: true });
    out.import_uploads_deleted++;
  }
  return out;
}
