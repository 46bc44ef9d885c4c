// Password login with per-account lockout. Rate limiting per IP and per
// account sits in front of this in auth/routes.ts.
import type { Audit } from '../audit/context.js';
import type { Deps } from '../deps.js';
import { DomainError } from '../errors.js';
import { updateUserRow, userByEmail, userSecrets, type User } from '../users/queries.js';
import { dummyCompare, verifyPassword } from './passwords.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;

export class LoginFailed extends DomainError {}

type LoginDeps = Pick<Deps, 'db' | 'config' | 'clock'>;

export async function checkPassword(deps: LoginDeps, email: string, password: string, audit: Audit): Promise<User> {
  const now = deps.clock.now();
  const user = await userByEmail(deps.db, email);
  if (!user) {
    await dummyCompare(password, deps.config.bcryptCost);
    await audit(deps.db, { action: 'auth.login_failed', after: { email: email.slice(0, 254), reason: 'unknown_email' } });
    throw new LoginFailed('auth.invalid_credentials');
  }
  if (user.lockedUntil && user.lockedUntil.getTime() > now) {
    const minutes = Math.ceil((user.lockedUntil.getTime() - now) / 60_000);
    throw new LoginFailed('auth.locked', 'Account locked', undefined, { minutes });
  }
  const secrets = await userSecrets(deps.db, user.id);
  const ok = secrets ? await verifyPassword(password, secrets.passwordHash) : false;
  if (!ok) {
    const failed = user.failedLogins + 1;
    const lock = failed >= MAX_FAILED_LOGINS;
    await updateUserRow(deps.db, user.id, { failed_logins: lock ? 0 : failed, locked_until: lock ? now + LOCKOUT_MS : null }, now);
    await audit(deps.db, { action: lock ? 'auth.account_locked' : 'auth.login_failed', entityType: 'user', entityId: user.id });
    if (lock) throw new LoginFailed('auth.locked', 'Account locked', undefined, { minutes: Math.ceil(LOCKOUT_MS / 60_000) });
    throw new LoginFailed('auth.invalid_credentials');
  }
  if (!user.active) {
    await audit(deps.db, { action: 'auth.login_failed', entityType: 'user', entityId: user.id, after: { reason: 'inactive' } });
    throw new LoginFailed('auth.inactive');
  }
  return user;
}

export async function recordLogin(deps: LoginDeps, user: User, audit: Audit): Promise<void> {
  const now = deps.clock.now();
  await updateUserRow(deps.db, user.id, { failed_logins: 0, locked_until: null, last_login_at: now }, now);
  await audit(deps.db, { action: 'auth.login', entityType: 'user', entityId: user.id });
}
