// The catalogues are complete in both languages, and every key the code and
// views ask for exists; interpolation and Accept-Language negotiation.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { BUNDLES, buildCatalog } from './catalog.js';
import { interpolate, isLocale, LOCALES, mergeBundles, negotiate, translator } from './i18n.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// `{name}` is filled by t(); `{{name}}` is literal text (the message-variable syntax users type) and may be translated.
const placeholders = (s: string) => [...s.matchAll(/(?<!\{)\{(\w+)\}(?!\})/g)].map((m) => m[1]).sort();

function filesUnder(dir: string, ext: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, ext, out);
    else if (e.name.endsWith(ext) && !e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

describe('i18n catalogues', () => {
  for (const [name, bundle] of Object.entries(BUNDLES)) {
    it(`${name}: every key exists in es and en, with no empty value and the same placeholders`, () => {
      const keys = new Set([...Object.keys(bundle.es), ...Object.keys(bundle.en)]);
      assert.ok(keys.size > 0, 'bundle has strings');
      for (const key of keys) {
        for (const loc of LOCALES) {
          const v = bundle[loc][key];
          assert.equal(typeof v, 'string', `${name}: ${loc} lacks ${key}`);
          assert.ok(v!.trim().length > 0, `${name}: ${loc}:${key} is empty`);
        }
        assert.deepEqual(placeholders(bundle.es[key]!), placeholders(bundle.en[key]!), `${name}: ${key} placeholders differ between es and en`);
      }
    });
  }

  it('merges without duplicate keys across features', () => {
    const catalog = buildCatalog();
    assert.deepEqual(Object.keys(catalog.es).sort(), Object.keys(catalog.en).sort());
    assert.throws(() => mergeBundles([{ en: { 'a.b': 'x' }, es: { 'a.b': 'x' } }, { en: { 'a.b': 'y' }, es: { 'a.b': 'y' } }]), /Duplicate i18n key/);
  });

  it('has every literal key that the views and the code pass to t()', () => {
    const catalog = buildCatalog();
    const files = [...filesUnder(path.join(ROOT, 'views'), '.ejs'), ...filesUnder(path.join(ROOT, 'src'), '.ts')];
    const missing: string[] = [];
    for (const f of files) {
      // A key ending in '.' is completed at run time (t('lang.' + l)); those are not literal.
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([A-Za-z0-9_.-]+)'/g)) {
        const key = m[1]!;
        if (!key.endsWith('.') && !(key in catalog.es)) missing.push(`${path.relative(ROOT, f)}: ${key}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});

describe('translator and interpolation', () => {
  const catalog = buildCatalog();

  it('fills {placeholders} and leaves unknown ones visible', () => {
    assert.equal(interpolate('Hola, {name}', { name: 'Ana' }), 'Hola, Ana');
    assert.equal(interpolate('{n} de {total}', { n: 3, total: 10 }), '3 de 10');
    assert.equal(interpolate('Hola, {name}', {}), 'Hola, {name}');
    assert.equal(interpolate('Hola, {name}', { name: null }), 'Hola, {name}');
    assert.equal(interpolate('sin parámetros'), 'sin parámetros');
  });

  it('translates in the chosen language and falls back to the key', () => {
    assert.equal(translator(catalog, 'es')('dashboard.welcome', { name: 'Ana' }), 'Hola, Ana');
    assert.equal(translator(catalog, 'en')('dashboard.welcome', { name: 'Ana' }), 'Welcome, Ana');
    assert.equal(translator(catalog, 'es')('no.such.key'), 'no.such.key');
  });

  it('falls back to English for a key only English has', () => {
    const t = translator({ en: { 'x.only_en': 'Only {n}' }, es: {} }, 'es');
    assert.equal(t('x.only_en', { n: 2 }), 'Only 2');
  });
});

describe('negotiate', () => {
  it('picks the best supported language from Accept-Language', () => {
    assert.equal(negotiate('es-MX,es;q=0.9,en;q=0.8', 'en'), 'es');
    assert.equal(negotiate('en-US,en;q=0.9', 'es'), 'en');
    assert.equal(negotiate('fr-FR,fr;q=0.9,en;q=0.5,es;q=0.7', 'en'), 'es', 'by quality, not order');
    assert.equal(negotiate('EN-gb', 'es'), 'en', 'case-insensitive');
  });

  it('falls back to the install default when nothing matches or the header is missing', () => {
    assert.equal(negotiate(undefined, 'es'), 'es');
    assert.equal(negotiate('', 'en'), 'en');
    assert.equal(negotiate('de-DE,fr;q=0.8', 'es'), 'es');
    assert.equal(negotiate('*', 'en'), 'en');
  });

  it('knows exactly the supported locales', () => {
    assert.deepEqual([...LOCALES].sort(), ['en', 'es']);
    assert.ok(isLocale('es') && isLocale('en'));
    assert.ok(!isLocale('fr') && !isLocale('ES') && !isLocale(undefined));
  });
});
