import type { Db } from '../db/knex.js';
import { whereAnyContains } from '../db/dialect.js';
import { bool, countOf, dateOrNull, date, json } from '../db/rows.js';
import type { Locale } from '../i18n/i18n.js';
import type { Role } from './permissions.js';

export type User = {
  id: number;
  email: string;
  name: string;
  role: Role;
  locale: Locale;
  active: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  passwordChangedAt: Date;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

/** Secret columns kept apart from User so they never reach a view by accident. */
export type UserSecrets = { passwordHash: string; totpSecret: string | null; recoveryCodes: string[] };

type Row = Record<string, unknown>;

export function toUser(r: Row): User {
  return {
    id: Number(r.id),
    email: String(r.email),
    name: String(r.name),
    role: r.role as Role,
    locale: r.locale as Locale,
    active: bool(r.active),
    failedLogins: Number(r.failed_logins ?? 0),
    lockedUntil: dateOrNull(r.locked_until),
    totpEnabled: bool(r.totp_enabled),
    mustChangePassword: bool(r.must_change_password),
    passwordChangedAt: date(r.password_changed_at),
    lastLoginAt: dateOrNull(r.last_login_at),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
  };
}

/** Never the password hash, TOTP secret or recovery codes. */
export const PUBLIC_COLUMNS = [
  'id', 'email', 'name', 'role', 'locale', 'active', 'failed_logins', 'locked_until', 'totp_enabled',
  'must_change_password', 'password_changed_at', 'last_login_at', 'created_at', 'updated_at',
];

export async function userById(db: Db, id: number): Promise<User | undefined> {
  const r = await db('users').where({ id }).first(PUBLIC_COLUMNS);
  return r ? toUser(r) : undefined;
}

export async function userByEmail(db: Db, email: string): Promise<User | undefined> {
  const r = await db('users').where({ email: email.trim().toLowerCase() }).first(PUBLIC_COLUMNS);
  return r ? toUser(r) : undefined;
}

export async function userSecrets(db: Db, id: number): Promise<UserSecrets | undefined> {
  const r = await db('users').where({ id }).first('password_hash', 'totp_secret', 'recovery_codes');
  if (!r) return undefined;
  return {
    passwordHash: String(r.password_hash),
    totpSecret: (r.totp_secret as string | null) ?? null,
    recoveryCodes: json<string[]>(r.recovery_codes, []),
  };
}

export async function countUsers(db: Db, opts: { activeOnly?: boolean } = {}): Promise<number> {
  const q = db('users').count({ count: '*' });
  if (opts.activeOnly) q.where({ active: true });
  return countOf(await q.first());
}

export type UserListFilter = { q?: string; role?: Role; active?: boolean };

export async function listUsers(db: Db, f: UserListFilter = {}): Promise<User[]> {
  const q = db('users').select(PUBLIC_COLUMNS).orderBy([{ column: 'active', order: 'desc' }, { column: 'name' }, { column: 'id' }]);
  if (f.role) q.where({ role: f.role });
  if (f.active !== undefined) q.where({ active: f.active });
  if (f.q) whereAnyContains(q, ['name', 'email'], f.q);
  return (await q).map(toUser);
}

export type NewUserRow = {
  email: string;
  name: string;
  passwordHash: string;
  role: Role;
  locale: Locale;
  mustChangePassword?: boolean;
};

export async function insertUser(db: Db, u: NewUserRow, now: number): Promise<number> {
  const [row] = await db('users')
    .insert({
      email: u.email.trim().toLowerCase(),
      name: u.name.trim(),
      password_hash: u.passwordHash,
      role: u.role,
      locale: u.locale,
      active: true,
      must_change_password: u.mustChangePassword ?? false,
      password_changed_at: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

export async function updateUserRow(db: Db, id: number, patch: Row, now: number): Promise<void> {
  await db('users').where({ id }).update({ ...patch, updated_at: now });
}
