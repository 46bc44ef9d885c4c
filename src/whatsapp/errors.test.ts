import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classify,
  classifyError,
  HANDLED_CODES,
  MetaApiError,
  NO_ENVELOPE_CODE,
  policyFor,
  retryDelayMs,
  WhatsAppTransportError,
} from './errors.js';
import { EXPECTED, EXPECTED_BY_CODE } from './testdata/policy-table.js';

describe('classify', () => {
  it('handles exactly the codes of §3.2', () => {
    assert.deepEqual([...HANDLED_CODES].sort((a, b) => a - b), [...EXPECTED_BY_CODE.keys()].sort((a, b) => a - b));
  });

  for (const [action, codes] of Object.entries(EXPECTED)) {
    it(`maps ${codes.length} codes to ${action}`, () => {
      for (const code of codes) assert.equal(classify(code), action, `code ${code}`);
    });
  }

  it('uses subcodes only to refine meaning', () => {
    assert.equal(classify(100, 2388024), 'fix_request');
    assert.match(policyFor(100, 2388024).meaning, /already exists/);
    assert.match(policyFor(100, 2388019).meaning, /250/);
    assert.equal(classify(131056, 2494055), 'retry_recipient_later');
    assert.equal(classify(131047, 999), 'never_retry');
  });

  it('defaults unknown codes to no retry, unknown template codes to fix_request', () => {
    assert.equal(classify(987654), 'never_retry');
    assert.equal(classify(132999), 'fix_request');
    assert.equal(policyFor(250).alert, true);
  });

  it('scopes template and recipient problems narrowly', () => {
    assert.equal(policyFor(132015).scope, 'template');
    assert.equal(policyFor(131056).scope, 'recipient');
    assert.equal(policyFor(190).scope, 'app');
    assert.ok((policyFor(131049).minDelayMs ?? 0) >= 24 * 3600 * 1000);
    assert.equal(policyFor(131057).minDelayMs, 60_000);
  });
});

describe('MetaApiError', () => {
  const envelope = {
    error: {
      message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
      type: 'OAuthException',
      code: 131056,
      error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because there were too many messages.' },
      error_subcode: 2494055,
      fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam',
    },
  };

  it('parses the §3.1 envelope from text', () => {
    const e = MetaApiError.fromResponse(400, JSON.stringify(envelope));
    assert.equal(e.httpStatus, 400);
    assert.equal(e.code, 131056);
    assert.equal(e.subcode, 2494055);
    assert.equal(e.type, 'OAuthException');
    assert.equal(e.details, 'Message failed to send because there were too many messages.');
    assert.equal(e.fbtraceId, 'Az8or2yhqkZfEZ-_4Qn_Bam');
    assert.match(e.message, /pair rate limit/);
    assert.equal(e.action, 'retry_recipient_later');
    assert.equal(classifyError(e), 'retry_recipient_later');
  });

  it('classifies by code whatever the HTTP status', () => {
    assert.equal(MetaApiError.fromResponse(200, envelope).action, 'retry_recipient_later');
    assert.equal(MetaApiError.fromResponse(500, { error: { code: 131047, message: 'x' } }).action, 'never_retry');
  });

  it('tolerates bodies without an envelope', () => {
    const bad = MetaApiError.fromResponse(502, '<html>Bad gateway</html>');
    assert.equal(bad.code, NO_ENVELOPE_CODE);
    assert.equal(bad.action, 'retry');
    assert.match(bad.message, /Bad gateway/);
    assert.equal(MetaApiError.fromResponse(404, '').action, 'never_retry');
    assert.equal(MetaApiError.fromResponse(400, { error: { code: 'x' } }).code, NO_ENVELOPE_CODE);
  });
});

describe('transport errors and delays', () => {
  it('retries transport errors', () => {
    const e = new WhatsAppTransportError('timeout', 'POST /messages: timeout', true);
    assert.equal(classifyError(e), 'retry');
    assert.equal(classifyError(new Error('boom')), 'never_retry');
  });

  it("follows Meta's 4^X recipe for pair rate", () => {
    assert.deepEqual([0, 1, 2, 3].map((x) => retryDelayMs(131056, x)), [1000, 4000, 16000, 64000]);
  });

  it('backs off exponentially with bounded jitter', () => {
    assert.equal(retryDelayMs(130429, 0, () => 0), 1000);
    assert.equal(retryDelayMs(130429, 3, () => 0), 8000);
    assert.equal(retryDelayMs(130429, 3, () => 1), 10000);
    assert.equal(retryDelayMs(131057, 0, () => 0), 60_000);
    assert.equal(retryDelayMs(131049, 5), 24 * 3600 * 1000);
  });
});
