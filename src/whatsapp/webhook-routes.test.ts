// /webhooks/whatsapp: the verification handshake and the signature gate.
// Nothing is stored unless the signature over the exact bytes matches.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { metaJsonStringify, sign } from './signature.js';
import { inboundWebhook, startChannelTest, type ChannelTest } from './test-kit.js';

let t: ChannelTest;
const url = () => `${t.app.url}/webhooks/whatsapp`;
const events = async () => Number((await t.app.deps.db('webhook_events').count({ n: '*' }).first())?.n ?? 0);

async function post(body: Buffer | string, headers: Record<string, string> = {}) {
  const r = await fetch(url(), { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'content-type': 'application/json', ...headers } });
  return { status: r.status, text: await r.text() };
}

before(async () => {
  t = await startChannelTest({ samples: false });
});
after(async () => t.close());

describe('GET handshake', () => {
  it('echoes hub.challenge as text/plain when the verify token matches a number', async () => {
    const r = await fetch(`${url()}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(t.number.verifyToken)}&hub.challenge=1158201444`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await r.text(), '1158201444');
  });
  it('answers 403 to a wrong token, a missing token or another mode', async () => {
    for (const q of ['hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1', 'hub.mode=subscribe&hub.challenge=1', `hub.mode=unsubscribe&hub.verify_token=${t.number.verifyToken}&hub.challenge=1`]) {
      const r = await fetch(`${url()}?${q}`);
      assert.equal(r.status, 403, q);
      assert.doesNotMatch(await r.text(), /^1$/);
    }
  });
});

describe('POST signature', () => {
  const payload = () => inboundWebhook(t.number, '5215511112222', 'José Núñez', { id: `wamid.sig${Date.now()}${Math.random()}`, type: 'text', text: { body: 'Canción ñandú 😀 / ¿qué tal?' } }, t.app.clock.now());

  it('accepts accents and emoji signed over Meta\'s escaped form and stores the exact bytes', async () => {
    const before = await events();
    const body = Buffer.from(metaJsonStringify(payload()), 'utf8');
    assert.match(body.toString(), /\\u00f1/, 'escaped like Meta');
    assert.match(body.toString(), /\\ud83d\\ude00/);
    const r = await post(body, { 'x-hub-signature-256': sign(body, t.appSecret) });
    assert.equal(r.status, 200);
    assert.equal(await events(), before + 1);
    const row = await t.app.deps.db('webhook_events').orderBy('id', 'desc').first();
    assert.equal(row.body, body.toString('utf8'));
    await t.work();
    const msg = await t.app.deps.db('messages').where({ direction: 'in' }).orderBy('id', 'desc').first();
    assert.equal(msg.body, 'Canción ñandú 😀 / ¿qué tal?');
  });

  it('rejects the same payload re-serialised (JSON.stringify) under the escaped form\'s signature', async () => {
    const value = payload();
    const escaped = Buffer.from(metaJsonStringify(value), 'utf8');
    const plain = Buffer.from(JSON.stringify(value), 'utf8');
    const before = await events();
    const r = await post(plain, { 'x-hub-signature-256': sign(escaped, t.appSecret) });
    assert.equal(r.status, 403);
    assert.equal(await events(), before);
  });

  it('401 without a signature, 403 with a wrong secret, a tampered byte or a malformed header; nothing stored', async () => {
    const body = Buffer.from(metaJsonStringify(payload()), 'utf8');
    const tampered = Buffer.from(body);
    tampered[tampered.length - 5] = tampered[tampered.length - 5]! ^ 0x01;
    const before = await events();
    assert.equal((await post(body)).status, 401);
    assert.equal((await post(body, { 'x-hub-signature-256': '' })).status, 401);
    assert.equal((await post(body, { 'x-hub-signature-256': sign(body, 'not-the-app-secret') })).status, 403);
    assert.equal((await post(tampered, { 'x-hub-signature-256': sign(body, t.appSecret) })).status, 403);
    assert.equal((await post(body, { 'x-hub-signature-256': 'sha1=abc' })).status, 403);
    assert.equal((await post(body, { 'x-hub-signature-256': sign(body, t.appSecret).slice(0, 40) })).status, 403);
    assert.equal(await events(), before);
  });

  it('400 for a signed body that is not JSON (or truncated JSON), and nothing stored', async () => {
    const before = await events();
    const full = metaJsonStringify(payload());
    for (const raw of ['not json at all', full.slice(0, full.length - 7), '[1,2,3]', '']) {
      const body = Buffer.from(raw, 'utf8');
      const r = await post(body, { 'x-hub-signature-256': sign(body, t.appSecret) });
      assert.equal(r.status, 400, JSON.stringify(raw.slice(0, 20)));
    }
    assert.equal(await events(), before);
  });

  it('a truncated body under the full body\'s signature is 403, never a 500', async () => {
    const body = Buffer.from(metaJsonStringify(payload()), 'utf8');
    const r = await post(body.subarray(0, body.length - 10), { 'x-hub-signature-256': sign(body, t.appSecret) });
    assert.equal(r.status, 403);
  });

  it('413 for bodies over 3 MB; an unknown but signed shape is accepted and safely ignored', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 10, 0x20);
    assert.equal((await post(big, { 'x-hub-signature-256': sign(big, t.appSecret) })).status, 413);
    const odd = Buffer.from(metaJsonStringify({ object: 'page', entry: [{ id: 1, changes: [{ field: 'feed', value: { x: 1 } }] }], extra: { y: [1] } }));
    const before = await events();
    assert.equal((await post(odd, { 'x-hub-signature-256': sign(odd, t.appSecret) })).status, 200);
    assert.equal(await events(), before + 1);
    await t.work();
    const row = await t.app.deps.db('webhook_events').orderBy('id', 'desc').first();
    assert.equal(row.status, 'done');
  });
});
