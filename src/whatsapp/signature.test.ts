import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkSignature, metaJsonStringify, sign, signedMetaBody, verifySignature } from './signature.js';

const SECRET = 'app-secret-123';
const payload = {
  object: 'whatsapp_business_account',
  entry: [{ id: '1', changes: [{ field: 'messages', value: { messages: [{ text: { body: 'Olá, São Paulo! 😀 https://x.test/a' } }] } }] }],
};

describe('metaJsonStringify', () => {
  it("escapes non-ASCII and '/' like Meta, and round-trips", () => {
    const s = metaJsonStringify(payload);
    assert.ok(/^[\x20-\x7e]*$/.test(s), 'output is printable ASCII');
    assert.ok(s.includes('Ol\\u00e1, S\\u00e3o Paulo! \\ud83d\\ude00 https:\\/\\/x.test\\/a'), s);
    assert.deepEqual(JSON.parse(s), payload);
    assert.notEqual(s, JSON.stringify(payload));
  });

  it('keeps already-escaped backslashes intact', () => {
    const v = { p: 'a\\/b', q: '\u0000' };
    assert.deepEqual(JSON.parse(metaJsonStringify(v)), v);
  });
});

describe('signature', () => {
  it('signs like an independent HMAC', () => {
    const body = Buffer.from('{"a":1}');
    assert.equal(sign(body, SECRET), 'sha256=' + createHmac('sha256', SECRET).update(body).digest('hex'));
  });

  it("verifies accents and emoji over Meta's escaped bytes", () => {
    const { body, signature } = signedMetaBody(payload, SECRET);
    assert.equal(verifySignature(body, signature, SECRET), true);
    // The classic bug: verifying a re-serialised body instead of the raw bytes.
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    assert.equal(verifySignature(reserialised, signature, SECRET), false);
  });

  it('verifies raw UTF-8 (unescaped) bodies too: bytes are what count', () => {
    const raw = Buffer.from(JSON.stringify(payload), 'utf8');
    assert.equal(verifySignature(raw, sign(raw, SECRET), SECRET), true);
  });

  it('accepts an upper-case hex digest and a single-element header array', () => {
    const { body, signature } = signedMetaBody(payload, SECRET);
    assert.equal(verifySignature(body, 'sha256=' + signature.slice(7).toUpperCase(), SECRET), true);
    assert.equal(verifySignature(body, [signature], SECRET), true);
  });

  it('rejects wrong secret, truncated or altered body', () => {
    const { body, signature } = signedMetaBody(payload, SECRET);
    assert.deepEqual(checkSignature(body, signature, 'other-secret'), { ok: false, reason: 'mismatch' });
    assert.deepEqual(checkSignature(body.subarray(0, body.length - 1), signature, SECRET), { ok: false, reason: 'mismatch' });
    const altered = Buffer.from(body);
    altered[10] = altered[10]! ^ 1;
    assert.deepEqual(checkSignature(altered, signature, SECRET), { ok: false, reason: 'mismatch' });
  });

  it('rejects missing and malformed headers without throwing', () => {
    const { body, signature } = signedMetaBody(payload, SECRET);
    assert.deepEqual(checkSignature(body, undefined, SECRET), { ok: false, reason: 'missing' });
    assert.deepEqual(checkSignature(body, '', SECRET), { ok: false, reason: 'missing' });
    for (const bad of [
      signature.slice(7), // no prefix
      'sha1=' + signature.slice(7),
      signature.slice(0, -2), // short digest
      signature + 'ab', // long digest
      'sha256=' + 'z'.repeat(64),
      'sha256=',
    ]) {
      assert.deepEqual(checkSignature(body, bad, SECRET), { ok: false, reason: 'malformed' }, bad);
    }
    assert.deepEqual(checkSignature(body, [signature, signature], SECRET), { ok: false, reason: 'malformed' });
  });

  it('refuses an empty secret', () => {
    assert.throws(() => verifySignature(Buffer.from('x'), 'sha256=' + '0'.repeat(64), ''), TypeError);
  });
});
