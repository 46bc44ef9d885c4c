// Import use cases shared by the web pages, the API and the CLI: accept an
// uploaded file (refusing unusable ones up front), show its preview, start
// the job with the chosen mapping and options, cancel it.
import fs from 'node:fs/promises';
import type { Audit } from '../../audit/context.js';
import type { Deps } from '../../deps.js';
import { Conflict, Invalid, NotFound } from '../../errors.js';
import type { Locale } from '../../i18n/i18n.js';
import { validateMapping } from '../column-mapping.js';
import { countCustomFields, customFields, insertCustomField, maxFieldPosition } from '../fields-queries.js';
import { readHeader, records, type HeaderPreview } from '../import-reader.js';
import { contactDefaults } from '../defaults.js';
import { scanCsv } from './csv-scan.js';
import { abandonedUploads, cancelJob, insertJob, jobById, queueJob, type ImportJob, type JobMapping, type JobSource, type MappedColumn } from './jobs.js';
import type { StartImportInput } from './schema.js';

export type ImportActor = { userId: number | null; locale: Locale; source: JobSource; audit: Audit };

/** The install's default country (the setting, else the country of the company's timezone). */
export async function installCountry(deps: Deps): Promise<string | null> {
  return (await contactDefaults(deps)).defaultCountry;
}

/**
 * Header, sample and proposed mapping; throws Invalid (field `file`) for a
 * file we refuse. A CSV whose quotes never close is confirmed by a full
 * parse, which names the row where it breaks.
 */
export async function inspectFile(file: string, defaultCountry: string | null): Promise<HeaderPreview> {
  const preview = await readHeader(file, { defaultCountry, sampleRows: 10 });
  if (preview.format.format === 'csv' && preview.format.encoding !== 'utf16le') {
    const scan = await scanCsv(file, preview.format.delimiter);
    if (scan.unclosedQuote) for await (const _ of records(file, { format: preview.format })) void _;
  }
  return preview;
}

/** A freshly uploaded file becomes an 'uploaded' job (or is deleted and refused). */
export async function acceptUpload(deps: Deps, actor: ImportActor, upload: { path: string; originalName: string }): Promise<ImportJob> {
  const country = await installCountry(deps);
  let preview: HeaderPreview;
  try {
    preview = await inspectFile(upload.path, country);
  } catch (err) {
    await fs.rm(upload.path, { force: true });
    throw err;
  }
  const columns: MappedColumn[] = preview.mapping.map((c) => ({ index: c.index, header: c.header, target: c.target }));
  const id = await insertJob(deps.db, {
    filePath: upload.path, originalName: upload.originalName, format: preview.format.format,
    mapping: { columns, hasHeader: preview.hasHeader }, locale: actor.locale, source: actor.source,
    createdBy: actor.userId, now: deps.clock.now(), defaultCountry: country,
  });
  return (await jobById(deps.db, id))!;
}

export async function importJob(deps: Deps, id: number): Promise<ImportJob> {
  const job = await jobById(deps.db, id);
  if (!job) throw new NotFound('import.not_found');
  return job;
}

/** Create the text fields a mapping names but nobody defined yet, within the plan's limit. */
async function ensureCustomFields(deps: Deps, columns: MappedColumn[], audit: Audit): Promise<void> {
  const known = new Set((await customFields(deps.db)).map((f) => f.key));
  const wanted = columns.filter((c) => c.target.startsWith('custom:') && !known.has(c.target.slice(7)));
  if (!wanted.length) return;
  const limit = await deps.plans.limit('custom_fields');
  const used = await countCustomFields(deps.db);
  if (limit !== null && used + wanted.length > limit) {
    throw new Invalid({ mapping: { code: 'import.custom_field_limit', params: { limit, wanted: wanted.length, used } } });
  }
  await deps.db.transaction(async (trx) => {
    let position = await maxFieldPosition(trx);
    for (const c of wanted) {
      const key = c.target.slice(7);
      const id = await insertCustomField(trx, { key, label: (c.header || key).slice(0, 100), type: 'text', options: [], position: ++position }, deps.clock.now());
      await audit(trx, { action: 'custom_field.created', entityType: 'custom_field', entityId: id, after: { key, type: 'text', via: 'import' } });
    }
  });
}

function mappingFrom(job: ImportJob, targets: StartImportInput['targets']): JobMapping {
  const cols = job.mapping.columns;
  if (targets.length !== cols.length) throw new Invalid({ mapping: { code: 'contacts.import.mapping_unknown_column' } });
  const columns = cols.map((c, i) => ({ index: c.index, header: c.header, target: targets[i]! }));
  const problems = validateMapping(columns, cols.length);
  if (problems.length) throw new Invalid({ mapping: { code: problems[0]! } });
  return { columns, hasHeader: job.mapping.hasHeader };
}

/** uploaded → queued: the worker picks it up. */
export async function startImport(deps: Deps, actor: ImportActor, id: number, input: StartImportInput): Promise<ImportJob> {
  const job = await importJob(deps, id);
  if (job.status !== 'uploaded') throw new Conflict('import.already_started');
  const mapping = mappingFrom(job, input.targets);
  await ensureCustomFields(deps, mapping.columns, actor.audit);
  const settings = { mapping, dedupe: input.dedupe, defaultCountry: input.default_country, tags: input.tags, optIn: input.opt_in, totalRows: null };
  await deps.db.transaction(async (trx) => {
    if (!(await queueJob(trx, id, settings))) throw new Conflict('import.already_started');
    await actor.audit(trx, {
      action: 'contacts.import_started', entityType: 'import_job', entityId: id,
      after: { file: job.originalName, dedupe: input.dedupe, default_country: input.default_country, tags: input.tags, opt_in: input.opt_in },
    });
  });
  return importJob(deps, id);
}

/** Stops a job after its current batch (committed batches stay) and deletes the upload. */
export async function cancelImport(deps: Deps, id: number, audit: Audit): Promise<void> {
  const job = await importJob(deps, id);
  await deps.db.transaction(async (trx) => {
    if (!(await cancelJob(trx, id, deps.clock.now()))) throw new Conflict('import.not_cancellable');
    await audit(trx, { action: 'contacts.import_cancelled', entityType: 'import_job', entityId: id });
  });
  await fs.rm(job.filePath, { force: true });
}

/** Cron: an upload left at the preview for a day is cancelled and its file (personal data) deleted. */
export async function pruneAbandonedUploads(deps: Deps, maxAgeMs = 24 * 60 * 60_000): Promise<number> {
  const jobs = await abandonedUploads(deps.db, deps.clock.now() - maxAgeMs);
  for (const job of jobs) {
    await cancelJob(deps.db, job.id, deps.clock.now());
    await fs.rm(job.filePath, { force: true });
  }
  return jobs.length;
}
