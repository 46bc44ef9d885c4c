// Business numbers: add (plan-limited), edit, remove, test the connection.
// Tokens and app secrets are encrypted at rest; only their last 4 characters
// are ever shown again.
import crypto from 'node:crypto';
import type { Audit } from '../audit/context.js';
import type { Deps } from '../deps.js';
import { Conflict, Invalid, NotFound } from '../errors.js';
import { encrypt } from '../secrets/secrets.js';
import { DAYS, parseDayRanges } from './business-hours.js';
import type { PhoneNumberInfo } from './cloud-api-types.js';
import { MetaApiError, WhatsAppTransportError } from './errors.js';
import { clientFor } from './graph-clients.js';
import { deleteNumberRow, insertNumberRow, numberById, numberSecrets, phoneNumberIdTaken, updateNumberRow, type BusinessHours, type WaNumber } from './numbers-queries.js';
import type { NumberInput, NumberUpdate } from './numbers-schema.js';
import { invalidateWebhookSecrets } from './webhook-routes.js';
import { isTimezone } from '../i18n/timezones.js';

export const newVerifyToken = () => `cf_${crypto.randomBytes(18).toString('base64url')}`;
const last4 = (s: string) => s.slice(-4);

function summary(n: Partial<WaNumber>): Record<string, unknown> {
  return { label: n.label, phone_number_id: n.phoneNumberId, waba_id: n.wabaId, display_phone: n.displayPhone, status: n.status };
}

export async function getNumber(deps: Pick<Deps, 'db'>, id: number): Promise<WaNumber> {
  const n = await numberById(deps.db, id);
  if (!n) throw new NotFound('whatsapp.number_not_found');
  return n;
}

export async function createNumber(deps: Deps, input: NumberInput, audit: Audit): Promise<WaNumber> {
  const now = deps.clock.now();
  const key = deps.secrets.encryptionKey;
  const id = await deps.db.transaction(async (trx) => {
    if (await phoneNumberIdTaken(trx, input.phone_number_id)) {
      throw new Invalid({ phone_number_id: { code: 'whatsapp.numbers.duplicate' } });
    }
    await deps.plans.assertWithinLimit('numbers', 1, trx);
    const newId = await insertNumberRow(trx, {
      label: input.label, phone_number_id: input.phone_number_id, waba_id: input.waba_id, display_phone: input.display_phone,
      access_token_enc: encrypt(key, input.access_token), app_secret_enc: encrypt(key, input.app_secret),
      token_last4: last4(input.access_token), secret_last4: last4(input.app_secret),
      verify_token: input.verify_token ?? newVerifyToken(), meta_app_id: input.meta_app_id ?? null, is_sandbox: false, status: 'active', created_at: now, updated_at: now,
    });
    await audit(trx, { action: 'whatsapp.number_created', entityType: 'wa_number', entityId: newId, after: { label: input.label, phone_number_id: input.phone_number_id, waba_id: input.waba_id, display_phone: input.display_phone } });
    return newId;
  });
  invalidateWebhookSecrets(deps);
  return getNumber(deps, id);
}

function hoursOf(input: NumberUpdate): BusinessHours | null {
  const days: BusinessHours['days'] = {};
  for (const d of DAYS) {
    const ranges = parseDayRanges(input[`hours_${d}`] ?? '') ?? [];
    if (ranges.length) days[d] = ranges;
  }
  if (!Object.keys(days).length) return null;
  return { tz: input.hours_tz || 'UTC', days };
}

export async function updateNumber(deps: Deps, id: number, input: NumberUpdate, audit: Audit): Promise<WaNumber> {
  const before = await getNumber(deps, id);
  if (input.hours_tz && !isTimezone(input.hours_tz)) throw new Invalid({ hours_tz: { code: 'whatsapp.numbers.timezone' } });
  const key = deps.secrets.encryptionKey;
  const now = deps.clock.now();
  const patch: Record<string, unknown> = {
    label: input.label, display_phone: input.display_phone, waba_id: before.isSandbox ? before.wabaId : input.waba_id, verify_token: input.verify_token,
    meta_app_id: before.isSandbox ? before.metaAppId : input.meta_app_id ?? null,
    business_hours: JSON.stringify(hoursOf(input)), away_message: input.away_message || null, updated_at: now,
    status: input.enabled ? (before.status === 'disabled' ? 'active' : before.status) : 'disabled',
  };
  if (input.access_token && !before.isSandbox) Object.assign(patch, { access_token_enc: encrypt(key, input.access_token), token_last4: last4(input.access_token), status: input.enabled ? 'active' : 'disabled' });
  if (input.app_secret && !before.isSandbox) Object.assign(patch, { app_secret_enc: encrypt(key, input.app_secret), secret_last4: last4(input.app_secret) });
  await deps.db.transaction(async (trx) => {
    await updateNumberRow(trx, id, patch);
    const after = { ...summary(before), label: input.label, display_phone: input.display_phone, waba_id: patch.waba_id, status: patch.status, token_changed: !!input.access_token, secret_changed: !!input.app_secret };
    await audit(trx, { action: 'whatsapp.number_updated', entityType: 'wa_number', entityId: id, before: summary(before), after });
  });
  invalidateWebhookSecrets(deps);
  return getNumber(deps, id);
}

export async function removeNumber(deps: Deps, id: number, audit: Audit): Promise<WaNumber> {
  const n = await getNumber(deps, id);
  if (n.isSandbox && deps.config.sandbox) throw new Conflict('whatsapp.numbers.sandbox_locked');
  await deps.db.transaction(async (trx) => {
    await deleteNumberRow(trx, id);
    await audit(trx, { action: 'whatsapp.number_removed', entityType: 'wa_number', entityId: id, before: summary(n) });
  });
  invalidateWebhookSecrets(deps);
  return n;
}

export type CallFailure = { ok: false; code: number | null; message: string; details: string | null };
export type ConnectionCheck = { ok: true; info: PhoneNumberInfo } | CallFailure;
export type SubscribeOutcome = { ok: true } | CallFailure;

/** A Graph failure as the settings page shows it; anything else is not ours to explain and is rethrown. */
function failureOf(err: unknown): CallFailure {
  if (err instanceof MetaApiError) return { ok: false, code: err.code, message: err.message, details: err.details ?? null };
  if (err instanceof WhatsAppTransportError) return { ok: false, code: null, message: err.message, details: err.kind };
  throw err;
}

/** Calls Meta (getPhoneNumberInfo) with the stored token; records name, quality and tier, or the error. */
export async function testConnection(deps: Deps, id: number): Promise<ConnectionCheck> {
  const n = await getNumber(deps, id);
  const now = deps.clock.now();
  try {
    const { accessToken } = await numberSecrets(deps, n.id);
    const info = await clientFor(deps, n).getPhoneNumberInfo(n.phoneNumberId, accessToken);
    await updateNumberRow(deps.db, id, {
      verified_name: info.verifiedName ?? n.verifiedName, quality_rating: info.qualityRating ?? null, throughput_tier: info.throughputLevel ?? null,
      last_checked_at: now, updated_at: now, ...(n.status === 'token_invalid' ? { status: 'active' } : {}),
    });
    return { ok: true, info };
  } catch (err) {
    const failure = failureOf(err);
    await updateNumberRow(deps.db, id, { last_checked_at: now, ...(failure.code === 190 ? { status: 'token_invalid' } : {}) });
    return failure;
  }
}

/**
 * Subscribes our Meta app to the number's WABA (POST /{WABA}/subscribed_apps,
 * cloud-api.md §1): without it Meta sends this WABA's messages and statuses
 * nowhere. Done right after a number is added and again on demand; the
 * outcome is kept on the number so the settings page can say so. Without
 * `audit` (the sandbox at boot) no audit entry is written.
 */
export async function subscribeWebhooks(deps: Deps, id: number, audit?: Audit): Promise<SubscribeOutcome> {
  const n = await getNumber(deps, id);
  const now = deps.clock.now();
  let outcome: SubscribeOutcome;
  try {
    const { accessToken } = await numberSecrets(deps, n.id);
    await clientFor(deps, n).subscribeApp(n.wabaId, accessToken);
    outcome = { ok: true };
  } catch (err) {
    outcome = failureOf(err);
  }
  await deps.db.transaction(async (trx) => {
    const patch: Record<string, unknown> = outcome.ok
      ? { webhooks_subscribed_at: now, webhooks_error: null }
      : { webhooks_error: outcome.code === null ? outcome.message : `(#${outcome.code}) ${outcome.message}`, ...(outcome.code === 190 ? { status: 'token_invalid' } : {}) };
    await updateNumberRow(trx, id, patch);
    await audit?.(trx, { action: 'whatsapp.number_webhooks_subscribed', entityType: 'wa_number', entityId: id, after: { waba_id: n.wabaId, ok: outcome.ok, code: outcome.ok ? null : outcome.code } });
  });
  return outcome;
}
