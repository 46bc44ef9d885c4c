// A signed-in person's own account: profile, password, sessions. Two-factor
// enrolment lives in two-factor.ts.
import type { Audit } from '../audit/context.js';
import { diff } from '../audit/service.js';
import type { Db } from '../db/knex.js';
import type { Deps } from '../deps.js';
import { countOf } from '../db/rows.js';
import { updateUserRow, type User } from '../users/queries.js';
import { changeOwnPassword, getUser } from '../users/service.js';
import type { PasswordChangeInput, ProfileInput } from './schema.js';

type AccountDeps = Pick<Deps, 'db' | 'config' | 'clock' | 'plans' | 'events' | 'secrets' | 'brand'>;

export async function updateProfile(deps: AccountDeps, user: User, input: ProfileInput, audit: Audit): Promise<User> {
  const before = { name: user.name, locale: user.locale };
  const after = { name: input.name, locale: input.locale };
  const changes = diff(before, after);
  if (!Object.keys(changes.after).length) return user;
  await deps.db.transaction(async (trx) => {
    await updateUserRow(trx, user.id, after, deps.clock.now());
    await audit(trx, { action: 'user.profile_updated', entityType: 'user', entityId: user.id, ...changes });
  });
  deps.events.emit('user.updated', { userId: user.id });
  return getUser(deps, user.id);
}

/** Changes the password from the session `sid`, which stays signed in; every other session ends. */
export async function changePassword(deps: AccountDeps, user: User, input: PasswordChangeInput, sid: string, audit: Audit): Promise<void> {
  await changeOwnPassword(deps, user, input.current_password, input.password, audit, { keepSid: sid });
}

function otherSessions(db: Db, userId: number, sid: string, now: number) {
  return db('sessions').where({ user_id: userId }).whereNot({ sid }).where('expires_at', '>', now);
}

export async function otherSessionCount(deps: Pick<Deps, 'db' | 'clock'>, userId: number, sid: string): Promise<number> {
  return countOf(await otherSessions(deps.db, userId, sid, deps.clock.now()).count({ count: '*' }).first());
}

/** Ends every session of this user except the one making the request. */
export async function signOutOtherSessions(deps: AccountDeps, user: User, sid: string, audit: Audit): Promise<number> {
  return deps.db.transaction(async (trx) => {
    const ended = Number(await trx('sessions').where({ user_id: user.id }).whereNot({ sid }).delete());
    await audit(trx, { action: 'user.other_sessions_revoked', entityType: 'user', entityId: user.id, after: { sessionsEnded: ended } });
    return ended;
  });
}
