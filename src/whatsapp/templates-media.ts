// The sample file of a media template header. Meta wants an example handle
// from its Resumable Upload API, which works on the Meta app (not on the
// number), hence the number's "Meta app id" setting. Types and sizes are
// checked here first (cloud-api.md §9; a document header must be a PDF), with
// the first bytes matching the type, so Meta is only called with a file it
// can take.
import path from 'node:path';
import type { Deps } from '../deps.js';
import { Invalid } from '../errors.js';
import { clientFor } from './graph-clients.js';
import { numberById, numberSecrets } from './numbers-queries.js';
import { templateMetaError } from './templates-errors.js';
import type { MediaHeader } from './templates-schema.js';

const MB = 1024 * 1024;

type SampleType = { mime: string; ext: readonly string[]; magic: (d: Buffer) => boolean };
const starts = (bytes: number[], at = 0) => (d: Buffer) => bytes.every((b, i) => d[at + i] === b);

export const HEADER_SAMPLES: Record<MediaHeader, { maxBytes: number; types: readonly SampleType[] }> = {
  IMAGE: { maxBytes: 5 * MB, types: [
    { mime: 'image/jpeg', ext: ['jpg', 'jpeg'], magic: starts([0xff, 0xd8, 0xff]) },
    { mime: 'image/png', ext: ['png'], magic: starts([0x89, 0x50, 0x4e, 0x47]) },
  ] },
  VIDEO: { maxBytes: 16 * MB, types: [{ mime: 'video/mp4', ext: ['mp4'], magic: starts([0x66, 0x74, 0x79, 0x70], 4) }] },
  DOCUMENT: { maxBytes: 100 * MB, types: [{ mime: 'application/pdf', ext: ['pdf'], magic: starts([0x25, 0x50, 0x44, 0x46]) }] },
};

/** The largest sample of any header (a PDF): uploads stop reading there. */
export const MAX_SAMPLE_BYTES = HEADER_SAMPLES.DOCUMENT.maxBytes;

export type HeaderSample = { data: Buffer; mimeType: string; filename: string };
export type UploadedHeaderSample = { handle: string; filename: string; bytes: number; mimeType: string };

const fail = (code: string, params?: Record<string, string | number>) => new Invalid({ header_file: { code, params } });

const allowedOf = (format: MediaHeader) => HEADER_SAMPLES[format].types.map((t) => t.ext[0]!.toUpperCase()).join(', ');

/** A sample over its header's limit (also when the upload stops reading it there). */
export function sampleTooLarge(format: MediaHeader): Invalid {
  return fail('whatsapp.templates.sample_too_large', { mb: HEADER_SAMPLES[format].maxBytes / MB, types: allowedOf(format) });
}

/** The MIME type the sample is sent as; throws Invalid (field header_file) with the rule it breaks. */
export function checkHeaderSample(format: MediaHeader, file: HeaderSample): string {
  const rules = HEADER_SAMPLES[format];
  const allowed = allowedOf(format);
  if (file.data.length === 0) throw fail('whatsapp.templates.sample_empty');
  if (file.data.length > rules.maxBytes) throw sampleTooLarge(format);
  const declared = file.mimeType.split(';')[0]!.trim().toLowerCase();
  const ext = path.extname(file.filename).slice(1).toLowerCase();
  const type = rules.types.find((t) => t.mime === declared) ?? rules.types.find((t) => t.ext.includes(ext));
  if (!type) throw fail('whatsapp.templates.sample_type', { types: allowed });
  if (!type.magic(file.data)) throw fail('whatsapp.templates.sample_content', { type: type.ext[0]!.toUpperCase() });
  return type.mime;
}

/** Checks the sample, then uploads it to Meta (Resumable Upload API) for the header's example handle. */
export async function uploadHeaderSample(deps: Deps, numberId: number, format: MediaHeader, file: HeaderSample): Promise<UploadedHeaderSample> {
  const n = await numberById(deps.db, numberId);
  if (!n) throw new Invalid({ number_id: { code: 'whatsapp.number_not_found' } });
  const mimeType = checkHeaderSample(format, file);
  if (!n.metaAppId) throw fail('whatsapp.templates.app_id_missing', { number: n.label });
  try {
    const { accessToken } = await numberSecrets(deps, n.id);
    const r = await clientFor(deps, n).uploadTemplateSample(n.metaAppId, accessToken, { data: file.data, mimeType, filename: file.filename });
    return { handle: r.handle, filename: file.filename, bytes: file.data.length, mimeType };
  } catch (err) {
    throw templateMetaError(err, 'header_file');
  }
}
