import type { Db } from '../db/knex.js';
import { json, toJson } from '../db/rows.js';

export async function settingValue<T>(db: Db, key: string): Promise<T | undefined> {
  const row = await db('settings').where({ key }).first('value');
  return row ? json<T | undefined>(row.value, undefined) : undefined;
}

export async function allSettings(db: Db): Promise<Record<string, unknown>> {
  const rows = await db('settings').select('key', 'value');
  return Object.fromEntries(rows.map((r: { key: string; value: string }) => [r.key, json(r.value, null)]));
}

export async function putSetting(db: Db, key: string, value: unknown, now: number): Promise<void> {
  await db('settings')
    .insert({ key, value: toJson(value), updated_at: now })
    .onConflict('key')
    .merge(['value', 'updated_at']);
}
