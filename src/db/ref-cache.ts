// In-process caches of small reference tables that nearly every page reads
// and that change rarely (custom field definitions, tag names, segment
// names). Same rules as the settings cache (settings/service.ts):
//   - per database handle; a read inside a transaction always goes to the
//     database (it must see that transaction's own writes);
//   - every writer of the table calls `changed(db)` once its write is done,
//     which drops the cache at once and again when the writing transaction
//     ends (a read that ran between the write and the commit cached the old
//     rows); a read that started before the write is dropped too;
//   - a hit is at most REF_CACHE_TTL_MS old, which bounds how stale another
//     process's write (a second app process on Postgres, the CLI, the
//     webhook worker) can be here.
// Concurrent misses share one read.
import type { Knex } from 'knex';
import type { Db } from './knex.js';

export const REF_CACHE_TTL_MS = 2000;

export type RefCache<T> = {
  /** The cached value (read through on a miss); callers get it as stored: copy before changing it. */
  get(db: Db): Promise<T>;
  /** Call after every write of the underlying table, in or out of a transaction. */
  changed(db: Db): void;
};

export function refCache<T>(read: (db: Db) => Promise<T>, ttlMs = REF_CACHE_TTL_MS): RefCache<T> {
  let generation = 0;
  const bump = () => {
    generation++;
  };
  const cache = new WeakMap<object, { generation: number; at: number; value: Promise<T> }>();
  return {
    get(db) {
      if (db.isTransaction) return read(db);
      const hit = cache.get(db);
      const now = performance.now();
      if (hit && hit.generation === generation && now - hit.at < ttlMs) return hit.value;
      const entry = { generation, at: now, value: read(db) };
      cache.set(db, entry);
      entry.value.catch(() => {
        if (cache.get(db) === entry) cache.delete(db);
      });
      return entry.value;
    },
    changed(db) {
      bump();
      if (db.isTransaction) (db as Knex.Transaction).executionPromise.then(bump, bump);
    },
  };
}
