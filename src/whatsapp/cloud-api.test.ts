import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CloudApiClient } from './cloud-api.js';
import { MetaApiError } from './errors.js';
import {
  buttonsMessage,
  contactsMessage,
  listMessage,
  locationMessage,
  mediaMessage,
  reactionMessage,
  templateMessage,
  textMessage,
  type OutboundMessage,
} from './messages.js';
import { createSandboxServer, SANDBOX_DEFAULTS as D, type Sandbox } from './sandbox/index.js';

const CUSTOMER = '5511987654321';
const TO = '+55 11 98765-4321';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

let sandbox: Sandbox;
let client: CloudApiClient;

before(async () => {
  sandbox = await createSandboxServer();
  client = new CloudApiClient({ graphUrl: sandbox.url, apiVersion: 'v24.0', timeoutMs: 2000 });
  sandbox.state.addTemplate({
    name: 'order_update',
    language: 'pt_BR',
    category: 'MARKETING',
    components: [
      { type: 'HEADER', format: 'IMAGE' },
      { type: 'BODY', text: 'Olá {{1}}, seu pedido {{2}} saiu.' },
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Ver', url: 'https://shop.test/o/{{1}}' }, { type: 'QUICK_REPLY', text: 'Parar' }] },
    ],
  });
  sandbox.state.addTemplate({
    name: 'welcome',
    language: 'en_US',
    parameterFormat: 'NAMED',
    components: [{ type: 'BODY', text: 'Hi {{first_name}}, your total is {{total}}' }],
  });
  // The customer writes first, opening the 24 h window for free-form messages.
  await sandbox.simulateInbound({ from: CUSTOMER, type: 'text', text: 'Oi!' });
});

after(async () => {
  await client.close();
  await sandbox.close();
});

describe('CloudApiClient.sendMessage against the sandbox', () => {
  const cases: Array<[string, OutboundMessage]> = [
    ['text', textMessage(TO, 'Olá, Ana! 😀', { previewUrl: true })],
    ['image by id', mediaMessage(TO, 'image', { id: '1339522734477770' }, { caption: 'Recibo' })],
    ['image by link', mediaMessage(TO, 'image', { link: 'https://cdn.example.test/a.jpg' })],
    ['audio', mediaMessage(TO, 'audio', { id: 'a1' })],
    ['video', mediaMessage(TO, 'video', { id: 'v1' }, { caption: 'Tour' })],
    ['document', mediaMessage(TO, 'document', { id: 'd1' }, { filename: 'boleto.pdf' })],
    ['sticker', mediaMessage(TO, 'sticker', { id: 's1' })],
    ['location', locationMessage(TO, { latitude: -23.55, longitude: -46.63, name: 'Loja', address: 'Av. Paulista' })],
    ['contacts', contactsMessage(TO, [{ name: { formatted_name: 'João Silva' }, phones: [{ phone: '+5511912345678', type: 'CELL' }] }])],
    ['reply buttons', buttonsMessage(TO, { header: { type: 'text', text: 'Pedido' }, body: 'Confirma?', footer: 'Loja', buttons: [{ id: 'y', title: 'Sim' }, { id: 'n', title: 'Não' }] })],
    ['list', listMessage(TO, { body: 'Escolha', button: 'Planos', sections: [{ title: 'Planos', rows: [{ id: 'm', title: 'Mensal' }, { id: 'a', title: 'Anual', description: '12 meses' }] }] })],
    [
      'template positional + header media + buttons',
      templateMessage(TO, {
        name: 'order_update',
        language: 'pt_BR',
        header: { image: { id: '1339522734477770' } },
        body: ['Ana', '#A-1001'],
        buttons: [
          { index: 0, type: 'url', text: 'A-1001' },
          { index: 1, type: 'quick_reply', payload: 'STOP_PROMO' },
        ],
      }),
    ],
    ['template named', templateMessage(TO, { name: 'welcome', language: 'en_US', body: { first_name: 'Jessica', total: '$10' } })],
    ['reaction', reactionMessage(TO, 'wamid.IN1', '👍')],
    ['quoted reply', textMessage(TO, 'Respondendo', { replyTo: 'wamid.IN1' })],
  ];

  for (const [name, body] of cases) {
    it(`sends ${name} and gets a wamid; the sandbox logged the exact body`, async () => {
      const callbackData = `c:42:r:${name.length}`;
      const res = await client.sendMessage(D.phoneNumberId, D.token, body, { callbackData });
      assert.match(res.wamid, /^wamid\./);
      assert.equal(res.waId, CUSTOMER);
      assert.equal(res.input, TO);
      assert.equal(res.messageStatus, body.type === 'template' ? 'accepted' : undefined);
      const logged = sandbox.state.entry(res.wamid);
      assert.ok(logged, 'logged in the sandbox');
      assert.equal(logged.direction, 'out');
      assert.equal(logged.callbackData, callbackData);
      assert.deepEqual(logged.body, { ...body, biz_opaque_callback_data: callbackData });
    });
  }

  it('passes through callback data already in the body', async () => {
    const res = await client.sendMessage(D.phoneNumberId, D.token, textMessage(TO, 'x', { callbackData: 'c:1:r:2' }));
    assert.equal(sandbox.state.entry(res.wamid)?.callbackData, 'c:1:r:2');
  });

  it('keeps a per-recipient log, oldest first', () => {
    const log = sandbox.state.messagesFor(CUSTOMER);
    assert.equal(log[0]!.direction, 'in');
    assert.equal(log.filter((e) => e.direction === 'out').length, cases.length + 1);
    assert.ok(log.every((e, i) => i === 0 || e.at >= log[i - 1]!.at));
  });

  it('marks inbound messages read (with typing indicator)', async () => {
    const inbound = sandbox.state.messagesFor(CUSTOMER)[0]!;
    assert.equal(await client.markRead(D.phoneNumberId, D.token, inbound.wamid, { typing: true }), true);
    assert.equal(sandbox.state.entry(inbound.wamid)?.status, 'read');
    const out = sandbox.state.messagesFor(CUSTOMER)[1]!;
    await assert.rejects(client.markRead(D.phoneNumberId, D.token, out.wamid), (e: unknown) => e instanceof MetaApiError && e.code === 100);
  });
});

describe('media', () => {
  it('uploads, resolves the URL and downloads the same bytes', async () => {
    const { id } = await client.uploadMedia(D.phoneNumberId, D.token, { data: PNG, mimeType: 'image/png', filename: 'dot.png' });
    assert.match(id, /^\d+$/);
    const info = await client.getMediaUrl(id, D.token, { phoneNumberId: D.phoneNumberId });
    assert.equal(info.id, id);
    assert.equal(info.mimeType, 'image/png');
    assert.equal(info.fileSize, PNG.length);
    assert.equal(info.sha256, createHash('sha256').update(PNG).digest('hex'));
    assert.ok(info.url.startsWith(sandbox.url));
    const file = await client.downloadMedia(info.url, D.token);
    assert.deepEqual(file.data, PNG);
    assert.equal(file.mimeType, 'image/png');
    await assert.rejects(client.downloadMedia(info.url, D.token, { maxBytes: 10 }), /larger than 10 bytes/);
    await assert.rejects(client.downloadMedia(info.url, 'wrong-token'), (e: unknown) => e instanceof MetaApiError && e.httpStatus === 401);
    assert.equal(await client.deleteMedia(id, D.token), true);
    await assert.rejects(client.getMediaUrl(id, D.token), (e: unknown) => e instanceof MetaApiError && e.code === 100);
  });

  it('rejects a MIME type that does not match the file with 131053', async () => {
    await assert.rejects(
      client.uploadMedia(D.phoneNumberId, D.token, { data: Buffer.from('not a png'), mimeType: 'image/png' }),
      (e: unknown) => e instanceof MetaApiError && e.code === 131053 && e.action === 'fix_request',
    );
    await assert.rejects(
      client.uploadMedia(D.phoneNumberId, D.token, { data: Buffer.from('x'), mimeType: 'application/x-msdownload' }),
      (e: unknown) => e instanceof MetaApiError && e.code === 131053,
    );
  });
});

describe('phone number and subscriptions', () => {
  it('reads phone number info', async () => {
    assert.deepEqual(await client.getPhoneNumberInfo(D.phoneNumberId, D.token), {
      id: D.phoneNumberId,
      verifiedName: D.verifiedName,
      displayPhoneNumber: D.displayPhoneNumber,
      qualityRating: 'GREEN',
      throughputLevel: 'STANDARD',
      messagingLimitTier: 'TIER_250',
    });
  });

  it('subscribes the app to the WABA', async () => {
    assert.equal(await client.subscribeApp(D.wabaId, D.token), true);
    assert.ok(sandbox.state.subscriptions.has(D.wabaId));
  });

  it('answers 100 for unknown objects', async () => {
    await assert.rejects(client.getPhoneNumberInfo('999', D.token), (e: unknown) => e instanceof MetaApiError && e.code === 100 && e.subcode === 33);
  });
});
