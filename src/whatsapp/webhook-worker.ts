// Processes stored webhook bodies (webhook_events) idempotently: claim a row,
// parse it, apply every event (inbound, status, template status), mark it
// done, then run the follow-ups. A failure is retried with backoff and after
// MAX_ATTEMPTS the row is marked failed with the error. Safe to run in several
// processes: claims are conditional updates, effects are deduplicated.
import crypto from 'node:crypto';
import type { Db } from '../db/knex.js';
import type { Deps } from '../deps.js';
import { afterInbound } from './inbound-followups.js';
import { storeInbound, type Emit, type InboundResult } from './inbound.js';
import { numberByPhoneId, type WaNumber } from './numbers-queries.js';
import { optOutKeywords } from './opt-out.js';
import { Poller } from './poller.js';
import { applyStatusBatch } from './status-batch.js';
import { applyStatus } from './statuses.js';
import { applyTemplateStatus, syncTemplates } from './templates-sync.js';
import { parseWebhookPayload, type InboundMessageEvent, type StatusEvent, type ValueErrorEvent } from './webhook-payload.js';

export const MAX_ATTEMPTS = 5;
const STALE_LOCK_MS = 5 * 60_000;
/** Webhooks arriving within this window are processed as one batch. */
const NUDGE_DELAY_MS = 50;
const BATCH = 500;
const WORKER_ID = `${process.pid}-${crypto.randomUUID().slice(0, 8)}`;

export function backoffMs(attempt: number): number {
  return Math.min(3600_000, 5_000 * 2 ** Math.max(0, attempt - 1));
}

type Row = { id: number; attempts: number; body: string };
type Followup = { n: WaNumber; ev: InboundMessageEvent; r: InboundResult };
type Outcome = { followups: Followup[]; syncWabas: Set<string> };

async function applyEvents(deps: Deps, body: string, emits: Emit[]): Promise<Outcome> {
  const parsed = parseWebhookPayload(body);
  const out: Outcome = { followups: [], syncWabas: new Set() };
  const numbers = new Map<string, WaNumber | undefined>();
  const numberOf = async (id: string) => {
    if (!numbers.has(id)) numbers.set(id, await numberByPhoneId(deps.db, id));
    return numbers.get(id);
  };
  let keywords: string[] | undefined;
  for (const ev of parsed.events) {
    if (ev.kind === 'message') {
      const n = await numberOf(ev.phoneNumberId);
      if (!n) { deps.log.warn({ phoneNumberId: ev.phoneNumberId }, 'inbound message for an unknown number ignored'); continue; }
      keywords ??= await optOutKeywords(deps.db);
      const r = await storeInbound(deps, n, ev, keywords, emits);
      if (!r.duplicate) out.followups.push({ n, ev, r });
    } else if (ev.kind === 'status') {
      await applyStatus(deps, ev, emits);
    } else if (ev.kind === 'template_status') {
      if (!(await applyTemplateStatus(deps, ev, emits))) out.syncWabas.add(ev.wabaId);
    } else {
      deps.log.warn({ code: ev.error.code, phoneNumberId: ev.phoneNumberId, title: ev.error.title }, 'whatsapp reported an error');
    }
  }
  for (const i of parsed.ignored) deps.log.debug({ field: i.field, reason: i.reason }, 'webhook item ignored');
  return out;
}

let claims = 0;

/** Still pending and not locked by a live worker. */
const claimable = (db: Db, ids: number[], now: number) => db('webhook_events').whereIn('id', ids).where({ status: 'pending' })
  .andWhere((w) => w.whereNull('locked_at').orWhere('locked_at', '<', now - STALE_LOCK_MS));

/** Claims `rows` in one conditional UPDATE; returns those this call won. */
async function claimRows<R extends Row>(deps: Deps, rows: R[], now: number): Promise<R[]> {
  if (rows.length === 0) return [];
  const token = `${WORKER_ID}:${++claims}`;
  const ids = rows.map((r) => r.id);
  await claimable(deps.db, ids, now).update({ locked_by: token, locked_at: now });
  const won = new Set((await deps.db('webhook_events').whereIn('id', ids).where({ locked_by: token }).pluck('id')).map(Number));
  return rows.filter((r) => won.has(r.id));
}

async function fail(deps: Deps, row: { id: number; attempts: number }, err: unknown): Promise<'retried' | 'failed'> {
  const attempts = Number(row.attempts) + 1;
  const final = attempts >= MAX_ATTEMPTS;
  const now = deps.clock.now();
  await deps.db('webhook_events').where({ id: row.id, status: 'pending' }).update({
    attempts, status: final ? 'failed' : 'pending', error: String((err as Error)?.stack ?? err).slice(0, 2000),
    locked_by: null, locked_at: null, next_attempt_at: final ? null : now + backoffMs(attempts), processed_at: final ? now : null,
  });
  deps.log[final ? 'error' : 'warn']({ eventId: row.id, attempts, err: (err as Error)?.message }, 'webhook event processing failed');
  return final ? 'failed' : 'retried';
}

async function runFollowups(deps: Deps, o: Outcome): Promise<void> {
  for (const f of o.followups) await afterInbound(deps, f.n, f.ev.content.type, f.r);
  for (const waba of o.syncWabas) {
    const owner = await deps.db('wa_numbers').where({ waba_id: waba }).first('id');
    if (owner) await syncTemplates(deps, { numberId: Number(owner.id) });
  }
}

export type ProcessResult = { done: number; retried: number; failed: number };

const DONE = (now: number) => ({ status: 'done', processed_at: now, locked_by: null, locked_at: null, error: null });

/** One row on its own: apply, mark done (or record the failure), then the follow-ups. */
async function processOne(deps: Deps, row: Row, res: ProcessResult): Promise<void> {
  const emits: Emit[] = [];
  let outcome: Outcome;
  try {
    outcome = await applyEvents(deps, row.body, emits);
    await deps.db('webhook_events').where({ id: row.id }).update(DONE(deps.clock.now()));
  } catch (err) {
    res[await fail(deps, row, err)]++;
    return;
  } finally {
    for (const e of emits) deps.events.emit(e.name, e.payload as never);
  }
  res.done++;
  await runFollowups(deps, outcome);
}

/**
 * Rows holding only statuses (and Meta error notices), as during a campaign:
 * all their statuses applied and the rows marked done in ONE transaction.
 * False if it failed: nothing of it was kept and the caller goes row by row.
 */
type StatusRow = Row & { statuses: StatusEvent[]; notices: ValueErrorEvent[] };

/**
 * Claim, apply and mark done in one transaction: the conditional UPDATE that
 * marks the rows done is the claim (another worker's waits for our commit,
 * then finds them done), so a crash or an error leaves them all pending.
 * Returns how many rows this worker won.
 */
async function applyStatusRows(deps: Deps, rows: StatusRow[], now: number): Promise<number> {
  const emits: Emit[] = [];
  const token = `${WORKER_ID}:${++claims}`;
  const ids = rows.map((r) => r.id);
  let won: StatusRow[] = [];
  await deps.db.transaction(async (trx) => {
    await claimable(trx, ids, now).update({ ...DONE(deps.clock.now()), locked_by: token });
    const mine = new Set((await trx('webhook_events').whereIn('id', ids).where({ locked_by: token }).pluck('id')).map(Number));
    won = rows.filter((r) => mine.has(r.id));
    await applyStatusBatch({ ...deps, db: trx }, won.flatMap((r) => r.statuses), emits);
  });
  for (const ev of won.flatMap((r) => r.notices)) deps.log.warn({ code: ev.error.code, phoneNumberId: ev.phoneNumberId, title: ev.error.title }, 'whatsapp reported an error');
  for (const e of emits) deps.events.emit(e.name, e.payload as never);
  return won.length;
}

/**
 * Rows holding only statuses (and Meta error notices), as during a campaign:
 * all applied and marked done in ONE transaction. If that fails nothing of it
 * is kept, and each row is retried in its own transaction (a failing row is
 * then retried later with backoff, the others are done).
 */
async function processStatusRows(deps: Deps, rows: StatusRow[], res: ProcessResult, now: number): Promise<void> {
  try {
    res.done += await applyStatusRows(deps, rows, now);
    return;
  } catch (err) {
    if (rows.length === 1) { res[await fail(deps, rows[0]!, err)]++; return; }
    deps.log.warn({ err: (err as Error)?.message, rows: rows.length }, 'status batch failed; applying its rows one by one');
  }
  for (const row of rows) await processStatusRows(deps, [row], res, now);
}

/** Processes up to `limit` due events, oldest first. Tests call this directly. */
export async function processPendingEvents(deps: Deps, opts: { limit?: number } = {}): Promise<ProcessResult> {
  const now = deps.clock.now();
  const res: ProcessResult = { done: 0, retried: 0, failed: 0 };
  const due = await deps.db('webhook_events').where({ status: 'pending' })
    .andWhere((w) => w.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now))
    .andWhere((w) => w.whereNull('locked_at').orWhere('locked_at', '<', now - STALE_LOCK_MS))
    .orderBy('id').limit(opts.limit ?? BATCH).select('id', 'attempts', 'body');
  const statusRows: StatusRow[] = [];
  const others: Row[] = [];
  for (const r of due) {
    const row: Row = { id: Number(r.id), attempts: Number(r.attempts), body: String(r.body) };
    const { events } = parseWebhookPayload(row.body);
    if (events.length > 0 && events.every((e) => e.kind === 'status' || e.kind === 'error')) {
      statusRows.push({ ...row, statuses: events.filter((e) => e.kind === 'status'), notices: events.filter((e) => e.kind === 'error') });
    } else {
      others.push(row);
    }
  }
  if (statusRows.length > 0) await processStatusRows(deps, statusRows, res, now);
  for (const row of await claimRows(deps, others, now)) await processOne(deps, row, res);
  return res;
}

/** Processes until nothing is due (tests and the poller). */
export async function drainEvents(deps: Deps): Promise<ProcessResult> {
  const total: ProcessResult = { done: 0, retried: 0, failed: 0 };
  for (;;) {
    const r = await processPendingEvents(deps);
    total.done += r.done; total.retried += r.retried; total.failed += r.failed;
    if (r.done + r.retried + r.failed === 0) return total;
  }
}

const pollers = new WeakMap<Deps, Poller>();

/** The background worker (worker role): polls every second, and within NUDGE_DELAY_MS when a webhook arrives in-process. */
export function startWebhookWorker(deps: Deps, intervalMs = 1000): Poller {
  // Full batches back to back; after a partial one, wait for the next nudge (or
  // tick) so webhooks arriving meanwhile make one batch, not many small ones.
  const work = async () => {
    for (;;) {
      const r = await processPendingEvents(deps, { limit: BATCH });
      if (r.done + r.retried + r.failed < BATCH) return;
    }
  };
  const p = new Poller('webhook-events', intervalMs, work, deps.log, NUDGE_DELAY_MS).start();
  pollers.set(deps, p);
  return p;
}

export function nudgeWebhookWorker(deps: Deps): void {
  pollers.get(deps)?.nudge();
}

/** Nightly: processed bodies are kept 14 days for support, failed ones 60. */
export async function pruneWebhookEvents(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const done = await deps.db('webhook_events').where({ status: 'done' }).where('received_at', '<', now - 14 * 86_400_000).delete();
  const failed = await deps.db('webhook_events').where({ status: 'failed' }).where('received_at', '<', now - 60 * 86_400_000).delete();
  return Number(done) + Number(failed);
}
