// Keyset pages of users for the REST API, oldest first.
import type { Db } from '../db/knex.js';
import { whereAfter, type Cursor } from '../api/pagination.js';
import type { Role } from './permissions.js';
import { PUBLIC_COLUMNS as COLUMNS, toUser, type User } from './queries.js';


export type UserPageFilter = { role?: Role; active?: boolean; after?: Cursor; limit: number };

/** Up to `limit + 1` users after the cursor, by (created_at, id). */
export async function pageOfUsers(db: Db, f: UserPageFilter): Promise<User[]> {
  const q = db('users').select(COLUMNS).orderBy([{ column: 'created_at' }, { column: 'id' }]).limit(f.limit + 1);
  if (f.role) q.where({ role: f.role });
  if (f.active !== undefined) q.where({ active: f.active });
  whereAfter(q, 'created_at', 'id', f.after);
  return (await q).map(toUser);
}
