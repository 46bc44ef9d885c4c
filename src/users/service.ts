// Users: create, edit, deactivate, passwords. Permission rules that depend on
// *who* acts on *whom* (an admin may not edit the owner) live here.
import type { Audit } from '../audit/context.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { Deps } from '../deps.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.js';
import { assignableRoles, type Role } from './permissions.js';
import { countUsers, insertUser, updateUserRow, userByEmail, userById, userSecrets, type User } from './queries.js';
import type { NewUserInput, UpdateUserInput } from './schema.js';

type UsersDeps = Pick<Deps, 'db' | 'config' | 'clock' | 'plans' | 'events'>;

export function summary(u: Pick<User, 'name' | 'email' | 'role' | 'locale' | 'active'>) {
  return { name: u.name, email: u.email, role: u.role, locale: u.locale, active: u.active };
}

export async function createUser(
  deps: UsersDeps, actor: { role: Role } | 'system', input: NewUserInput & { mustChangePassword?: boolean }, audit: Audit,
): Promise<User> {
  if (actor !== 'system' && !assignableRoles(actor.role).includes(input.role)) {
    throw new Invalid({ role: { code: 'users.role_not_allowed' } });
  }
  const passwordHash = await hashPassword(input.password, deps.config.bcryptCost);
  const id = await deps.db.transaction(async (trx) => {
    if (await userByEmail(trx, input.email)) throw new Invalid({ email: { code: 'users.email_taken' } });
    if (input.role !== 'owner') await deps.plans.assertWithinLimit('users', 1, trx);
    const newId = await insertUser(trx, { ...input, passwordHash }, deps.clock.now());
    await audit(trx, { action: 'user.created', entityType: 'user', entityId: newId, after: summary({ ...input, active: true }) });
    return newId;
  });
  deps.events.emit('user.created', { userId: id });
  return (await userById(deps.db, id))!;
}

/** Acting user `actor` may manage `target` only if it outranks it (the owner is managed by nobody else). */
export function assertMayManage(actor: User, target: User): void {
  if (actor.id === target.id) return;
  if (target.role === 'owner') throw new Forbidden('users.cannot_manage_owner');
  if (actor.role !== 'owner' && target.role === 'admin') throw new Forbidden('users.cannot_manage_admin');
}

export async function getUser(deps: Pick<Deps, 'db'>, id: number): Promise<User> {
  const u = await userById(deps.db, id);
  if (!u) throw new NotFound('users.not_found');
  return u;
}

export async function updateUser(deps: UsersDeps, actor: User, id: number, input: UpdateUserInput, audit: Audit): Promise<User> {
  const target = await getUser(deps, id);
  assertMayManage(actor, target);
  const roleChanges = input.role !== target.role;
  if (roleChanges) {
    if (target.role === 'owner' || actor.id === target.id) throw new Invalid({ role: { code: 'users.cannot_change_own_role' } });
    if (!assignableRoles(actor.role).includes(input.role)) throw new Invalid({ role: { code: 'users.role_not_allowed' } });
  }
  await deps.db.transaction(async (trx) => {
    const other = await userByEmail(trx, input.email);
    if (other && other.id !== id) throw new Invalid({ email: { code: 'users.email_taken' } });
    await updateUserRow(trx, id, { name: input.name, email: input.email, role: input.role, locale: input.locale }, deps.clock.now());
    await audit(trx, {
      action: 'user.updated', entityType: 'user', entityId: id,
      before: summary(target), after: summary({ ...target, ...input }),
    });
  });
  deps.events.emit('user.updated', { userId: id });
  return getUser(deps, id);
}

export async function setActive(deps: UsersDeps, actor: User, id: number, active: boolean, audit: Audit): Promise<void> {
  const target = await getUser(deps, id);
  if (target.id === actor.id) throw new Conflict('users.cannot_deactivate_self');
  assertMayManage(actor, target);
  if (target.role === 'owner') throw new Conflict('users.cannot_deactivate_owner');
  if (target.active === active) return;
  await deps.db.transaction(async (trx) => {
    if (active) await deps.plans.assertWithinLimit('users', 1, trx);
    await updateUserRow(trx, id, { active }, deps.clock.now());
    if (!active) await trx('sessions').where({ user_id: id }).delete();
    await audit(trx, { action: active ? 'user.reactivated' : 'user.deactivated', entityType: 'user', entityId: id,
      before: { active: target.active }, after: { active } });
  });
}

/** `keepSid`: the session the change is made from stays signed in; every other one ends. */
export async function changeOwnPassword(
  deps: UsersDeps, user: User, current: string, next: string, audit: Audit, opts: { keepSid?: string } = {},
): Promise<void> {
  const secrets = await userSecrets(deps.db, user.id);
  if (!secrets || !(await verifyPassword(current, secrets.passwordHash))) {
    throw new Invalid({ current_password: { code: 'account.wrong_password' } });
  }
  // A forced change that "changes" to the same temporary password would defeat its purpose.
  if (await verifyPassword(next, secrets.passwordHash)) throw new Invalid({ password: { code: 'account.same_password' } });
  await setPassword(deps, user.id, next, { mustChange: false, keepSid: opts.keepSid }, audit, 'user.password_changed');
}

/**
 * Sets a password and signs the user out everywhere else. With `mustChange`
 * the user is asked for a new one at next login (admin-driven reset).
 */
export async function setPassword(
  deps: UsersDeps, userId: number, plain: string, opts: { mustChange: boolean; keepSid?: string },
  audit: Audit, action = 'user.password_reset',
): Promise<void> {
  const hash = await hashPassword(plain, deps.config.bcryptCost);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await updateUserRow(trx, userId, {
      password_hash: hash, password_changed_at: now, must_change_password: opts.mustChange, failed_logins: 0, locked_until: null,
    }, now);
    const q = trx('sessions').where({ user_id: userId });
    if (opts.keepSid) q.whereNot({ sid: opts.keepSid });
    const ended = await q.delete();
    await audit(trx, { action, entityType: 'user', entityId: userId, after: { mustChange: opts.mustChange, sessionsEnded: Number(ended) } });
  });
}

export async function isFirstRun(deps: Pick<Deps, 'db'>): Promise<boolean> {
  return (await countUsers(deps.db)) === 0;
}
