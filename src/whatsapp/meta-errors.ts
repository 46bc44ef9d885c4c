// Meta's error codes in the user's language. Each code we explain has its own
// i18n key `whatsapp.meta.<code>`; every other code falls back to a generic
// text. All of them show the code so support can look it up.
import { DomainError } from '../errors.js';
import type { T } from '../i18n/i18n.js';
import type { StoredMessage } from './message-store.js';

export const EXPLAINED_CODES: readonly number[] = [
  0, 4, 10, 100, 190, 368, 470, 80007, 130429, 130472, 130497, 131000, 131005, 131008, 131009, 131016, 131021, 131026, 131031,
  131042, 131047, 131048, 131049, 131050, 131051, 131052, 131053, 131056, 131057, 132000, 132001, 132005, 132007, 132012,
  132015, 132016, 132018, 133010,
];

export function metaErrorKey(code: number | null | undefined): string {
  if (code === null || code === undefined) return 'whatsapp.meta.transport';
  return EXPLAINED_CODES.includes(code) ? `whatsapp.meta.${code}` : 'whatsapp.meta.other';
}

/** "<explanation> (código 131047)" for a stored failure. */
export function metaErrorText(t: T, code: number | null | undefined, title?: string | null): string {
  return t(metaErrorKey(code), { code: code ?? '—', details: title ?? '' });
}

/**
 * Meta refused (or never answered) a send. The failed message is stored;
 * `code` is the i18n key, `params.code` Meta's number.
 */
export class WhatsAppSendError extends DomainError {
  constructor(
    readonly metaCode: number | null,
    details: string | null,
    readonly stored: StoredMessage,
  ) {
    super(metaErrorKey(metaCode), `WhatsApp send failed (${metaCode ?? 'transport'})`, { message_id: stored.id, meta_code: metaCode }, {
      code: metaCode ?? '—',
      details: details ?? '',
    });
  }
}
