// B4 data: the outbound messages of a campaign (one contact per recipient,
// status `queued`, a wamid and a callback id each), and their status webhooks
// in Meta's escaped, signed form: sent, delivered, read for every message, in
// that order, one status per POST as Meta sends them during a campaign.
import type { Knex } from 'knex';
import { signedMetaBody } from '../src/whatsapp/signature.js';

export type BenchNumber = { id: number; wabaId: string; phoneNumberId: string };

const wamid = (i: number) => `wamid.bench${i}`;
const phone = (i: number) => `52155${String(10000000 + i)}`;

/** Inserts `count` campaign messages (500 rows per transaction). */
export async function seedCampaignMessages(db: Knex, n: BenchNumber, count: number): Promise<void> {
  const now = Date.now();
  for (let from = 0; from < count; from += 500) {
    const ids = Array.from({ length: Math.min(500, count - from) }, (_, k) => from + k);
    await db.transaction(async (trx) => {
      const contacts = ids.map((i) => ({ phone: `+${phone(i)}`, wa_key: phone(i), display_name: `Bench ${i}`, sort_name: `bench ${i}`, search_text: `bench ${i} ${phone(i)}`, created_at: now, updated_at: now }));
      await trx('contacts').insert(contacts);
      const byPhone = new Map<string, number>((await trx('contacts').whereIn('wa_key', ids.map(phone)).select('id', 'wa_key')).map((r: { id: number; wa_key: string }) => [r.wa_key, Number(r.id)]));
      await trx('conversations').insert(ids.map((i) => ({ contact_id: byPhone.get(phone(i)), number_id: n.id, status: 'open', unread_count: 0, last_message_at: now, created_at: now, updated_at: now })));
      const convs = new Map<number, number>((await trx('conversations').whereIn('contact_id', [...byPhone.values()]).select('id', 'contact_id')).map((r: { id: number; contact_id: number }) => [Number(r.contact_id), Number(r.id)]));
      await trx('messages').insert(ids.map((i) => {
        const contactId = byPhone.get(phone(i))!;
        return { conversation_id: convs.get(contactId), contact_id: contactId, number_id: n.id, direction: 'out', type: 'template', body: 'Oferta', status: 'queued',
          wamid: wamid(i), callback_id: `c:1:r:${i}`, template_name: 'promo', business_initiated: true, campaign_id: 1, created_at: now };
      }));
    });
  }
}

/** 3 × `count` signed status webhooks: [body, "sha256=…"]; timestamps in seconds, as Meta's, `perSecond` statuses a second. */
export function statusBodies(n: BenchNumber, secret: string, count: number, perSecond: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let k = 0; k < count * 3; k++) {
    const i = Math.floor(k / 3);
    const status = { id: wamid(i), status: (['sent', 'delivered', 'read'] as const)[k % 3], timestamp: String(1761830400 + Math.floor(k / perSecond)), recipient_id: phone(i),
      biz_opaque_callback_data: `c:1:r:${i}`, pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' } };
    const value = { object: 'whatsapp_business_account', entry: [{ id: n.wabaId, changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: n.phoneNumberId }, statuses: [status] } }] }] };
    const { body, signature } = signedMetaBody(value, secret);
    out.push([body.toString('utf8'), signature]);
  }
  return out;
}
