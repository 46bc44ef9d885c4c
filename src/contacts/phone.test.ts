import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messages } from './i18n.js';
import { looksLikePhone, normalizePhone, variantsOf, waIdToE164, waKeyOf, type PhoneResult } from './phone.js';

function ok(input: unknown, country?: string | null): Extract<PhoneResult, { ok: true }> {
  const r = normalizePhone(input, country);
  assert.ok(r.ok, `${JSON.stringify(input)} (${country}) should be valid, got ${JSON.stringify(r)}`);
  return r;
}

function sameIdentity(inputs: Array<[unknown, string?]>, key: string, e164?: string): void {
  for (const [input, country] of inputs) {
    const r = ok(input, country);
    assert.equal(r.waKey, key, `${JSON.stringify(input)} → waKey`);
    if (e164) assert.equal(r.e164, e164, `${JSON.stringify(input)} → e164`);
  }
}

describe('normalizePhone: Mexico', () => {
  it('resolves the +52 1 mobile marker and every national spelling to one number', () => {
    sameIdentity(
      [
        ['+52 1 55 1234 5678'], ['+52 55 1234 5678'], ['+5215512345678'], ['+525512345678'],
        ['5215512345678', 'MX'], ['525512345678', 'MX'], ['55 1234 5678', 'MX'], ['(55) 1234-5678', 'MX'],
        ['55.1234.5678', 'MX'], ['55-1234-5678', 'MX'], ['044 55 1234 5678', 'MX'], ['045 55 1234 5678', 'MX'],
        ['01 55 1234 5678', 'MX'], ['1 55 1234 5678', 'MX'], ['0052 55 1234 5678'], ['00 52 1 55 1234 5678'],
        ['tel:+52-55-1234-5678'], ['+52 (55) 1234/5678'], ['  +52 55 1234 5678  '], [5215512345678, 'MX'],
        ['0052 55 1234 5678', 'US'], ['011 52 55 1234 5678', 'US'], ['55 1234 5678', 'mx'],
      ],
      '525512345678',
      '+525512345678',
    );
  });

  it('handles three-digit area codes', () => {
    sameIdentity([['+52 1 222 123 4567'], ['222 123 4567', 'MX'], ['+52 222 123 4567']], '522221234567', '+522221234567');
  });

  it('reports the country', () => {
    assert.equal(ok('+52 55 1234 5678').country, 'MX');
  });
});

describe('normalizePhone: Argentina', () => {
  it('merges +54 9, +54 without 9, and the national 15 prefix (Buenos Aires)', () => {
    sameIdentity(
      [
        ['+54 9 11 2345-6789'], ['+54 11 2345-6789'], ['+54 11 15 2345-6789'], ['+54 9 11 15 2345 6789'],
        ['011 15 2345-6789', 'AR'], ['11 15 2345 6789', 'AR'], ['(011) 15-2345-6789', 'AR'],
        ['0054 9 11 2345 6789'], ['5491123456789', 'MX'], ['11 2345 6789', 'AR'],
      ],
      '5491123456789',
    );
  });

  it('keeps the mobile form as e164 when the input says mobile', () => {
    assert.equal(ok('+54 9 11 2345-6789').e164, '+5491123456789');
    assert.equal(ok('011 15 2345-6789', 'AR').e164, '+5491123456789');
    assert.equal(ok('+54 9 11 15 2345 6789').e164, '+5491123456789');
  });

  it('merges Córdoba numbers with a three-digit area code', () => {
    sameIdentity([['0351 15 234 5678', 'AR'], ['+54 351 234 5678'], ['+54 9 351 234-5678']], '5493512345678');
  });

  it('does not touch non-geographic numbers', () => {
    const r = ok('0800 123 4567', 'AR');
    assert.equal(r.waKey, '548001234567');
    assert.deepEqual(variantsOf(r.e164), ['+548001234567']);
  });
});

describe('normalizePhone: Brazil', () => {
  it('merges mobiles with and without the ninth digit', () => {
    sameIdentity(
      [
        ['+55 11 98765-4321'], ['+55 (11) 98765-4321'], ['+55 11 8765-4321'], ['+551187654321'],
        ['(11) 98765-4321', 'BR'], ['(11) 8765-4321', 'BR'], ['011 98765 4321', 'BR'], ['0 21 11 98765-4321', 'BR'],
        ['5511987654321', 'MX'], ['551187654321', 'MX'], ['+55 11 9 8765 4321'],
      ],
      '5511987654321',
      '+5511987654321',
    );
  });

  it('leaves landlines alone and never merges them with a mobile', () => {
    const land = ok('+55 11 2765-4321');
    assert.equal(land.e164, '+551127654321');
    assert.equal(land.waKey, '551127654321');
    assert.notEqual(ok('+55 11 92765-4321').waKey, land.waKey);
    assert.deepEqual(variantsOf(land.e164), ['+551127654321']);
  });

  it('keeps new 9-1xxx mobile ranges, which never had an 8-digit form', () => {
    const r = ok('+55 11 91234-5678');
    assert.equal(r.waKey, '5511912345678');
    assert.deepEqual(variantsOf(r.e164), ['+5511912345678']);
  });
});

describe('normalizePhone: other countries', () => {
  const cases: Array<[string, string | undefined, string, string]> = [
    ['+57 300 123 4567', undefined, '+573001234567', 'CO'],
    ['573001234567', 'MX', '+573001234567', 'CO'],
    ['300 123 4567', 'CO', '+573001234567', 'CO'],
    ['+56 9 4123 4567', undefined, '+56941234567', 'CL'],
    ['9 4123 4567', 'CL', '+56941234567', 'CL'],
    ['+51 912 345 678', undefined, '+51912345678', 'PE'],
    ['912 345 678', 'PE', '+51912345678', 'PE'],
    ['+34 612 34 56 78', undefined, '+34612345678', 'ES'],
    ['0034 612345678', undefined, '+34612345678', 'ES'],
    ['612 345 678', 'ES', '+34612345678', 'ES'],
    ['+1 (305) 234-5678', undefined, '+13052345678', 'US'],
    ['(305) 234-5678', 'US', '+13052345678', 'US'],
    ['1-305-234-5678', 'US', '+13052345678', 'US'],
  ];
  for (const [input, country, e164, cc] of cases) {
    it(`${input} (${country ?? 'no default'}) → ${e164}`, () => {
      const r = ok(input, country);
      assert.equal(r.e164, e164);
      assert.equal(r.country, cc);
      assert.equal(r.waKey, e164.slice(1));
    });
  }
});

describe('normalizePhone: messy input', () => {
  it('strips invisible marks, full-width digits, extensions and URI schemes', () => {
    for (const input of ['\u202a+52 55 1234 5678\u202c', '\u200e+52\u00a055\u00a01234\u00a05678', '＋５２ ５５ １２３４ ５６７８',
      '+52 55 1234 5678 ext. 12', 'whatsapp:+525512345678', "'+52 55 1234 5678"]) {
      assert.equal(ok(input).e164, '+525512345678', input);
    }
  });

  it('takes the first of several Google Contacts numbers', () => {
    assert.equal(ok('+52 55 1234 5678 ::: +52 33 1234 5678').e164, '+525512345678');
  });

  it('recovers spreadsheet numbers only when no digit was lost', () => {
    assert.equal(ok('5.215512345678E+12', 'MX').e164, '+525512345678');
    assert.equal(ok('5512345678.0', 'MX').e164, '+525512345678');
    assert.equal(ok('5,215512345678E+12', 'MX').e164, '+525512345678');
  });
});

describe('normalizePhone: refused input', () => {
  const cases: Array<[unknown, string | null | undefined, string]> = [
    ['', 'MX', 'contacts.phone.empty'],
    ['   ', 'MX', 'contacts.phone.empty'],
    [null, 'MX', 'contacts.phone.empty'],
    [undefined, undefined, 'contacts.phone.empty'],
    [{}, 'MX', 'contacts.phone.empty'],
    [' ::: ', 'MX', 'contacts.phone.empty'],
    ['5512345678', undefined, 'contacts.phone.missing_country_code'],
    ['55 1234 5678', null, 'contacts.phone.missing_country_code'],
    ['5215512345678', undefined, 'contacts.phone.missing_country_code'],
    ['55 1234 5678', 'XX', 'contacts.phone.missing_country_code'],
    ['123', 'MX', 'contacts.phone.too_short'],
    ['55 123', 'MX', 'contacts.phone.too_short'],
    ['+52 55', undefined, 'contacts.phone.too_short'],
    ['+52 55 1234 5678 9999', undefined, 'contacts.phone.too_long'],
    ['+999 1234 5678', undefined, 'contacts.phone.invalid_country_code'],
    ['abc', 'MX', 'contacts.phone.not_a_number'],
    ['sin teléfono', 'MX', 'contacts.phone.not_a_number'],
    ['N/A', undefined, 'contacts.phone.not_a_number'],
    ['5.21555E+12', 'MX', 'contacts.phone.excel_scientific'],
    ['5,21555E+12', 'MX', 'contacts.phone.excel_scientific'],
    ['5.2E+3', 'MX', 'contacts.phone.excel_scientific'],
    ['+55 11 1234-5678', undefined, 'contacts.phone.invalid'],
    ['+1 055 234 5678', undefined, 'contacts.phone.invalid'],
  ];
  for (const [input, country, code] of cases) {
    it(`${JSON.stringify(input)} (${country}) → ${code}`, () => {
      assert.deepEqual(normalizePhone(input, country), { ok: false, code });
      assert.ok(messages.es[code] && messages.en[code], `${code} has es/en text`);
    });
  }
});

describe('waIdToE164 / waKeyOf / variantsOf', () => {
  it('maps Meta wa_ids to canonical E.164', () => {
    assert.equal(waIdToE164('5215512345678'), '+525512345678');
    assert.equal(waIdToE164('525512345678'), '+525512345678');
    assert.equal(waIdToE164('551187654321'), '+5511987654321');
    assert.equal(waIdToE164('5511987654321'), '+5511987654321');
    assert.equal(waIdToE164('5491123456789'), '+5491123456789');
    assert.equal(waIdToE164('34612345678'), '+34612345678');
  });

  it('trusts a wa_id our metadata does not know yet, refuses non-digits', () => {
    assert.equal(waIdToE164('99912345678'), '+99912345678');
    assert.equal(waIdToE164(''), null);
    assert.equal(waIdToE164('abc'), null);
    assert.equal(waIdToE164('1234567890123456'), null);
  });

  it('gives one key for every variant, from E.164 or wa_id', () => {
    assert.equal(waKeyOf('+5215512345678'), '525512345678');
    assert.equal(waKeyOf('525512345678'), '525512345678');
    assert.equal(waKeyOf('541123456789'), '5491123456789');
    assert.equal(waKeyOf('551187654321'), '5511987654321');
    assert.equal(waKeyOf('nope'), null);
  });

  it('lists every spelling, canonical first', () => {
    assert.deepEqual(variantsOf('+525512345678'), ['+525512345678', '+5215512345678']);
    assert.deepEqual(variantsOf('+5215512345678'), ['+525512345678', '+5215512345678']);
    assert.deepEqual(variantsOf('+541123456789'), ['+5491123456789', '+541123456789']);
    assert.deepEqual(variantsOf('+5511987654321'), ['+5511987654321', '+551187654321']);
    assert.deepEqual(variantsOf('+34612345678'), ['+34612345678']);
    assert.deepEqual(variantsOf(''), []);
  });

  it('every variant normalises back to the same key (inbound wa_id matching)', () => {
    for (const e164 of ['+525512345678', '+5491123456789', '+5493512345678', '+5511987654321', '+5521976543210']) {
      const key = ok(e164).waKey;
      for (const v of variantsOf(e164)) {
        assert.equal(ok(v).waKey, key, v);
        assert.equal(waKeyOf(v.slice(1)), key, v);
        assert.equal(ok(waIdToE164(v.slice(1))).waKey, key, v);
      }
    }
  });

  it('keeps different subscribers apart', () => {
    const keys = ['+525512345678', '+525512345679', '+5491123456789', '+541123456788', '+5511987654321', '+551127654321']
      .map((p) => ok(p).waKey);
    assert.equal(new Set(keys).size, keys.length);
  });
});

describe('looksLikePhone', () => {
  it('accepts phone-shaped text and rejects the rest', () => {
    for (const v of ['+52 55 1234 5678', '(55) 1234-5678', '0052 55 1234 5678', '5512345678', '55.1234.5678']) assert.ok(looksLikePhone(v), v);
    for (const v of ['Teléfono', '123456', '2024-01-15T10:00', 'ana@x.mx', '1234567890123456', '', '2024-01-15', '15/01/2024', '15.01.24']) assert.ok(!looksLikePhone(v), v);
  });
});
