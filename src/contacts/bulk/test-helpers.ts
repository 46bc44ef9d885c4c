// Helpers for the bulk job tests: many contacts inserted fast (derived columns
// computed as the product does, no per-contact transaction), and counts of
// the rows a bulk job writes per contact.
import type { Db } from '../../db/knex.js';
import { contactDerivedColumns } from '../derive.js';

const FIRST = ['Ana', 'Luis', 'Marta', 'Iñaki', 'Sofía', 'Raúl', 'José', 'Lucía'];
const LAST = ['García', 'Muñoz', 'Peña', 'López', 'Ortiz'];

/** Inserts `n` Mexican mobiles; every third one is opted in. Returns their ids, ascending. */
export async function seedMany(db: Db, n: number, now: number, start = 0): Promise<number[]> {
  const rows: Record<string, unknown>[] = [];
  for (let i = start; i < start + n; i++) {
    const d = contactDerivedColumns({ phone: `+52 1 55 ${String(2000_0000 + i).slice(0, 4)} ${String(2000_0000 + i).slice(4)}`, first_name: FIRST[i % FIRST.length]!, last_name: LAST[i % LAST.length]! },
      { defaultCountry: 'MX', fallbackLanguage: 'es', fallbackTimezone: 'America/Mexico_City' });
    if (!d.ok) throw new Error(`seed phone ${i}: ${d.code}`);
    rows.push({ ...d.columns, opt_in: i % 3 === 0 ? 'opted_in' : 'unknown', custom: '{}', created_at: now, updated_at: now });
  }
  for (let k = 0; k < rows.length; k += 500) await db('contacts').insert(rows.slice(k, k + 500));
  return (await db('contacts').whereIn('wa_key', rows.map((r) => r.wa_key as string)).orderBy('id').pluck('id')).map(Number);
}

/** contact id → how many rows of `table` match, for the given ids (0 included). */
export async function perContact(db: Db, table: string, ids: number[], where: Record<string, unknown> = {}): Promise<Map<number, number>> {
  const out = new Map(ids.map((id) => [id, 0]));
  for (let k = 0; k < ids.length; k += 500) {
    const rows = await db(table).select('contact_id').count({ n: '*' }).where(where).whereIn('contact_id', ids.slice(k, k + 500)).groupBy('contact_id');
    for (const r of rows as Array<{ contact_id: number; n: unknown }>) out.set(Number(r.contact_id), Number(r.n));
  }
  return out;
}

export function histogram(m: Map<number, number>): Record<string, number> {
  const h: Record<string, number> = {};
  for (const v of m.values()) h[String(v)] = (h[String(v)] ?? 0) + 1;
  return h;
}
