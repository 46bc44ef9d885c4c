// Every Meta error code of cloud-api.md §3.2 reaches people in their language
// with the code; the explained ones have their own text in both languages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCatalog } from '../i18n/catalog.js';
import { translator } from '../i18n/i18n.js';
import { HANDLED_CODES } from './errors.js';
import { EXPLAINED_CODES, metaErrorKey, metaErrorText } from './meta-errors.js';

const catalog = buildCatalog();
const es = translator(catalog, 'es');
const en = translator(catalog, 'en');

describe('Meta error texts', () => {
  it('every handled code shows its number in Spanish and English', () => {
    for (const code of HANDLED_CODES) {
      assert.ok(es(metaErrorKey(code), { code, details: 'x' }).includes(`código ${code}`), `es ${code}`);
      assert.ok(en(metaErrorKey(code), { code, details: 'x' }).includes(`code ${code}`), `en ${code}`);
    }
  });

  it('explained codes have their own key in both languages', () => {
    for (const code of EXPLAINED_CODES) {
      assert.ok(`whatsapp.meta.${code}` in catalog.es && `whatsapp.meta.${code}` in catalog.en, String(code));
    }
    assert.equal(metaErrorKey(999999), 'whatsapp.meta.other');
    assert.match(metaErrorText(es, 999999, 'Algo raro'), /Algo raro \(código 999999\)/);
    assert.match(metaErrorText(es, null, 'transport: timeout'), /No hubo respuesta de WhatsApp/);
  });
});
