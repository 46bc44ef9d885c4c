// wa_numbers rows ↔ WaNumber. The encrypted columns never leave this module
// except through `numberSecrets`, which decrypts for a Graph call or a
// signature check and nothing else.
import type { Db } from '../db/knex.js';
import { bool, json } from '../db/rows.js';
import type { Deps } from '../deps.js';
import { decrypt } from '../secrets/secrets.js';

export type BusinessHours = { tz: string; days: Record<string, Array<[string, string]>> };

export type WaNumber = {
  id: number;
  label: string;
  phoneNumberId: string;
  wabaId: string;
  displayPhone: string;
  verifiedName: string | null;
  verifyToken: string;
  isSandbox: boolean;
  status: 'active' | 'token_invalid' | 'disabled';
  qualityRating: string | null;
  throughputTier: string | null;
  businessHours: BusinessHours | null;
  awayMessage: string | null;
  graphUrl: string | null;
  /** Meta app id: needed for resumable uploads (media header samples of templates). */
  metaAppId: string | null;
  tokenLast4: string | null;
  secretLast4: string | null;
  lastCheckedAt: number | null;
  /** Last successful subscribed_apps call for the WABA, or null; `webhooksError` is the last failure. */
  webhooksSubscribedAt: number | null;
  webhooksError: string | null;
  createdAt: number;
  updatedAt: number;
};

type Row = Record<string, unknown>;

const nul = <T>(v: unknown): T | null => (v === null || v === undefined ? null : (v as T));

export function toNumber(r: Row): WaNumber {
  return {
    id: Number(r.id),
    label: String(r.label),
    phoneNumberId: String(r.phone_number_id),
    wabaId: String(r.waba_id),
    displayPhone: String(r.display_phone),
    verifiedName: nul<string>(r.verified_name),
    verifyToken: String(r.verify_token),
    isSandbox: bool(r.is_sandbox),
    status: String(r.status) as WaNumber['status'],
    qualityRating: nul<string>(r.quality_rating),
    throughputTier: nul<string>(r.throughput_tier),
    businessHours: json<BusinessHours | null>(r.business_hours, null),
    awayMessage: nul<string>(r.away_message),
    graphUrl: nul<string>(r.graph_url),
    metaAppId: nul<string>(r.meta_app_id),
    tokenLast4: nul<string>(r.token_last4),
    secretLast4: nul<string>(r.secret_last4),
    lastCheckedAt: r.last_checked_at === null || r.last_checked_at === undefined ? null : Number(r.last_checked_at),
    webhooksSubscribedAt: r.webhooks_subscribed_at === null || r.webhooks_subscribed_at === undefined ? null : Number(r.webhooks_subscribed_at),
    webhooksError: nul<string>(r.webhooks_error),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export async function allNumbers(db: Db): Promise<WaNumber[]> {
  const rows = await db('wa_numbers').select('*').orderBy([{ column: 'is_sandbox', order: 'desc' }, { column: 'id' }]);
  return rows.map(toNumber);
}

export async function numberById(db: Db, id: number): Promise<WaNumber | undefined> {
  const row = await db('wa_numbers').where({ id }).first();
  return row ? toNumber(row) : undefined;
}

export async function numberByPhoneId(db: Db, phoneNumberId: string): Promise<WaNumber | undefined> {
  const row = await db('wa_numbers').where({ phone_number_id: phoneNumberId }).first();
  return row ? toNumber(row) : undefined;
}

export async function sandboxNumber(db: Db): Promise<WaNumber | undefined> {
  const row = await db('wa_numbers').where({ is_sandbox: true }).orderBy('id').first();
  return row ? toNumber(row) : undefined;
}

export async function countRealNumbers(db: Db): Promise<number> {
  const row = await db('wa_numbers').where({ is_sandbox: false }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export type NumberSecrets = { accessToken: string; appSecret: string };

/** Decrypts a number's token and app secret (for a Graph call or a signature check only). */
export async function numberSecrets(deps: Pick<Deps, 'db' | 'secrets'>, id: number, db: Db = deps.db): Promise<NumberSecrets> {
  const row = await db('wa_numbers').where({ id }).first('access_token_enc', 'app_secret_enc');
  if (!row) throw new Error(`wa_numbers ${id} not found`);
  const key = deps.secrets.encryptionKey;
  return { accessToken: decrypt(key, String(row.access_token_enc)), appSecret: decrypt(key, String(row.app_secret_enc)) };
}

/** Every (number id, app secret) pair: webhook signatures are checked against each. */
export async function allAppSecrets(deps: Pick<Deps, 'db' | 'secrets'>): Promise<Array<{ id: number; appSecret: string }>> {
  const rows = await deps.db('wa_numbers').select('id', 'app_secret_enc');
  const out: Array<{ id: number; appSecret: string }> = [];
  for (const r of rows) {
    try {
      out.push({ id: Number(r.id), appSecret: decrypt(deps.secrets.encryptionKey, String(r.app_secret_enc)) });
    } catch {
      // Encrypted under another key (restored backup without its secrets): cannot match anything.
    }
  }
  return out;
}

export async function setNumberStatus(db: Db, id: number, status: WaNumber['status'], now: number): Promise<void> {
  await db('wa_numbers').where({ id }).update({ status, updated_at: now });
}

/** Row-level writes of the numbers service (columns in snake_case, as stored). */
export async function insertNumberRow(db: Db, row: Record<string, unknown>): Promise<number> {
  const [r] = await db('wa_numbers').insert(row).returning('id');
  return Number(typeof r === 'object' ? (r as { id: number }).id : r);
}

export async function updateNumberRow(db: Db, id: number, patch: Record<string, unknown>): Promise<void> {
  await db('wa_numbers').where({ id }).update(patch);
}

export async function deleteNumberRow(db: Db, id: number): Promise<void> {
  await db('wa_numbers').where({ id }).delete();
}

export async function phoneNumberIdTaken(db: Db, phoneNumberId: string): Promise<boolean> {
  return !!(await db('wa_numbers').where({ phone_number_id: phoneNumberId }).first('id'));
}
