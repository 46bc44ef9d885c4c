// Bulk actions as background jobs at scale: N generated contacts (100k by
// default, BENCH_CONTACTS), on SQLite and on Postgres (BENCH_DATABASE_URL's
// server). Measures freezing the audience of "every contact" (one INSERT …
// SELECT inside the confirming request) and running an opt-out job and a tag
// job to the end through the worker (batches of 1,000, each with its ledger
// and timeline rows). No goal in benchmarks.md: prints the figures, and MISS
// only when a job does not affect every contact exactly once.
import { EventBus } from '../src/events.js';
import { createLogger } from '../src/logging/logger.js';
import { systemClock } from '../src/boot.js';
import { insertBulkJob, bulkJobById, type BulkAction } from '../src/contacts/bulk/jobs.js';
import { drainBulkJobs } from '../src/contacts/bulk/worker.js';
import { contactIdsQuery } from '../src/contacts/segments/compile.js';
import { resolveTags } from '../src/contacts/tags-service.js';
import { fmt, seededDb } from './contacts-seed.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);

async function run(engine: 'sqlite' | 'postgres'): Promise<void> {
  const b = await seededDb(engine, CONTACTS, 'bulk');
  try {
    const deps = { db: b.db, clock: systemClock, events: new EventBus(), log: createLogger('warn') };
    const job = async (action: BulkAction) => {
      const tag = action === 'tag' ? (await resolveTags(b.db, ['bench-bulk'], Date.now()))[0]! : undefined;
      const t0 = performance.now();
      const id = await b.db.transaction((trx) => insertBulkJob(trx, {
        action, params: tag ? { tagId: tag.id, tagName: tag.name } : {}, audience: { condition: { all: [] }, query: '', segment: null },
        source: 'web', createdBy: null, actor: 'bench', now: Date.now(),
      }, contactIdsQuery(trx, { all: [] }, [], {})));
      const t1 = performance.now();
      await drainBulkJobs(deps, { batchSize: 1000 });
      const t2 = performance.now();
      const j = (await bulkJobById(b.db, id))!;
      return { freezeMs: t1 - t0, runMs: t2 - t1, ok: j.status === 'done' && j.total === b.rows && j.processed === b.rows && j.affected === b.rows };
    };
    const optOut = await job('opt_out');
    const tag = await job('tag');
    const rate = (ms: number) => Math.round(b.rows / (ms / 1000)).toLocaleString('en-US');
    const ok = optOut.ok && tag.ok;
    console.log(`Bulk jobs ${engine} ${b.rows.toLocaleString('en-US')} contacts: freeze ${fmt(optOut.freezeMs)} ms; opt-out ${fmt(optOut.runMs / 1000)} s (${rate(optOut.runMs)}/s); ` +
      `tag ${fmt(tag.runMs / 1000)} s (${rate(tag.runMs)}/s), freeze ${fmt(tag.freezeMs)} ms ${ok ? 'PASS' : 'MISS'}`);
  } finally {
    await b.drop();
  }
}

await run('sqlite');
await run('postgres');
