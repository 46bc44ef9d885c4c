import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CloudApiClient } from './cloud-api.js';
import { classifyError, HANDLED_CODES, MetaApiError, WhatsAppTransportError } from './errors.js';
import { templateMessage, textMessage, type OutboundMessage } from './messages.js';
import { createSandboxServer, httpStatusFor, SANDBOX_DEFAULTS as D, type Sandbox } from './sandbox/index.js';
import { EXPECTED_BY_CODE } from './testdata/policy-table.js';

const CUSTOMER = '5511987654321';
const TO = `+${CUSTOMER}`;

let sandbox: Sandbox;
let client: CloudApiClient;

before(async () => {
  sandbox = await createSandboxServer();
  client = new CloudApiClient({ graphUrl: sandbox.url, apiVersion: 'v24.0', timeoutMs: 2000 });
  sandbox.state.addTemplate({ name: 'hello', language: 'en_US', components: [{ type: 'BODY', text: 'Hello {{1}}, order {{2}}' }] });
  sandbox.state.addTemplate({ name: 'named', language: 'en_US', parameterFormat: 'NAMED', components: [{ type: 'BODY', text: 'Hi {{first_name}}' }] });
  sandbox.state.addTemplate({
    name: 'rich',
    language: 'en_US',
    components: [
      { type: 'HEADER', format: 'IMAGE' },
      { type: 'BODY', text: 'Order {{1}}' },
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.test/t/{{1}}' }] },
    ],
  });
  sandbox.state.addTemplate({ name: 'draft', language: 'en_US', status: 'PENDING' });
  sandbox.state.addTemplate({ name: 'paused', language: 'en_US', status: 'PAUSED' });
  sandbox.state.addTemplate({ name: 'disabled', language: 'en_US', status: 'DISABLED' });
  await sandbox.simulateInbound({ from: CUSTOMER, type: 'text', text: 'hi' });
});

after(async () => {
  await client.close();
  await sandbox.close();
});

async function sendError(body: OutboundMessage, c = client, token: string = D.token): Promise<MetaApiError> {
  try {
    await c.sendMessage(D.phoneNumberId, token, body);
  } catch (e) {
    assert.ok(e instanceof MetaApiError, `expected MetaApiError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the send to fail');
}

describe('every §3.2 code answered by the sandbox is classified by the client', () => {
  it(`covers all ${HANDLED_CODES.length} handled codes`, async () => {
    const seen = new Map<number, string>();
    for (const code of HANDLED_CODES) {
      sandbox.state.addErrorRule({ code, times: 1, details: `details for ${code}` });
      const err = await sendError(textMessage(TO, `probe ${code}`));
      assert.equal(err.code, code);
      assert.equal(err.httpStatus, httpStatusFor(code));
      assert.equal(err.details, `details for ${code}`);
      assert.match(err.fbtraceId ?? '', /^SBX/);
      seen.set(code, classifyError(err));
    }
    assert.deepEqual(Object.fromEntries(seen), Object.fromEntries(EXPECTED_BY_CODE));
  });

  it('branches on the code, not on the HTTP status', async () => {
    for (const [code, http] of [[131056, 400], [130429, 400], [131047, 400], [131049, 400], [190, 400], [131000, 400]] as const) {
      sandbox.state.addErrorRule({ code, httpStatus: http, times: 1 });
      const err = await sendError(textMessage(TO, 'x'));
      assert.equal(err.httpStatus, 400);
      assert.equal(err.action, EXPECTED_BY_CODE.get(code));
    }
  });

  it('refines code 100 by subcode', async () => {
    sandbox.state.addErrorRule({ code: 100, subcode: 2388024, times: 1 });
    const err = await sendError(textMessage(TO, 'x'));
    assert.equal(err.subcode, 2388024);
    assert.match(err.policy.meaning, /already exists/);
  });

  it('applies rules to one recipient only when asked', async () => {
    sandbox.state.addErrorRule({ code: 131026, to: '15550009999', times: 1 });
    await sandbox.simulateInbound({ from: '15550009999', type: 'text', text: 'hi' });
    assert.match((await client.sendMessage(D.phoneNumberId, D.token, textMessage(TO, 'ok'))).wamid, /^wamid\./);
    assert.equal((await sendError(textMessage('+15550009999', 'x'))).code, 131026);
  });
});

describe('sandbox validation like Meta', () => {
  const tpl = (name: string, body: string[] | Record<string, string>) => templateMessage(TO, { name, language: 'en_US', body });

  it('unknown template or language → 132001; not approved → 132001; paused/disabled → 132015/132016', async () => {
    assert.equal((await sendError(tpl('nope', ['a', 'b']))).code, 132001);
    assert.equal((await sendError(templateMessage(TO, { name: 'hello', language: 'en', body: ['a', 'b'] }))).code, 132001);
    assert.equal((await sendError(tpl('draft', []))).code, 132001);
    assert.equal((await sendError(tpl('paused', []))).code, 132015);
    assert.equal((await sendError(tpl('disabled', []))).code, 132016);
  });

  it('wrong parameter count → 132000; bad text → 132018; named without names → 100', async () => {
    const err = await sendError(tpl('hello', ['only one']));
    assert.equal(err.code, 132000);
    assert.equal(err.action, 'fix_request');
    assert.equal((await sendError(tpl('hello', ['a\nb', 'c']))).code, 132018);
    assert.equal((await sendError(tpl('named', { last_name: 'x' }))).code, 132000);
    const noNames = templateMessage(TO, { name: 'named', language: 'en_US', body: ['Jessica'] });
    assert.equal((await sendError(noNames)).code, 100);
    assert.match((await client.sendMessage(D.phoneNumberId, D.token, tpl('named', { first_name: 'Jessica' }))).wamid, /^wamid\./);
  });

  it('checks header media and dynamic URL buttons', async () => {
    const rich = (extra: Partial<Parameters<typeof templateMessage>[1]>) => templateMessage(TO, { name: 'rich', language: 'en_US', body: ['A-1'], ...extra });
    const image = { image: { id: '1' } };
    const url = [{ index: 0, type: 'url' as const, text: 'A-1' }];
    assert.equal((await sendError(rich({ buttons: url }))).code, 132000, 'missing header');
    assert.equal((await sendError(rich({ header: { video: { id: '1' } }, buttons: url }))).code, 132012, 'wrong header type');
    assert.equal((await sendError(rich({ header: image }))).code, 132000, 'missing URL suffix');
    assert.equal((await sendError(rich({ header: image, buttons: [{ index: 0, type: 'quick_reply', payload: 'x' }] }))).code, 132012, 'wrong button kind');
    assert.match((await client.sendMessage(D.phoneNumberId, D.token, rich({ header: image, buttons: url }))).wamid, /^wamid\./);
  });

  it('unknown type → 131051; missing fields → 131008; bad values → 100/131009', async () => {
    const base = { messaging_product: 'whatsapp', to: TO } as const;
    assert.equal((await sendError({ ...base, type: 'hologram' } as unknown as OutboundMessage)).code, 131051);
    assert.equal((await sendError({ ...base, type: 'text', text: {} } as unknown as OutboundMessage)).code, 131008);
    assert.equal((await sendError({ ...base, type: 'text', text: { body: 'x'.repeat(4097) } } as OutboundMessage)).code, 100);
    const fourButtons = { type: 'button', body: { text: 'b' }, action: { buttons: ['a', 'b', 'c', 'd'].map((t) => ({ type: 'reply', reply: { id: t, title: t } })) } };
    assert.equal((await sendError({ ...base, type: 'interactive', interactive: fourButtons } as unknown as OutboundMessage)).code, 131009);
    assert.equal((await sendError({ ...base, type: 'text', text: { body: 'x' }, biz_opaque_callback_data: 'x'.repeat(513) })).code, 100);
  });

  it('invalid token → 190 (stop_number)', async () => {
    const err = await sendError(textMessage(TO, 'x'), client, 'expired-token');
    assert.equal(err.code, 190);
    assert.equal(err.httpStatus, 401);
    assert.equal(err.action, 'stop_number');
    assert.ok(!err.message.includes('expired-token') && !JSON.stringify(err).includes('expired-token'), 'token never echoed');
  });
});

describe('windows and rate limits', () => {
  let limited: Sandbox;
  let c: CloudApiClient;
  let now = Date.parse('2026-01-01T00:00:00Z');

  before(async () => {
    limited = await createSandboxServer({ throughputPerSec: 5, pairRateLimit: { burst: 3, intervalMs: 6000 }, clock: { now: () => now } });
    c = new CloudApiClient({ graphUrl: limited.url, apiVersion: 'v24.0' });
    limited.state.addTemplate({ name: 'promo', language: 'es', category: 'MARKETING' });
  });
  after(async () => {
    await c.close();
    await limited.close();
  });

  it('free-form outside the 24 h window → 131047, templates still pass', async () => {
    const err = await sendError(textMessage('+5215512345678', 'hola'), c);
    assert.equal(err.code, 131047);
    assert.equal(err.action, 'never_retry');
    assert.match((await c.sendMessage(D.phoneNumberId, D.token, templateMessage('+5215512345678', { name: 'promo', language: 'es' }))).wamid, /^wamid/);
    await limited.simulateInbound({ from: '5215512345678', type: 'text', text: 'hola' });
    now += 1000;
    assert.match((await c.sendMessage(D.phoneNumberId, D.token, textMessage('+5215512345678', 'hola!'))).wamid, /^wamid/);
    now += 24 * 3600 * 1000;
    assert.equal((await sendError(textMessage('+5215512345678', 'tarde'), c)).code, 131047);
  });

  it('pair rate: burst then 131056 until the interval refills', async () => {
    const to = '+5215500000001';
    for (let i = 0; i < 3; i++) await c.sendMessage(D.phoneNumberId, D.token, templateMessage(to, { name: 'promo', language: 'es' }));
    const err = await sendError(templateMessage(to, { name: 'promo', language: 'es' }), c);
    assert.equal(err.code, 131056);
    assert.equal(err.action, 'retry_recipient_later');
    now += 6000;
    await c.sendMessage(D.phoneNumberId, D.token, templateMessage(to, { name: 'promo', language: 'es' }));
  });

  it('throughput: over N/s → 130429 (retry), refills with time', async () => {
    now += 10_000;
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => c.sendMessage(D.phoneNumberId, D.token, templateMessage(`+52155000001${i}`, { name: 'promo', language: 'es' }))),
    );
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as MetaApiError);
    assert.equal(results.length - rejected.length, 5);
    assert.deepEqual(rejected.map((e) => [e.code, e.action]), [[130429, 'retry'], [130429, 'retry'], [130429, 'retry']]);
    now += 1000;
    await c.sendMessage(D.phoneNumberId, D.token, templateMessage('+5215500000099', { name: 'promo', language: 'es' }));
  });
});

describe('transport errors', () => {
  it('connection refused → WhatsAppTransportError(network), retry, not delivered', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const dead = new CloudApiClient({ graphUrl: `http://127.0.0.1:${port}`, apiVersion: 'v24.0', timeoutMs: 1000 });
    try {
      await assert.rejects(dead.sendMessage(D.phoneNumberId, D.token, textMessage(TO, 'x')), (e: unknown) => {
        assert.ok(e instanceof WhatsAppTransportError);
        assert.equal(e.kind, 'network');
        assert.equal(e.maybeDelivered, false);
        assert.equal(classifyError(e), 'retry');
        assert.ok(!e.message.includes(D.token));
        return true;
      });
    } finally {
      await dead.close();
    }
  });

  it('slow answer → timeout (maybe delivered); caller abort → aborted', async () => {
    const slow = await createSandboxServer({ latencyMs: 400 });
    const c = new CloudApiClient({ graphUrl: slow.url, apiVersion: 'v24.0', timeoutMs: 100 });
    try {
      await slow.simulateInbound({ from: CUSTOMER, type: 'text', text: 'hi' });
      await assert.rejects(c.sendMessage(D.phoneNumberId, D.token, textMessage(TO, 'x')), (e: unknown) => {
        assert.ok(e instanceof WhatsAppTransportError);
        assert.equal(e.kind, 'timeout');
        assert.equal(e.maybeDelivered, true);
        return true;
      });
      await assert.rejects(c.getPhoneNumberInfo(D.phoneNumberId, D.token, { signal: AbortSignal.timeout(20) }), (e: unknown) => {
        assert.ok(e instanceof WhatsAppTransportError);
        assert.equal(e.kind, 'aborted');
        return true;
      });
    } finally {
      await c.close();
      await slow.close();
    }
  });
});
