// Two-factor authentication for one's own account: enrol with a QR code,
// confirm with a code, recovery codes shown once, regenerate, disable.
import QRCode from 'qrcode';
import type { Audit } from '../audit/context.js';
import { checkTotp, disableTotp, newRecoveryCodes, totpFor } from '../auth/totp.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { Deps } from '../deps.js';
import { Conflict, Forbidden, Invalid } from '../errors.js';
import { encrypt } from '../secrets/secrets.js';
import { SETTING_KEYS, settingValue } from '../settings/service.js';
import type { Role } from '../users/permissions.js';
import { updateUserRow, userSecrets, type User } from '../users/queries.js';

type TwoFactorDeps = Pick<Deps, 'db' | 'config' | 'clock' | 'secrets' | 'brand'>;

/** The roles the owner's "require 2FA" switch applies to (the same rule requireUser enforces). */
export const ENFORCED_ROLES: Role[] = ['owner', 'admin'];

export async function twoFactorRequired(deps: Pick<Deps, 'db'>, role: Role): Promise<boolean> {
  return ENFORCED_ROLES.includes(role) && (await settingValue<boolean>(deps.db, SETTING_KEYS.enforce2faForAdmins)) === true;
}

export type Enrolment = { secretGroups: string; qr: string };

/** What the enrolment page shows: a QR code (data: URL, allowed by the CSP) and the secret for typing in. */
export async function enrolmentView(deps: Pick<Deps, 'brand'>, user: User, secret: string): Promise<Enrolment> {
  const uri = totpFor(secret, user.email, deps.brand.get().name).toString();
  const qr = await QRCode.toDataURL(uri, { margin: 1, width: 220, errorCorrectionLevel: 'M' });
  return { secretGroups: (secret.match(/.{1,4}/g) ?? [secret]).join(' '), qr };
}

async function assertPassword(deps: Pick<Deps, 'db'>, user: User, plain: string, field: string): Promise<void> {
  const s = await userSecrets(deps.db, user.id);
  if (!s || !(await verifyPassword(plain, s.passwordHash))) throw new Invalid({ [field]: { code: 'account.wrong_password' } });
}

// Hashing happens before the transaction opens: bcrypt at production cost takes
// seconds for ten codes, and SQLite has one connection that must not wait on it.
function hashCodes(deps: TwoFactorDeps, codes: string[]): Promise<string[]> {
  return Promise.all(codes.map((c) => hashPassword(c, deps.config.bcryptCost)));
}

/** Turns 2FA on once `code` proves the app holds `secret`; returns the recovery codes to show once. */
export async function confirmEnrolment(deps: TwoFactorDeps, user: User, secret: string, code: string, audit: Audit): Promise<string[]> {
  if (user.totpEnabled) throw new Conflict('account.2fa_already_on');
  if (!checkTotp(secret, code, deps.clock.now())) throw new Invalid({ code: { code: 'account.2fa_code_invalid' } });
  const codes = newRecoveryCodes();
  const hashes = await hashCodes(deps, codes);
  await deps.db.transaction(async (trx) => {
    const patch = { totp_secret: encrypt(deps.secrets.encryptionKey, secret), totp_enabled: true, recovery_codes: JSON.stringify(hashes) };
    await updateUserRow(trx, user.id, patch, deps.clock.now());
    await audit(trx, { action: 'user.2fa_enabled', entityType: 'user', entityId: user.id, before: { totpEnabled: false }, after: { totpEnabled: true } });
  });
  return codes;
}

export async function regenerateRecoveryCodes(deps: TwoFactorDeps, user: User, password: string, audit: Audit): Promise<string[]> {
  if (!user.totpEnabled) throw new Conflict('account.2fa_not_on');
  await assertPassword(deps, user, password, 'regen_password');
  const codes = newRecoveryCodes();
  const hashes = await hashCodes(deps, codes);
  await deps.db.transaction(async (trx) => {
    await updateUserRow(trx, user.id, { recovery_codes: JSON.stringify(hashes) }, deps.clock.now());
    await audit(trx, { action: 'user.recovery_codes_regenerated', entityType: 'user', entityId: user.id, after: { codes: codes.length } });
  });
  return codes;
}

export async function disableTwoFactor(deps: TwoFactorDeps, user: User, password: string, audit: Audit): Promise<void> {
  if (!user.totpEnabled) throw new Conflict('account.2fa_not_on');
  if (await twoFactorRequired(deps, user.role)) throw new Forbidden('account.2fa_enforced');
  await assertPassword(deps, user, password, 'disable_password');
  await deps.db.transaction(async (trx) => {
    await disableTotp(trx, user.id, deps.clock.now());
    await audit(trx, { action: 'user.2fa_disabled', entityType: 'user', entityId: user.id, before: { totpEnabled: true }, after: { totpEnabled: false } });
  });
}

export async function recoveryCodesLeft(deps: Pick<Deps, 'db'>, user: User): Promise<number> {
  return (await userSecrets(deps.db, user.id))?.recoveryCodes.length ?? 0;
}
