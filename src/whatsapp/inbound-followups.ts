// What happens after an inbound message is committed: the single opt-out
// confirmation, auto-replies and the prompt media download. Best effort: a
// failure is logged and never undoes the stored message.
import type { Deps } from '../deps.js';
import { translator } from '../i18n/i18n.js';
import { SETTING_KEYS, settingValue } from '../settings/service.js';
import { runAutoReplies } from './auto-replies.js';
import type { InboundResult } from './inbound.js';
import { downloadMedia } from './media-service.js';
import type { WaNumber } from './numbers-queries.js';
import { optOutConfirmationText } from './opt-out.js';
import { sendText } from './send-service.js';
import { contactById } from './wa-contacts.js';

async function confirmOptOut(deps: Deps, r: InboundResult): Promise<void> {
  const contact = await contactById(deps.db, r.contactId!);
  const t = translator(deps.catalog, contact?.language === 'en' ? 'en' : 'es');
  const company = (await settingValue<string>(deps.db, SETTING_KEYS.companyName)) || deps.brand.get().name;
  const text = (await optOutConfirmationText(deps.db)) ?? t('whatsapp.optout.confirmation', { company });
  // The customer asked for it, so it goes out although they are now opted out (system send).
  await sendText(deps, { conversationId: r.conversationId!, text, userId: null, system: true });
}

export async function afterInbound(deps: Deps, n: WaNumber, type: string, r: InboundResult): Promise<void> {
  if (r.duplicate || !r.conversationId || !r.contactId) return;
  if (r.mediaId) {
    await downloadMedia(deps, r.mediaId).catch((err) => deps.log.warn({ err }, 'media download failed'));
  }
  try {
    if (r.optedOutNow) return await confirmOptOut(deps, r);
    await runAutoReplies(deps, { conversationId: r.conversationId, contactId: r.contactId, number: n, type, text: r.text }, r.optedOutBefore);
  } catch (err) {
    deps.log.warn({ err: (err as Error).message, conversationId: r.conversationId }, 'inbound follow-up failed');
  }
}
