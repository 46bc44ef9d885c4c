import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Invalid } from '../errors.js';
import {
  buttonsMessage,
  listMessage,
  markReadBody,
  mediaMessage,
  reactionMessage,
  templateMessage,
  textMessage,
} from './messages.js';

function fields(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Invalid, `expected Invalid, got ${String(e)}`);
    return Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, v.code]));
  }
  assert.fail('expected the builder to throw');
}

describe('message builders', () => {
  it('builds a text reply with callback data and context', () => {
    assert.deepEqual(textMessage('+5511987654321', 'Olá', { replyTo: 'wamid.IN1', callbackData: 'c:42:r:9001', previewUrl: false }), {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+5511987654321',
      context: { message_id: 'wamid.IN1' },
      biz_opaque_callback_data: 'c:42:r:9001',
      type: 'text',
      text: { body: 'Olá', preview_url: false },
    });
  });

  it('builds the §2.2 positional template example', () => {
    const m = templateMessage(
      '+5511987654321',
      {
        name: 'order_update',
        language: 'pt_BR',
        header: { image: { id: '1339522734477770' } },
        body: ['Ana', '#A-1001'],
        buttons: [
          { index: 0, type: 'url', text: 'A-1001' },
          { index: 1, type: 'quick_reply', payload: 'STOP_PROMO' },
        ],
      },
      { callbackData: 'c:42:r:9001' },
    );
    assert.equal(m.type, 'template');
    assert.deepEqual(m.type === 'template' && m.template, {
      name: 'order_update',
      language: { code: 'pt_BR' },
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { id: '1339522734477770' } }] },
        { type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '#A-1001' }] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A-1001' }] },
        { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'STOP_PROMO' }] },
      ],
    });
    assert.equal(m.biz_opaque_callback_data, 'c:42:r:9001');
  });

  it('adds parameter_name for named templates', () => {
    const m = templateMessage('+1', { name: 'welcome', language: 'en_US', body: { first_name: 'Jessica', total: { currency: { fallback_value: '$10', code: 'USD', amount_1000: 10000 } } } });
    assert.deepEqual(m.type === 'template' && m.template.components, [
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Jessica', parameter_name: 'first_name' },
          { type: 'currency', currency: { fallback_value: '$10', code: 'USD', amount_1000: 10000 }, parameter_name: 'total' },
        ],
      },
    ]);
  });

  it('keeps media captions and filenames only where allowed', () => {
    const doc = mediaMessage('+1', 'document', { link: 'https://example.test/a.pdf' }, { caption: 'Invoice', filename: 'a.pdf' });
    assert.deepEqual(doc.type === 'document' && doc.document, { link: 'https://example.test/a.pdf', caption: 'Invoice', filename: 'a.pdf' });
    assert.deepEqual(fields(() => mediaMessage('+1', 'sticker', { id: '1' }, { caption: 'x' })), { caption: 'whatsapp.not_allowed' });
  });

  it('enforces reply-button limits', () => {
    const ok = buttonsMessage('+1', { body: 'Confirm?', buttons: [{ id: 'y', title: 'Yes' }, { id: 'n', title: 'No' }], footer: 'f' });
    assert.equal(ok.type === 'interactive' && ok.interactive.type, 'button');
    const errs = fields(() =>
      buttonsMessage('+1', {
        body: 'x'.repeat(1025),
        footer: 'f'.repeat(61),
        buttons: [
          { id: 'a', title: 'Same' },
          { id: 'b', title: 'Same' },
          { id: 'c', title: 'A title that is too long' },
          { id: 'd', title: 'D' },
        ],
      }),
    );
    assert.deepEqual(errs, {
      body: 'whatsapp.too_long',
      footer: 'whatsapp.too_long',
      buttons: 'whatsapp.too_many',
      'buttons.1.title': 'whatsapp.duplicate',
      'buttons.2.title': 'whatsapp.too_long',
    });
  });

  it('counts emoji as one character', () => {
    assert.doesNotThrow(() => buttonsMessage('+1', { body: 'ok', buttons: [{ id: 'e', title: '😀'.repeat(20) }] }));
  });

  it('enforces list limits (10 rows in total, titles)', () => {
    const rows = (n: number, p: string) => Array.from({ length: n }, (_, i) => ({ id: `${p}${i}`, title: `Row ${i}` }));
    assert.doesNotThrow(() => listMessage('+1', { body: 'Pick', button: 'Options', sections: [{ title: 'A', rows: rows(5, 'a') }, { title: 'B', rows: rows(5, 'b') }] }));
    const errs = fields(() =>
      listMessage('+1', { body: 'Pick', button: 'Options', sections: [{ rows: rows(6, 'a') }, { title: 'x'.repeat(25), rows: rows(5, 'b') }] }),
    );
    assert.deepEqual(errs, { rows: 'whatsapp.too_many', 'sections.0.title': 'whatsapp.required', 'sections.1.title': 'whatsapp.too_long' });
  });

  it('rejects callback data over 512 bytes and empty recipients', () => {
    assert.deepEqual(fields(() => textMessage('', 'x', { callbackData: 'é'.repeat(257) })), { to: 'whatsapp.required', callbackData: 'whatsapp.too_long' });
  });

  it('builds reactions and mark-read bodies', () => {
    const r = reactionMessage('+1', 'wamid.X', '👍');
    assert.deepEqual(r.type === 'reaction' && r.reaction, { message_id: 'wamid.X', emoji: '👍' });
    assert.deepEqual(markReadBody('wamid.IN', true), { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN', typing_indicator: { type: 'text' } });
    assert.equal('typing_indicator' in markReadBody('wamid.IN'), false);
  });
});
