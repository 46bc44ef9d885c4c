// The audit log: who changed what, when, from where, with a before/after
// summary. Secret fields are dropped before anything is written.
import type { Db } from '../db/knex.js';
import { insertAudit } from './queries.js';

export type Actor = {
  userId: number | null;
  label: string; // "ana@clinica.mx", "apikey:zapier", "cli", "system"
  ip: string | null;
  requestId: string | null;
};

export const SYSTEM_ACTOR: Actor = { userId: null, label: 'system', ip: null, requestId: null };
export const CLI_ACTOR: Actor = { userId: null, label: 'cli', ip: null, requestId: null };

const SECRET_KEY = /password|secret|token|hash|recovery|key$/i;

export function redact(obj: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!obj) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    out[k] = SECRET_KEY.test(k) ? '[redacted]' : v;
  }
  return out;
}

/** Only the keys whose values differ, so an entry reads as a change. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  return { before: b, after: a };
}

export type AuditInput = {
  action: string; // 'user.created', 'auth.login_failed', …
  entityType?: string;
  entityId?: string | number;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
};

export async function audit(db: Db, actor: Actor, now: number, e: AuditInput): Promise<void> {
  const before = redact(e.before);
  const after = redact(e.after);
  await insertAudit(db, {
    at: now,
    userId: actor.userId,
    actor: actor.label,
    action: e.action,
    entityType: e.entityType ?? null,
    entityId: e.entityId === undefined ? null : String(e.entityId),
    ip: actor.ip,
    requestId: actor.requestId,
    changes: before || after ? { before, after } : null,
  });
}
