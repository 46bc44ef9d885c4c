// Many status events at once (the worker's fast path during a campaign): the
// target messages are read with two IN queries, every event is folded in
// arrival order with the same forward-only rules as applyStatus (statuses.ts),
// and each touched message gets its combined change in one guarded UPDATE,
// shared by the messages getting the same change.
// Run inside a transaction. A message whose status moved under us (another
// worker) is re-applied event by event through applyStatus, which re-reads it.
import type { Deps } from '../deps.js';
import type { Emit } from './inbound.js';
import { messagesByKeys, type MessageStatus, type StoredMessage } from './message-store.js';
import { recordOptOut } from './opt-out.js';
import { applyStatus, asDelivery, patchFor, TIME_COLUMN } from './statuses.js';
import { nextStatus, type StatusEvent } from './webhook-payload.js';

type Work = {
  original: MessageStatus;
  m: StoredMessage; // the in-memory state after the events folded so far
  patch: Record<string, unknown>;
  events: StatusEvent[];
  emits: Emit[];
  optOut: boolean;
};

const FIELD: Record<string, keyof StoredMessage> = {
  status: 'status', wamid: 'wamid', sent_at: 'sentAt', delivered_at: 'deliveredAt', read_at: 'readAt',
  failed_at: 'failedAt', error_code: 'errorCode', error_title: 'errorTitle',
};

function remember(w: Work, patch: Record<string, unknown>): void {
  Object.assign(w.patch, patch);
  const m = w.m as Record<keyof StoredMessage, unknown>;
  for (const [col, v] of Object.entries(patch)) {
    const f = FIELD[col];
    if (f) m[f] = v;
  }
}

/** Folds one event into its message's pending change (the rules of applyStatus, without I/O). */
function fold(w: Work, ev: StatusEvent, now: number): void {
  w.events.push(ev);
  const current = asDelivery(w.m.status);
  const next = nextStatus(current, ev.status);
  const patch = patchFor(w.m, ev, next, now);
  if (next === current && !patch.wamid) {
    const col = TIME_COLUMN[ev.status];
    const field = col ? FIELD[col] : undefined;
    if (col && field && ev.status !== 'failed' && next !== 'failed' && w.m[field] === null) remember(w, { [col]: patch[col] });
    return;
  }
  remember(w, patch);
  if (next === 'failed' && ev.errors[0]?.code === 131050) w.optOut = true;
  w.emits.push({ name: 'message.status', payload: { messageId: w.m.id, conversationId: w.m.conversationId, status: String(patch.status), errorCode: (patch.error_code as number | null | undefined) ?? null } });
}

/** Applies `events` (in order); pushes the same emits applyStatus would. */
export async function applyStatusBatch(deps: Deps, events: StatusEvent[], emits: Emit[]): Promise<void> {
  if (events.length === 0) return;
  const now = deps.clock.now();
  const byWamid = new Map<string, Work>();
  const byCallback = new Map<string, Work>();
  const track = (m: StoredMessage): Work => {
    const w: Work = { original: m.status, m: { ...m }, patch: {}, events: [], emits: [], optOut: false };
    if (m.wamid) byWamid.set(m.wamid, w);
    if (m.callbackId) byCallback.set(m.callbackId, w);
    return w;
  };
  for (const m of await messagesByKeys(deps.db, 'wamid', events.map((e) => e.wamid).filter(Boolean))) track(m);
  const missing = events.filter((e) => e.callbackData && !byWamid.has(e.wamid)).map((e) => e.callbackData as string);
  if (missing.length > 0) {
    for (const m of await messagesByKeys(deps.db, 'callback_id', missing)) if (!byCallback.has(m.callbackId ?? '')) track(m);
  }
  const touched = new Set<Work>();
  for (const ev of events) {
    let w = ev.wamid ? byWamid.get(ev.wamid) : undefined;
    if (!w && ev.callbackData) {
      const c = byCallback.get(ev.callbackData);
      if (c && (!c.m.wamid || c.m.wamid === ev.wamid)) w = c;
    }
    if (!w || w.m.direction !== 'out') {
      deps.log.debug({ wamid: ev.wamid, status: ev.status }, 'status for an unknown message ignored');
      continue;
    }
    fold(w, ev, now);
    if (w.m.wamid) byWamid.set(w.m.wamid, w);
    touched.add(w);
  }
  // Messages getting the same change (same status, same second: Meta's timestamps
  // are in seconds) share one UPDATE.
  const groups = new Map<string, Work[]>();
  for (const w of touched) {
    const cols = Object.keys(w.patch).sort();
    if (cols.length === 0) continue;
    const key = JSON.stringify([w.original, cols.map((c) => [c, w.patch[c]])]);
    const g = groups.get(key);
    if (g) g.push(w);
    else groups.set(key, [w]);
  }
  for (const group of groups.values()) for (let i = 0; i < group.length; i += 500) {
    const mine = await updateGroup(deps, group.slice(i, i + 500), emits);
    for (const w of mine) {
      if (w.optOut && (await recordOptOut(deps, w.m.contactId, 'meta', 'Meta 131050'))) {
        emits.push({ name: 'contact.opted_out', payload: { contactId: w.m.contactId, source: 'meta' } });
      }
      emits.push(...w.emits);
    }
  }
}

const same = (a: unknown, b: unknown) => (a === null || a === undefined ? b === null || b === undefined : String(a) === String(b));

/**
 * One UPDATE for messages getting the same change, guarded on the status we
 * read, so two workers cannot move a status backwards. Returns the messages
 * this call changed; one that moved under us is re-applied event by event.
 */
async function updateGroup(deps: Deps, ws: Work[], emits: Emit[]): Promise<Work[]> {
  const first = ws[0]!;
  const ids = ws.map((w) => w.m.id);
  const changed = Number(await deps.db('messages').whereIn('id', ids).where({ status: first.original }).update(first.patch));
  if (changed === ws.length) return ws;
  const cols = Object.keys(first.patch);
  const now = new Map((await deps.db('messages').whereIn('id', ids).select('id', ...cols)).map((r: Record<string, unknown>) => [Number(r.id), r]));
  const mine: Work[] = [];
  for (const w of ws) {
    const row = now.get(w.m.id);
    if (row && cols.every((c) => same(row[c], w.patch[c]))) mine.push(w);
    else for (const ev of w.events) await applyStatus(deps, ev, emits);
  }
  return mine;
}
