// Row ↔ domain mappers shared by every feature's data layer: booleans come
// back as 0/1 from SQLite, bigints as numbers (see knex.ts), JSON as text.

export function bool(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 't';
}

export function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

export function date(v: unknown): Date {
  return new Date(Number(v));
}

export function dateOrNull(v: unknown): Date | null {
  return v === null || v === undefined ? null : new Date(Number(v));
}

export function json<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined || v === '') return fallback;
  if (typeof v !== 'string') return v as T;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}

export function toJson(v: unknown): string {
  return JSON.stringify(v ?? null);
}

/** `count(*)` comes back as string on Postgres and number on SQLite. */
export function countOf(row: Record<string, unknown> | undefined, key = 'count'): number {
  return row ? Number(row[key] ?? 0) : 0;
}
