// The import's per-row fast paths give exactly what the general path gives:
// fold() and the phone clean-up skip Unicode normalisation for ASCII text, so
// every generated row is compared with the full path (the old fold, and the
// same phone with an invisible character that forces NFKC + stripping).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateContacts } from '../../../bench/contacts-generator.js';
import { contactDerivedColumns, fold } from '../derive.js';
import { normalizePhone } from '../phone.js';

const ROWS = [...generateContacts(20_000, { seed: 42, badRatio: 0.05 })];

/** fold() as written before the ASCII fast path. */
function slowFold(s: string | null | undefined): string {
  if (!s) return '';
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

describe('import fast paths', () => {
  it('fold: ASCII and accented text fold as through NFD', () => {
    const samples = ['', '  José MUÑOZ ', 'ANA\u00a0 María', 'Ñandú\tÇa', 'plain ascii  TEXT', 'ǅemal Ωmega ΣΑΣ', 'e\u0301'];
    for (const r of ROWS) samples.push(r.firstName, r.lastName, `${r.firstName} ${r.lastName} ${r.email}`, r.custom.city, r.notes);
    let ascii = 0;
    for (const s of samples) {
      assert.equal(fold(s), slowFold(s), JSON.stringify(s));
      if (!/[^\x00-\x7f]/.test(s)) ascii++;
    }
    assert.ok(ascii > 1000 && ascii < samples.length - 1000, 'both paths are exercised');
  });

  it('phones: the ASCII path equals the NFKC path on every generated spelling, good and bad', () => {
    let ok = 0;
    for (const r of ROWS) {
      for (const country of ['MX', null]) {
        const fast = normalizePhone(r.phone, country);
        assert.deepEqual(fast, normalizePhone(`${r.phone}\u200b`, country), `${r.phone} (${country})`);
        if (fast.ok) ok++;
      }
      const mx = normalizePhone(r.phone, 'MX');
      assert.equal(mx.ok ? mx.waKey : null, r.waKey, r.phone);
    }
    assert.ok(ok > ROWS.length, `${ok} valid`);
  });

  it('derived columns match the generator\'s expectations', () => {
    for (const r of ROWS.slice(0, 2000)) {
      const d = contactDerivedColumns({ phone: r.phone, first_name: r.firstName, last_name: r.lastName, email: r.email }, { defaultCountry: 'MX' });
      if (!r.e164) continue;
      assert.ok(d.ok);
      assert.equal(d.columns.sort_name, slowFold(`${r.firstName} ${r.lastName}`));
      assert.equal(d.columns.search_text, slowFold(`${r.firstName} ${r.lastName} ${r.email.toLowerCase()} ${d.columns.phone.slice(1)}`));
    }
  });
});
