import type { Knex } from 'knex';
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

/**
 * Bumped on every settings write (and again when the writing transaction
 * ends), so an in-process cache of the settings knows it is stale.
 */
let generation = 0;
export function settingsGeneration(): number {
  return generation;
}

export async function putSetting(db: Db, key: string, value: unknown, now: number): Promise<void> {
  generation++;
  if (db.isTransaction) (db as Knex.Transaction).executionPromise.then(() => generation++, () => generation++);
  await db('settings')
    .insert({ key, value: toJson(value), updated_at: now })
    .onConflict('key')
    .merge(['value', 'updated_at']);
}
