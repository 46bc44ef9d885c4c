// The local template library follows Meta: a full paged sync (button, nightly
// job, on demand through the API) and the message_template_status_update
// webhook in between. Webhooks get lost, hence the periodic sync too.
import type { Deps } from '../deps.js';
import { toJson } from '../db/rows.js';
import type { TemplateInfo } from './cloud-api-types.js';
import { clientFor } from './graph-clients.js';
import type { Emit } from './inbound.js';
import { allNumbers, numberSecrets, type WaNumber } from './numbers-queries.js';
import type { TemplateStatusEvent } from './webhook-types.js';

export type SyncResult = { wabas: number; fetched: number; created: number; updated: number; removed: number; errors: Array<{ wabaId: string; code: number | null; message: string }> };

function columnsOf(t: TemplateInfo, now: number): Record<string, unknown> {
  return {
    meta_id: t.id || null,
    category: t.category,
    status: t.status,
    quality: t.qualityScore ?? null,
    components: toJson(t.components),
    parameter_format: t.parameterFormat === 'NAMED' ? 'named' : 'positional',
    rejected_reason: t.rejectedReason && t.rejectedReason !== 'NONE' ? t.rejectedReason.slice(0, 300) : null,
    synced_at: now,
    updated_at: now,
  };
}

async function upsertAll(deps: Deps, wabaId: string, list: TemplateInfo[], res: SyncResult, emits: Emit[]): Promise<void> {
  const now = deps.clock.now();
  const seen = new Set<number>();
  await deps.db.transaction(async (trx) => {
    for (const t of list) {
      const existing = await trx('templates').where({ waba_id: wabaId, name: t.name, language: t.language }).first('id', 'status');
      if (existing) {
        await trx('templates').where({ id: existing.id }).update(columnsOf(t, now));
        seen.add(Number(existing.id));
        res.updated++;
        if (existing.status !== t.status) emits.push({ name: 'template.updated', payload: { templateId: Number(existing.id), status: t.status } });
        continue;
      }
      const [row] = await trx('templates').insert({ waba_id: wabaId, name: t.name, language: t.language, created_at: now, ...columnsOf(t, now) }).returning('id');
      seen.add(Number(typeof row === 'object' ? (row as { id: number }).id : row));
      res.created++;
    }
    // Known to Meta before and gone now: deleted there.
    const gone = await trx('templates').where({ waba_id: wabaId }).whereNotNull('meta_id').whereNot({ status: 'DELETED' }).select('id');
    for (const g of gone.filter((r: { id: number }) => !seen.has(Number(r.id)))) {
      await trx('templates').where({ id: g.id }).update({ status: 'DELETED', updated_at: now });
      res.removed++;
      emits.push({ name: 'template.updated', payload: { templateId: Number(g.id), status: 'DELETED' } });
    }
  });
}

/** One number per WABA (templates belong to the WABA); active numbers first. */
function wabaOwners(numbers: WaNumber[]): WaNumber[] {
  const byWaba = new Map<string, WaNumber>();
  for (const n of [...numbers].sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active'))) {
    if (!byWaba.has(n.wabaId)) byWaba.set(n.wabaId, n);
  }
  return [...byWaba.values()];
}

/** Pulls every template of every WABA (or of one number's WABA) into the library. */
export async function syncTemplates(deps: Deps, opts: { numberId?: number } = {}): Promise<SyncResult> {
  const res: SyncResult = { wabas: 0, fetched: 0, created: 0, updated: 0, removed: 0, errors: [] };
  const emits: Emit[] = [];
  const numbers = (await allNumbers(deps.db)).filter((n) => opts.numberId === undefined || n.id === opts.numberId);
  for (const n of wabaOwners(numbers)) {
    try {
      const { accessToken } = await numberSecrets(deps, n.id);
      const list = await clientFor(deps, n).listAllTemplates(n.wabaId, accessToken, { limit: 100 });
      res.fetched += list.length;
      res.wabas++;
      await upsertAll(deps, n.wabaId, list, res, emits);
    } catch (err) {
      const e = err as { code?: number; message?: string };
      res.errors.push({ wabaId: n.wabaId, code: typeof e.code === 'number' ? e.code : null, message: String(e.message ?? err) });
      deps.log.warn({ wabaId: n.wabaId, code: e.code }, 'template sync failed');
    }
  }
  for (const e of emits) deps.events.emit(e.name, e.payload as never);
  return res;
}

const sameLanguage = (a: string, b: string) => a.replace('-', '_').toLowerCase() === b.replace('-', '_').toLowerCase();

/** The status webhook; returns false when the template is not in the library yet (the caller syncs). */
export async function applyTemplateStatus(deps: Deps, ev: TemplateStatusEvent, emits: Emit[]): Promise<boolean> {
  const rows = await deps.db('templates').where({ waba_id: ev.wabaId }).andWhere((w) => {
    w.where({ meta_id: ev.templateId }).orWhere({ name: ev.name });
  }).select('id', 'meta_id', 'language', 'status');
  const row = rows.find((r: { meta_id: string | null }) => r.meta_id === ev.templateId)
    ?? rows.find((r: { language: string }) => sameLanguage(r.language, ev.language));
  if (!row) return false;
  const reason = ev.rejectionInfo?.reason ?? (ev.reason && ev.reason !== 'NONE' ? ev.reason : null) ?? ev.otherInfo?.title ?? null;
  await deps.db('templates').where({ id: row.id }).update({
    status: ev.event, meta_id: ev.templateId || row.meta_id, rejected_reason: reason ? String(reason).slice(0, 300) : null, updated_at: deps.clock.now(),
  });
  emits.push({ name: 'template.updated', payload: { templateId: Number(row.id), status: ev.event } });
  return true;
}
