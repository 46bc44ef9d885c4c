// `chatflow contacts import FILE`: the same job as the web import, run in
// this process with a progress bar. The file is copied into the install's
// uploads first, so a crash leaves a job the server's worker can resume.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { auditAs } from '../src/audit/context.js';
import { CLI_ACTOR } from '../src/audit/service.js';
import type { Deps } from '../src/deps.js';
import { Invalid } from '../src/errors.js';
import { isLocale, translator, type Locale } from '../src/i18n/i18n.js';
import { applyMapOptions } from '../src/contacts/import/map-options.js';
import { parse } from '../src/web/validate.js';
import { withInstall } from './context.js';
import { claimNextJob, jobById, type ImportJob } from '../src/contacts/import/jobs.js';
import { ProgressBar } from '../src/contacts/import/progress-bar.js';
import { importsDir } from '../src/contacts/import/run-context.js';
import { StartImportInput } from '../src/contacts/import/schema.js';
import { acceptUpload, startImport, type ImportActor } from '../src/contacts/import/service.js';
import { DEFAULT_STALE_MS, newWorkerId, runClaimed } from '../src/contacts/import/worker.js';

type Options = { country?: string; dedupe: string; tag: string[]; optIn?: boolean; map: string[]; lang: string; batchSize?: string };

const collect = (v: string, prev: string[]) => [...prev, v];

function message(err: unknown, locale: Locale, deps: Deps): string {
  if (!(err instanceof Invalid)) return err instanceof Error ? err.message : String(err);
  const t = translator(deps.catalog, locale);
  return Object.entries(err.fields).map(([f, v]) => `${['file', 'mapping', 'map'].includes(f) ? '' : `${f}: `}${t(v.code, v.params)}`).join('; ');
}

async function copyIn(deps: Deps, file: string): Promise<string> {
  await fs.access(file).catch(() => {
    throw new Error(`cannot read ${file}`);
  });
  const dir = importsDir(deps);
  await fs.mkdir(dir, { recursive: true });
  const dest = path.join(dir, `upload-${crypto.randomBytes(12).toString('hex')}`);
  await fs.copyFile(file, dest);
  return dest;
}

async function runImport(deps: Deps, file: string, o: Options, locale: Locale): Promise<ImportJob> {
  const actor: ImportActor = { userId: null, locale, source: 'cli', audit: auditAs(CLI_ACTOR, deps.clock) };
  const job = await acceptUpload(deps, actor, { path: await copyIn(deps, file), originalName: path.basename(file) });
  const input = parse(StartImportInput, {
    targets: applyMapOptions(job, o.map), default_country: o.country ?? job.defaultCountry ?? '', dedupe: o.dedupe,
    tags: o.tag.join(','), opt_in: o.optIn === true,
  });
  await startImport(deps, actor, job.id, input);
  const workerId = newWorkerId();
  const claimed = await claimNextJob(deps.db, workerId, deps.clock.now(), DEFAULT_STALE_MS, job.id);
  if (!claimed) throw new Error(`import ${job.id} was taken by a running server worker; follow it at /contacts/import/${job.id}`);
  const bar = new ProgressBar(process.stderr);
  const outcome = await runClaimed(deps, claimed, {
    workerId, batchSize: o.batchSize ? Number(o.batchSize) : undefined,
    onProgress: (p) => bar.update(p.nextRow, p.totalRows, `new ${p.inserted} · updated ${p.updated} · skipped ${p.skipped} · rejected ${p.rejected}`),
  });
  bar.done();
  const done = (await jobById(deps.db, job.id))!;
  if (outcome !== 'done') throw new Error(`import ${job.id} ${outcome === 'lost' ? 'was cancelled' : 'failed'}`);
  return done;
}

export function registerContactsImportCommand(program: Command): void {
  const contacts = program.commands.find((c) => c.name() === 'contacts') ?? program.command('contacts').description('manage contacts');
  contacts
    .command('import')
    .description('import contacts from a CSV or .xlsx file, with a progress bar')
    .argument('<file>', 'the CSV or .xlsx file')
    .option('--country <CC>', 'country for numbers written without +, e.g. MX (default: the install\'s)')
    .option('--dedupe <rule>', 'existing contacts: skip | fill_empty | overwrite', 'skip')
    .option('--tag <tag>', 'tag every imported contact (repeatable)', collect, [])
    .option('--opt-in', 'the contacts gave consent to receive WhatsApp messages')
    .option('--map <column=field>', 'map a column (header or 1-based number) to a field, custom:<key>, tags, notes or ignore (repeatable)', collect, [])
    .option('--lang <es|en>', 'language of the rejected-rows reasons', 'es')
    .option('--batch-size <n>', 'rows per transaction (default 1000)')
    .action(async (file: string, o: Options) => {
      const locale: Locale = isLocale(o.lang) ? o.lang : 'es';
      await withInstall(async (deps) => {
        try {
          const job = await runImport(deps, file, o, locale);
          console.log(`Import ${job.id} finished: ${job.nextRow} rows, ${job.inserted} new, ${job.updated} updated, ${job.skipped} skipped, ${job.rejected} rejected.`);
          if (job.rejected && job.rejectedPath) console.log(`Rejected rows with reasons: ${job.rejectedPath}`);
        } catch (err) {
          throw new Error(message(err, locale, deps));
        }
      });
    });
}
