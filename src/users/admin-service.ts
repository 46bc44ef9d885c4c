// What an administrator does to other people's accounts from Settings → Users:
// invite with a temporary password, reset it, end their sessions, unlock.
// Who-may-touch-whom is decided by assertMayManage in service.ts.
import crypto from 'node:crypto';
import type { Audit } from '../audit/context.js';
import type { Deps } from '../deps.js';
import { Conflict } from '../errors.js';
import { listUsers, updateUserRow, type User } from './queries.js';
import type { InviteUserInput, UserListQuery } from './schema.js';
import { assertMayManage, createUser, getUser, setPassword } from './service.js';

type AdminDeps = Pick<Deps, 'db' | 'config' | 'clock' | 'plans' | 'events'>;

// No look-alike characters (0/O, 1/l/I): the password is read aloud or typed from a screen.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Four groups of four, e.g. `Kd7m-Xp2q-Wn9c-Rt4h` (≈ 93 bits); always passes the strength rule. */
export function temporaryPassword(): string {
  const groups = Array.from({ length: 4 }, () =>
    Array.from({ length: 4 }, () => ALPHABET[crypto.randomInt(ALPHABET.length)]).join(''));
  return groups.join('-');
}

export type Issued = { user: User; password: string };

export async function inviteUser(deps: AdminDeps, actor: User, input: InviteUserInput, audit: Audit): Promise<Issued> {
  const password = temporaryPassword();
  const user = await createUser(deps, actor, { ...input, password, mustChangePassword: true }, audit);
  return { user, password };
}

/** Someone else's account: never one's own (that is what /account is for). */
async function managedTarget(deps: AdminDeps, actor: User, id: number): Promise<User> {
  const target = await getUser(deps, id);
  assertMayManage(actor, target);
  if (target.id === actor.id) throw new Conflict('users.use_account_page');
  return target;
}

/** New temporary password, shown once; the person must choose their own at next sign-in. */
export async function resetUserPassword(deps: AdminDeps, actor: User, id: number, audit: Audit): Promise<Issued> {
  const target = await managedTarget(deps, actor, id);
  const password = temporaryPassword();
  await setPassword(deps, target.id, password, { mustChange: true }, audit, 'user.password_reset');
  return { user: await getUser(deps, id), password };
}

export async function signOutEverywhere(deps: AdminDeps, actor: User, id: number, audit: Audit): Promise<number> {
  const target = await managedTarget(deps, actor, id);
  return deps.db.transaction(async (trx) => {
    const ended = Number(await trx('sessions').where({ user_id: target.id }).delete());
    await audit(trx, { action: 'user.sessions_revoked', entityType: 'user', entityId: target.id, after: { sessionsEnded: ended } });
    return ended;
  });
}

export async function unlockUser(deps: AdminDeps, actor: User, id: number, audit: Audit): Promise<void> {
  const target = await managedTarget(deps, actor, id);
  await deps.db.transaction(async (trx) => {
    await updateUserRow(trx, target.id, { failed_logins: 0, locked_until: null }, deps.clock.now());
    await audit(trx, {
      action: 'user.unlocked', entityType: 'user', entityId: target.id,
      before: { lockedUntil: target.lockedUntil?.toISOString() ?? null, failedLogins: target.failedLogins },
      after: { lockedUntil: null, failedLogins: 0 },
    });
  });
}

export function isLocked(u: User, now: number): boolean {
  return !!u.lockedUntil && u.lockedUntil.getTime() > now;
}

export type UsersOverview = { users: User[]; used: number; limit: number | null };

/** The filtered list plus the plan's seat usage. Locked is time-based, so it is filtered here (a handful of rows). */
export async function usersOverview(deps: AdminDeps, f: UserListQuery): Promise<UsersOverview> {
  const now = deps.clock.now();
  const active = f.status === 'active' ? true : f.status === 'inactive' ? false : undefined;
  const all = await listUsers(deps.db, { q: f.q || undefined, role: f.role, active });
  const users = f.status === 'locked' ? all.filter((u) => isLocked(u, now)) : all;
  const [used, limit] = await Promise.all([deps.plans.usage('users'), deps.plans.limit('users')]);
  return { users, used, limit };
}
