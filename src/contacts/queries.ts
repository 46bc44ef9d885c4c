// contacts rows ↔ Contact, and the list's keyset page. Query functions take
// `db` first so callers can pass a transaction.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { countOf, date, dateOrNull, json } from '../db/rows.js';
import type { CustomValue } from './custom-values.js';
import type { DerivedColumns } from './derive.js';

export type OptIn = 'opted_in' | 'opted_out' | 'unknown';

export type Contact = {
  id: number; phone: string; waKey: string; waId: string | null; country: string | null;
  firstName: string | null; lastName: string | null; displayName: string; email: string | null;
  language: string | null; timezone: string | null;
  optIn: OptIn; optInSource: string | null; optInAt: Date | null;
  custom: Record<string, CustomValue>;
  lastInboundAt: Date | null; lastOutboundAt: Date | null; createdAt: Date; updatedAt: Date;
};

export type ContactRow = Record<string, unknown> & { id: number };

export function toContact(r: ContactRow): Contact {
  return {
    id: Number(r.id), phone: String(r.phone), waKey: String(r.wa_key), waId: (r.wa_id as string | null) ?? null,
    country: (r.country as string | null) ?? null, firstName: (r.first_name as string | null) ?? null,
    lastName: (r.last_name as string | null) ?? null, displayName: String(r.display_name), email: (r.email as string | null) ?? null,
    language: (r.language as string | null) ?? null, timezone: (r.timezone as string | null) ?? null,
    optIn: r.opt_in as OptIn, optInSource: (r.opt_in_source as string | null) ?? null, optInAt: dateOrNull(r.opt_in_at),
    custom: json<Record<string, CustomValue>>(r.custom, {}),
    lastInboundAt: dateOrNull(r.last_inbound_at), lastOutboundAt: dateOrNull(r.last_outbound_at),
    createdAt: date(r.created_at), updatedAt: date(r.updated_at),
  };
}

export async function contactById(db: Db, id: number): Promise<Contact | undefined> {
  const r = await db('contacts').where({ id }).first();
  return r ? toContact(r as ContactRow) : undefined;
}

export async function contactByWaKey(db: Db, waKey: string): Promise<Contact | undefined> {
  const r = await db('contacts').where({ wa_key: waKey }).first();
  return r ? toContact(r as ContactRow) : undefined;
}

export type NewContactRow = DerivedColumns & {
  opt_in: OptIn; opt_in_source: string | null; opt_in_at: number | null; custom: string; created_at: number; updated_at: number;
};

export async function insertContact(db: Db, row: NewContactRow): Promise<number> {
  const [r] = await db('contacts').insert(row).returning('id');
  return Number((r as { id: number }).id ?? r);
}

export async function updateContactRow(db: Db, id: number, patch: Record<string, unknown>): Promise<void> {
  await db('contacts').where({ id }).update(patch);
}

export async function deleteContactRow(db: Db, id: number): Promise<void> {
  await db('contacts').where({ id }).delete();
}

/** Exact count of a filtered query (bulk confirmations, segment counts). */
export async function countOfQuery(db: Db, ids: Knex.QueryBuilder): Promise<number> {
  return countOf(await db.from(ids.as('m')).count({ count: '*' }).first());
}

// ---- keyset page ------------------------------------------------------------

export const SORT_COLUMNS = {
  name: 'contacts.sort_name', created: 'contacts.created_at', updated: 'contacts.updated_at', last_inbound: 'contacts.last_inbound_at',
  last_outbound: 'contacts.last_outbound_at', phone: 'contacts.phone',
} as const;
export type SortName = keyof typeof SORT_COLUMNS;
export type Dir = 'asc' | 'desc';
export type ListCursor = { key: string | number | null; id: number };

/** Sorts on a nullable column list the rows with a value first, then the rest by id. */
export const NULLABLE_SORTS: ReadonlySet<SortName> = new Set(['last_inbound', 'last_outbound']);

/** Rows strictly after a cursor whose key is a value: (col, id) beyond (k, i). */
export function whereAfterCursor(qb: Knex.QueryBuilder, col: string, dir: Dir, c: { key: string | number; id: number }): void {
  const op = dir === 'asc' ? '>' : '<';
  qb.where((w) => {
    w.where(col, op, c.key).orWhere((x) => x.where(col, c.key).andWhere('contacts.id', op, c.id));
  });
}

export function sortKeyOf(row: ContactRow, sort: SortName): string | number | null {
  const v = row[SORT_COLUMNS[sort].slice('contacts.'.length)];
  if (v === null || v === undefined) return null;
  return sort === 'name' || sort === 'phone' ? String(v) : Number(v);
}
