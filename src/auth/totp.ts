// TOTP (RFC 6238, 30 s, 6 digits) secrets and one-time recovery codes.
// The secret is stored encrypted with the install key; recovery codes as
// bcrypt hashes, each usable once.
import crypto from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type { Db } from '../db/knex.js';
import { decrypt, encrypt } from '../secrets/secrets.js';
import { updateUserRow, userSecrets } from '../users/queries.js';
import { hashPassword, verifyPassword } from './passwords.js';

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function totpFor(secretBase32: string, label: string, issuer: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secretBase32) });
}

/** Accepts the current code and one step either side (clock drift). */
export function checkTotp(secretBase32: string, code: string, now: number): boolean {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  return totpFor(secretBase32, 'x', 'x').validate({ token, timestamp: now, window: 1 }) !== null;
}

export function currentTotp(secretBase32: string, now: number): string {
  return totpFor(secretBase32, 'x', 'x').generate({ timestamp: now });
}

export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const raw = crypto.randomBytes(5).toString('hex'); // 10 hex chars
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
}

export async function enableTotp(db: Db, key: Buffer, userId: number, secret: string, codes: string[], cost: number, now: number) {
  const hashes = await Promise.all(codes.map((c) => hashPassword(c, cost)));
  await updateUserRow(db, userId, { totp_secret: encrypt(key, secret), totp_enabled: true, recovery_codes: JSON.stringify(hashes) }, now);
}

export async function disableTotp(db: Db, userId: number, now: number) {
  await updateUserRow(db, userId, { totp_secret: null, totp_enabled: false, recovery_codes: null }, now);
}

/** A 6-digit code from the app, or a recovery code (which is then spent). */
export async function verifySecondFactor(db: Db, key: Buffer, userId: number, input: string, now: number): Promise<'totp' | 'recovery' | null> {
  const s = await userSecrets(db, userId);
  if (!s?.totpSecret) return null;
  const trimmed = input.trim().toLowerCase();
  if (checkTotp(decrypt(key, s.totpSecret), trimmed, now)) return 'totp';
  if (!/^[0-9a-f]{5}-?[0-9a-f]{5}$/.test(trimmed)) return null;
  const normalised = trimmed.includes('-') ? trimmed : `${trimmed.slice(0, 5)}-${trimmed.slice(5)}`;
  for (let i = 0; i < s.recoveryCodes.length; i++) {
    if (await verifyPassword(normalised, s.recoveryCodes[i]!)) {
      const rest = s.recoveryCodes.filter((_, j) => j !== i);
      await updateUserRow(db, userId, { recovery_codes: JSON.stringify(rest) }, now);
      return 'recovery';
    }
  }
  return null;
}
