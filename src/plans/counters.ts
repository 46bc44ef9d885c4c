// Maintained counters (migration 0008, triggers in src/db/dialect.ts): the
// plan's usage of a limit read from one row instead of count(*) over a table
// that can hold a million rows.
import type { Db } from '../db/knex.js';
import { forUpdate } from '../db/dialect.js';

export type CounterName = 'contacts';

/**
 * The counter's value. Inside a transaction the row is locked on Postgres, so
 * two writers checking a limit cannot both take the last free place (the
 * insert that follows would lock it anyway through its trigger).
 */
export async function counterValue(db: Db, name: CounterName): Promise<number> {
  const q = db('counters').where({ name }).first('value');
  const row = await (db.isTransaction ? forUpdate(db, q) : q);
  return Number(row?.value ?? 0);
}
