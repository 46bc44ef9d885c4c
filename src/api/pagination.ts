// Cursor pagination for every API list: `limit` (1–200, default 50) and an
// opaque `cursor` naming the last row seen (its sort key and id), so pages
// are keyset queries that stay fast and never skip or repeat rows when
// others are inserted meanwhile.
import type { Knex } from 'knex';
import { z } from 'zod';
import { Invalid } from '../errors.js';

export const MAX_LIMIT = 200;
export const DEFAULT_LIMIT = 50;

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT)
    .meta({ description: `Items per page, 1–${MAX_LIMIT}.` }),
  cursor: z.string().min(1).max(500).optional()
    .meta({ description: 'The `next_cursor` of the previous page; omit for the first page.' }),
});

/** `{ data: [...], next_cursor }` around an item schema. */
export function pageOf<S extends z.ZodType>(item: S) {
  return z.object({
    data: z.array(item),
    next_cursor: z.string().nullable().meta({ description: 'Pass as `cursor` to get the next page; null on the last page.' }),
  });
}

export type SortValue = string | number;
export type Cursor = { key: SortValue; id: number };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([1, c.key, c.id]), 'utf8').toString('base64url');
}

/** Any cursor we did not issue is a validation error on `cursor`, never a 500. */
export function decodeCursor(s: string): Cursor {
  const bad = () => new Invalid({ cursor: { code: 'api.cursor_invalid' } });
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(v) || v.length !== 3 || v[0] !== 1) throw bad();
  const [, key, id] = v as [number, unknown, unknown];
  if ((typeof key !== 'string' && typeof key !== 'number') || !Number.isSafeInteger(id) || (id as number) < 0) throw bad();
  return { key, id: id as number };
}

/**
 * Rows strictly after the cursor in `(sortColumn, idColumn)` order. Written as
 * `a > k OR (a = k AND id > i)` so it is plain Knex on both engines.
 */
export function whereAfter(qb: Knex.QueryBuilder, sortColumn: string, idColumn: string, cursor: Cursor | undefined, order: 'asc' | 'desc' = 'asc'): Knex.QueryBuilder {
  if (!cursor) return qb;
  const op = order === 'asc' ? '>' : '<';
  return qb.where((w) => {
    w.where(sortColumn, op, cursor.key).orWhere((x) => x.where(sortColumn, cursor.key).andWhere(idColumn, op, cursor.id));
  });
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only tells that
 * another page exists; the cursor names the last row returned.
 */
export function toPage<T, U>(rows: T[], limit: number, keyOf: (row: T) => Cursor, present: (row: T) => U): { data: U[]; next_cursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { data: page.map(present), next_cursor: more && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
