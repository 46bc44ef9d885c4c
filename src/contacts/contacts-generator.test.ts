// The benchmark data generator (bench/contacts-generator.ts) is tested here
// because its output is what the import reader must handle at scale.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CSV_HEADERS, DEFAULT_COUNTRY, generateContacts, mulberry32, writeContactsCsv, type CsvOptions,
} from '../../bench/contacts-generator.js';
import { splitTags } from './field-values.js';
import { readHeader, records } from './import-reader.js';
import { normalizePhone, variantsOf } from './phone.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chatflow-gen-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, opts: CsvOptions): Promise<Buffer> {
  const path = join(dir, name);
  await writeContactsCsv(path, opts);
  return readFile(path);
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('generator determinism', () => {
  it('mulberry32 repeats for a seed and stays in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(xs, Array.from({ length: 1000 }, () => b()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(xs.slice(0, 5), Array.from({ length: 5 }, mulberry32(8)));
  });

  it('same seed → same contacts; other seed → other contacts', () => {
    const a = [...generateContacts(500, { seed: 1 })];
    assert.deepEqual(a, [...generateContacts(500, { seed: 1 })]);
    assert.notDeepEqual(a, [...generateContacts(500, { seed: 2 })]);
  });

  it('same options → same bytes, for every encoding', async () => {
    for (const encoding of ['utf8', 'utf8-bom', 'latin1'] as const) {
      const opts: CsvOptions = { rows: 1000, seed: 9, encoding, delimiter: ';' };
      assert.equal(sha(await write(`a-${encoding}.csv`, opts)), sha(await write(`b-${encoding}.csv`, opts)), encoding);
    }
    const utf8 = await write('c.csv', { rows: 1000, seed: 9 });
    assert.notEqual(sha(utf8), sha(await write('d.csv', { rows: 1000, seed: 10 })));
  });

  it('writes the requested encoding', async () => {
    const bom = await write('bom.csv', { rows: 10, encoding: 'utf8-bom' });
    assert.deepEqual([...bom.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const latin = await write('latin.csv', { rows: 10, encoding: 'latin1' });
    assert.ok(latin.includes(Buffer.from('Teléfono', 'latin1')));
    assert.ok(!latin.includes(Buffer.from('é', 'utf8')));
  });

  it('produces realistic variety: countries, LatAm variants, accents, bad rows', () => {
    const rows = [...generateContacts(5000, { seed: 3, badRatio: 0.05 })];
    const countries = new Set(rows.map((r) => r.country));
    for (const c of ['MX', 'AR', 'BR', 'CO', 'CL', 'PE', 'ES', 'US']) assert.ok(countries.has(c), c);
    assert.ok(rows.some((r) => r.phone.startsWith('+52 1 ')));
    assert.ok(rows.some((r) => r.phone.startsWith('+54 9 ')));
    assert.ok(rows.some((r) => /^\+55 \d\d \d{4}-\d{4}$/.test(r.phone)), 'Brazilian mobile without the ninth digit');
    assert.ok(rows.some((r) => /[ñçãéí]/.test(r.firstName + r.lastName)));
    const bad = rows.filter((r) => r.bad).length;
    assert.ok(bad > 150 && bad < 350, `bad rows: ${bad}`);
  });
});

describe('generator → import reader round trip', () => {
  for (const [delimiter, encoding] of [[';', 'latin1'], [',', 'utf8-bom']] as const) {
    it(`${encoding} with "${delimiter}": every row and phone comes back`, async () => {
      const path = join(dir, `rt-${encoding}.csv`);
      const total = 1500;
      await writeContactsCsv(path, { rows: total, seed: 5, delimiter, encoding, badRatio: 0.05 });
      const h = await readHeader(path, { defaultCountry: DEFAULT_COUNTRY });
      assert.deepEqual(h.columns, CSV_HEADERS);
      assert.deepEqual(h.mapping.map((c) => c.target), [
        'first_name', 'last_name', 'phone', 'email', 'tags', 'notes', 'custom:city', 'custom:birthday', 'custom:plan', 'opt_in',
      ]);
      const expected = generateContacts(total, { seed: 5, badRatio: 0.05 });
      let count = 0;
      for await (const rec of records(path, { format: h.format })) {
        const g = expected.next().value!;
        count++;
        assert.equal(rec.rowNumber, count + 1);
        const [first, last, phone, email, tags, notes, city] = rec.values;
        assert.deepEqual([first, last, phone, email, notes, city], [g.firstName, g.lastName, g.phone.trim(), g.email, g.notes, g.custom.city]);
        assert.deepEqual(splitTags(tags), g.tags);
        assert.equal(rec.issue?.code, g.bad === 'ragged' ? 'contacts.import.row_extra_columns' : undefined);
        const p = normalizePhone(phone, DEFAULT_COUNTRY);
        assert.equal(p.ok ? p.waKey : null, g.waKey, `row ${rec.rowNumber}: ${phone}`);
        // Argentina's "+54 11 …" and Brazil's still-valid 8-digit 7xxx lines keep
        // their spelling as e164; it must still be a variant of the canonical one.
        if (p.ok) assert.ok(variantsOf(g.e164!).includes(p.e164), `${phone} → ${p.e164}`);
      }
      assert.equal(count, total);
    });
  }
});
