// What a running import needs besides the file: the custom field
// definitions, fallbacks from settings, who is importing (for the consent
// ledger and the audit log), the user's language for rejection reasons and
// the plan's contact limit.
import path from 'node:path';
import { audit, type Actor } from '../../audit/service.js';
import type { Db } from '../../db/knex.js';
import type { Deps } from '../../deps.js';
import { translator, type T } from '../../i18n/i18n.js';
import { contactDefaults } from '../defaults.js';
import { userById } from '../../users/queries.js';
import type { CustomFieldDef } from '../custom-values.js';
import { customFields } from '../fields-queries.js';
import { jobById, type ImportJob } from './jobs.js';
import type { RowContext } from './rows.js';
import type { WriteContext } from './writer.js';

export type JobContext = {
  job: ImportJob;
  rows: RowContext;
  write: Omit<WriteContext, 'now' | 'contactLimit'>;
  limit(trx: Db): Promise<number | null>;
  headers: string[];
  t: T;
  finished(total: number): Promise<void>;
};

export function importsDir(deps: Deps): string {
  return path.join(deps.config.dataDir, 'uploads', 'imports');
}

export function rejectedPathFor(deps: Deps, jobId: number): string {
  return path.join(importsDir(deps), `import-${jobId}-rejected.csv`);
}

export async function fieldDefs(db: Db): Promise<Map<string, CustomFieldDef>> {
  return new Map((await customFields(db)).map((f) => [f.key, f]));
}

/** Who the job acts as: the staff member who started it, else the CLI or the API. */
export async function jobActor(deps: Deps, job: ImportJob): Promise<Actor> {
  const user = job.createdBy ? await userById(deps.db, job.createdBy) : undefined;
  return { userId: user?.id ?? null, label: user?.email ?? job.source, ip: null, requestId: null };
}

export async function jobContext(deps: Deps, job: ImportJob, contactLimit?: () => Promise<number | null>): Promise<JobContext> {
  const defaults = await contactDefaults(deps);
  const actor = await jobActor(deps, job);
  const fields = await fieldDefs(deps.db);
  return {
    job,
    rows: {
      columns: job.mapping.columns, fields, defaultCountry: job.defaultCountry,
      fallbackLanguage: defaults.fallbackLanguage, fallbackTimezone: defaults.fallbackTimezone, jobTags: job.tags, jobOptIn: job.optIn,
    },
    write: { jobId: job.id, dedupe: job.dedupe, userId: actor.userId, actor: actor.label, tagIds: new Map() },
    limit: (trx) => (contactLimit ? contactLimit() : deps.plans.limit('contacts', trx)),
    headers: job.mapping.columns.map((c) => c.header),
    t: translator(deps.catalog, job.locale),
    async finished(total) {
      const fresh = await jobById(deps.db, job.id);
      await audit(deps.db, actor, deps.clock.now(), {
        action: 'contacts.import_finished', entityType: 'import_job', entityId: job.id,
        after: { rows: total, inserted: fresh?.inserted, updated: fresh?.updated, skipped: fresh?.skipped, rejected: fresh?.rejected },
      });
    },
  };
}
