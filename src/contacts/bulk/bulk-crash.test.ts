// Crash safety of bulk jobs: a worker process SIGKILLed mid-job leaves only
// whole batches behind (the cursor committed with them); a restarted worker
// takes the stale claim over and finishes. Every contact the job froze must
// end up affected exactly once: one consent ledger row and one timeline row
// per opted-out contact, one tag link and one timeline row per tagged
// contact, and counters that equal the truth. SQLite and Postgres.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TestApp } from '../../../test/harness.js';
import { installed, type Session } from '../test-support.js';
import { bulkJobById } from './jobs.js';
import { histogram, perContact, seedMany } from './test-helpers.js';
import { drainBulkJobs } from './worker.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const N = 3000;
/** The children's stale-claim timeout: short, so the restarted child takes over at once. */
const STALE_MS = 1000;

/** Run the child worker and SIGKILL it once job `jobId` has committed `atLeast` contacts. */
async function killMidJob(app: TestApp, jobId: number, atLeast: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'crash-child.ts')], {
    env: { ...process.env, BULK_STALE_MS: String(STALE_MS), NODE_ENV: 'test', CHATFLOW_DATA_DIR: app.db.dataDir, ...(app.db.databaseUrl ? { DATABASE_URL: app.db.databaseUrl } : {}), LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const mine = [...out.matchAll(/job (\d+) committed (\d+)/g)].filter((m) => Number(m[1]) === jobId).pop();
      if (mine && Number(mine[2]) >= atLeast) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended ${code} before the kill:\n${out}`))));
  });
}

describe('bulk jobs: crash and restart', () => {
  let s: Session;
  let ids: number[];
  before(async () => {
    s = await installed();
    ids = await seedMany(s.app.deps.db, N, s.app.clock.now());
  });
  after(async () => { await s.app.close(); });

  it('opts out and tags every frozen contact exactly once across two killed workers', async () => {
    const db = s.app.deps.db;
    const create = async (form: Record<string, string>) => {
      const r = await s.owner.post('/contacts/bulk', form, { csrfFrom: '/contacts' });
      assert.equal(r.status, 303);
      return Number(/(\d+)$/.exec(r.location!)![1]);
    };
    const optOut = await create({ action: 'opt_out' });
    const tag = await create({ action: 'tag', tag_name: 'reactivar' });

    await killMidJob(s.app, optOut, 1000);
    const mid = (await bulkJobById(db, optOut))!;
    assert.equal(mid.status, 'running');
    assert.ok(mid.processed >= 1000 && mid.processed < N && mid.processed % 500 === 0, `processed ${mid.processed}`);
    const ledgerMid = Number((await db('consent_events').where({ detail: `bulk:${optOut}` }).count({ n: '*' }).first())!.n);
    assert.equal(ledgerMid, mid.affected, 'ledger rows committed with the cursor, no more');
    assert.equal(mid.cursor, ids[mid.processed - 1], 'cursor = last contact of the last committed batch');

    // The restarted worker takes the stale claim over, finishes the first job and is killed inside the second.
    await new Promise((res) => setTimeout(res, STALE_MS + 300));
    await killMidJob(s.app, tag, 500);
    const tagMid = (await bulkJobById(db, tag))!;
    assert.equal((await bulkJobById(db, optOut))!.status, 'done');
    assert.equal(tagMid.status, 'running');
    assert.ok(tagMid.processed > 0 && tagMid.processed < N, `tag processed ${tagMid.processed}`);

    s.app.clock.t = Math.max(s.app.clock.t, Date.now()) + 120_000; // the children heartbeated on the real clock
    assert.equal(await drainBulkJobs(s.app.deps, { batchSize: 700 }), 1, 'resumes the killed tag job');

    const o = (await bulkJobById(db, optOut))!;
    assert.deepEqual([o.status, o.total, o.processed, o.affected], ['done', N, N, N]);
    assert.deepEqual(histogram(await perContact(db, 'consent_events', ids, { detail: `bulk:${optOut}` })), { 1: N }, 'one ledger row per contact');
    assert.deepEqual(histogram(await perContact(db, 'contact_activity', ids, { kind: 'consent' })), { 1: N }, 'one consent timeline row per contact');
    assert.equal(Number((await db('contacts').whereNot('opt_in', 'opted_out').count({ n: '*' }).first())!.n), 0);

    const t = (await bulkJobById(db, tag))!;
    assert.deepEqual([t.status, t.total, t.processed, t.affected], ['done', N, N, N]);
    const tagId = (await db('tags').where({ name: 'reactivar' }).first()).id;
    assert.deepEqual(histogram(await perContact(db, 'contact_tags', ids, { tag_id: tagId })), { 1: N }, 'one tag link per contact');
    assert.deepEqual(histogram(await perContact(db, 'contact_activity', ids, { kind: 'change' })), { 1: N }, 'one change timeline row per contact');
    assert.equal(Number((await db('bulk_job_items').count({ n: '*' }).first())!.n), 0);
    const done = await db('audit_log').where({ action: 'contacts.bulk_done' }).orderBy('id');
    assert.equal(done.length, 2, 'one "finished" audit entry per job, even after the takeovers');
  });
});
