// Crash safety of the import job: a worker killed mid-run (SIGKILL of a
// child process, or a failure injected after N batches) leaves only whole
// batches behind; the next worker takes the stale claim over and resumes at
// next_row. The end result must equal an uninterrupted import of the same
// file: same counters, same contacts, same rejected rows, nothing twice.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { writeContactsCsv } from '../../../bench/contacts-generator.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { jobById, type ImportJob } from './jobs.js';
import { SimulatedCrash } from './run.js';
import { jobIdOf, ownerClient, rejectedText, startJob, uploadFile } from './test-helpers.js';
import { drainImports } from './worker.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROWS = 5000;
let csv: Buffer;

type Outcome = { job: ImportJob; keys: string[]; rejected: string; activity: number; tagLinks: number };

async function queue(app: TestApp): Promise<number> {
  const c = await ownerClient(app);
  const id = jobIdOf(await uploadFile(c, 'clientes.csv', csv));
  assert.equal((await startJob(app, c, id, { default_country: 'MX', opt_in: true, tags: 'feria' })).status, 303);
  return id;
}

async function outcome(app: TestApp, id: number): Promise<Outcome> {
  const job = (await jobById(app.deps.db, id))!;
  const count = async (t: string) => Number((await app.deps.db(t).count({ n: '*' }).first())!.n);
  return {
    job, keys: await app.deps.db('contacts').orderBy('wa_key').pluck('wa_key'), rejected: rejectedText(job),
    activity: await count('contact_activity'), tagLinks: await count('contact_tags'),
  };
}

function sameResult(got: Outcome, want: Outcome): void {
  const counters = (o: Outcome) => [o.job.status, o.job.nextRow, o.job.totalRows, o.job.inserted, o.job.updated, o.job.skipped, o.job.rejected];
  assert.deepEqual(counters(got), counters(want));
  assert.equal(got.job.nextRow, ROWS + 20, 'next_row == total');
  assert.equal(got.keys.length, got.job.inserted, 'one contact per inserted row');
  assert.equal(new Set(got.keys).size, got.keys.length, 'no duplicate contacts');
  assert.deepEqual(got.keys, want.keys);
  assert.equal(got.rejected, want.rejected, 'rejected rows file: every row once, in order');
  assert.equal(got.activity, got.job.inserted, 'one import activity row per contact');
  assert.equal(got.tagLinks, want.tagLinks, 'tag links written once');
}

/** Run the child worker and SIGKILL it once `afterRow` rows are committed. */
async function killMidRun(app: TestApp, afterRow: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'crash-child.ts')], {
    env: { ...process.env, NODE_ENV: 'test', CHATFLOW_DATA_DIR: app.db.dataDir, ...(app.db.databaseUrl ? { DATABASE_URL: app.db.databaseUrl } : {}), LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const last = [...out.matchAll(/committed (\d+)/g)].pop();
      if (last && Number(last[1]) >= afterRow) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended ${code} before the kill:\n${out}`))));
  });
}

describe('contacts import: crash and resume', () => {
  let reference: Outcome;
  const apps: TestApp[] = [];
  before(async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cf-crash-')), 'c.csv');
    await writeContactsCsv(file, { rows: ROWS, seed: 7, badRatio: 0.02 });
    const lines = fs.readFileSync(file, 'utf8').split('\r\n');
    // 20 repeats of early rows at the end: in-file duplicates across batches.
    csv = Buffer.from([...lines.slice(0, -1), ...lines.slice(1, 21), ''].join('\r\n'));
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    const app = await startTestApp();
    apps.push(app);
    const id = await queue(app);
    await drainImports(app.deps, { batchSize: 500 });
    reference = await outcome(app, id);
    assert.equal(reference.job.status, 'done');
    assert.ok(reference.job.rejected > 20 && reference.job.inserted > 4000, `rejected ${reference.job.rejected}`);
  });
  after(async () => {
    for (const a of apps) await a.close();
  });

  it('resumes after a failure injected after 3 batches, with the same result as an uninterrupted run', async () => {
    const app = await startTestApp();
    apps.push(app);
    const id = await queue(app);
    await assert.rejects(drainImports(app.deps, { batchSize: 500, crashAfterBatches: 3 }), SimulatedCrash);
    const mid = (await jobById(app.deps.db, id))!;
    assert.deepEqual([mid.status, mid.nextRow], ['running', 1500]);
    assert.equal(Number((await app.deps.db('contacts').count({ n: '*' }).first())!.n), mid.inserted);
    assert.equal(await drainImports(app.deps, { batchSize: 500 }), 0, 'a fresh claim is not taken over');
    app.clock.advance(61_000);
    assert.equal(await drainImports(app.deps, { batchSize: 700 }), 1);
    sameResult(await outcome(app, id), reference);
  });

  it('on shutdown stops after the current batch and gives the claim back for an immediate resume', async () => {
    const app = await startTestApp();
    apps.push(app);
    const id = await queue(app);
    const stop = new AbortController();
    assert.equal(await drainImports(app.deps, { batchSize: 1000, signal: stop.signal, onProgress: () => stop.abort() }), 1);
    const mid = (await jobById(app.deps.db, id))!;
    assert.deepEqual([mid.status, mid.nextRow, mid.heartbeatAt], ['running', 1000, 0]);
    assert.equal(await drainImports(app.deps, { batchSize: 500 }), 1, 'resumed without waiting for the stale timeout');
    sameResult(await outcome(app, id), reference);
  });

  it('resumes after the worker process is SIGKILLed mid-run', async () => {
    const app = await startTestApp();
    apps.push(app);
    const id = await queue(app);
    await killMidRun(app, 2000);
    const mid = (await jobById(app.deps.db, id))!;
    assert.equal(mid.status, 'running');
    assert.ok(mid.nextRow >= 2000 && mid.nextRow < ROWS + 20 && mid.nextRow % 500 === 0, `next_row ${mid.nextRow}`);
    assert.equal(Number((await app.deps.db('contacts').count({ n: '*' }).first())!.n), mid.inserted, 'counters committed with their rows');
    app.clock.t = Math.max(app.clock.t, Date.now()) + 120_000; // the child heartbeated on the real clock
    assert.equal(await drainImports(app.deps, { batchSize: 500 }), 1);
    sameResult(await outcome(app, id), reference);
  });
});
