import type { Db } from '../db/knex.js';
import { date, json, toJson } from '../db/rows.js';

export type AuditEntry = {
  id: number;
  at: Date;
  userId: number | null;
  actor: string;
  action: string;
  entityType: string | null;
  entityId: string | null;
  ip: string | null;
  requestId: string | null;
  changes: { before?: Record<string, unknown>; after?: Record<string, unknown> } | null;
};

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'> & { at: number };

export async function insertAudit(db: Db, e: NewAuditEntry): Promise<void> {
  await db('audit_log').insert({
    at: e.at,
    user_id: e.userId,
    actor: e.actor.slice(0, 200),
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId,
    ip: e.ip,
    request_id: e.requestId,
    changes: e.changes ? toJson(e.changes) : null,
  });
}

export type AuditFilter = {
  userId?: number;
  action?: string;
  entityType?: string;
  from?: number;
  to?: number;
  before?: number; // keyset cursor: id
  limit: number;
};

export async function pageOfAudit(db: Db, f: AuditFilter): Promise<AuditEntry[]> {
  const q = db('audit_log').select('*').orderBy('id', 'desc').limit(f.limit);
  if (f.userId) q.where('user_id', f.userId);
  if (f.action) q.where('action', f.action);
  if (f.entityType) q.where('entity_type', f.entityType);
  if (f.from) q.where('at', '>=', f.from);
  if (f.to) q.where('at', '<', f.to);
  if (f.before) q.where('id', '<', f.before);
  const rows = await q;
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    at: date(r.at),
    userId: r.user_id === null ? null : Number(r.user_id),
    actor: String(r.actor),
    action: String(r.action),
    entityType: (r.entity_type as string | null) ?? null,
    entityId: (r.entity_id as string | null) ?? null,
    ip: (r.ip as string | null) ?? null,
    requestId: (r.request_id as string | null) ?? null,
    changes: json(r.changes, null),
  }));
}

export async function auditActions(db: Db): Promise<string[]> {
  const rows = await db('audit_log').distinct('action').orderBy('action');
  return rows.map((r: { action: string }) => r.action);
}

export async function auditEntityTypes(db: Db): Promise<string[]> {
  const rows = await db('audit_log').distinct('entity_type').whereNotNull('entity_type').orderBy('entity_type');
  return rows.map((r: { entity_type: string }) => r.entity_type);
}
