// Webhook payload fixtures shaped like cloud-api.md §5.7 (written for ChatFlow).

export const WABA = '102290129340398';
export const METADATA = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };
export const ANA = { profile: { name: 'Ana Souza' }, wa_id: '5511987654321' };

export function envelope(value: Record<string, unknown>, field = 'messages'): Record<string, unknown> {
  return { object: 'whatsapp_business_account', entry: [{ id: WABA, changes: [{ field, value: { messaging_product: 'whatsapp', metadata: METADATA, ...value } }] }] };
}

let n = 0;
export function inbound(type: string, fields: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return envelope({
    contacts: [ANA],
    messages: [{ from: ANA.wa_id, id: `wamid.IN${n}`, timestamp: '1761830400', type, ...fields, ...extra }],
  });
}

export function status(id: string, st: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, status: st, timestamp: '1761830402', recipient_id: ANA.wa_id, ...extra };
}

export const INBOUND = {
  text: inbound('text', { text: { body: 'Olá, ainda tem o plano anual?' } }),
  image: inbound('image', { image: { id: '1479537139650973', mime_type: 'image/jpeg', sha256: 'abc=', caption: 'Recibo' } }),
  audio: inbound('audio', { audio: { id: '2', mime_type: 'audio/ogg; codecs=opus', sha256: 'h', voice: true } }),
  video: inbound('video', { video: { id: '3', mime_type: 'video/mp4', sha256: 'h' } }),
  document: inbound('document', { document: { id: '4', mime_type: 'application/pdf', sha256: 'h', filename: 'boleto.pdf', caption: 'Boleto' } }),
  sticker: inbound('sticker', { sticker: { id: '5', mime_type: 'image/webp', sha256: 'h', animated: false, url: 'https://lookaside.example/5' } }),
  location: inbound('location', { location: { latitude: -23.55, longitude: -46.63, name: 'Escritório', address: 'Av. Paulista, 1000' } }),
  contacts: inbound('contacts', { contacts: [{ name: { formatted_name: 'João Silva', first_name: 'João' }, phones: [{ phone: '+55 11 91234-5678', wa_id: '5511912345678', type: 'CELL' }] }] }),
  button_reply: inbound(
    'interactive',
    { interactive: { type: 'button_reply', button_reply: { id: 'confirm', title: 'Confirmar' } } },
    { context: { from: '15550783881', id: 'wamid.OUT1' } },
  ),
  list_reply: inbound('interactive', { interactive: { type: 'list_reply', list_reply: { id: 'r2', title: 'Plano anual', description: '12 meses' } } }),
  nfm_reply: inbound('interactive', { interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: '{"a":1}' } } }),
  button: inbound('button', { button: { text: 'Parar promoções', payload: 'STOP_PROMO' } }, { context: { from: '15550783881', id: 'wamid.TPL1' } }),
  reaction: inbound('reaction', { reaction: { message_id: 'wamid.OUT1', emoji: '❤️' } }),
  reaction_removed: inbound('reaction', { reaction: { message_id: 'wamid.OUT1' } }),
  system: inbound('system', { system: { body: 'Ana changed from 5511987654321 to 5511987650000', type: 'customer_changed_number', wa_id: '5511987650000' } }),
  order: inbound('order', { order: { catalog_id: 'cat1', text: 'Quero isso', product_items: [{ product_retailer_id: 'sku1', quantity: '2', item_price: 9.9, currency: 'BRL' }] } }),
  request_welcome: inbound('request_welcome', {}),
  unsupported: inbound('unsupported', { errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }] }),
  future_type: inbound('hologram', { hologram: { id: 'h1' } }),
  referral: inbound('text', { text: { body: 'Vi o anúncio' } }, { referral: { source_url: 'https://fb.me/x', source_type: 'ad', ctwa_clid: 'clid1' } }),
} as const;

export const TEMPLATE_APPROVED = {
  entry: [
    {
      id: WABA,
      time: 1751247548,
      changes: [
        {
          field: 'message_template_status_update',
          value: {
            event: 'APPROVED',
            message_template_id: 1689556908129832,
            message_template_name: 'order_confirmation',
            message_template_language: 'en-US',
            reason: 'NONE',
            message_template_category: 'UTILITY',
          },
        },
      ],
    },
  ],
  object: 'whatsapp_business_account',
};
