import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLanguage, parseOptIn, parseTimezone, splitTags } from './field-values.js';
import { countriesWithTimezone, languageForCountry, timezoneForCountry, timezoneForPhone } from './timezone.js';

describe('timezoneForCountry', () => {
  it('picks the most populous zone of multi-zone countries', () => {
    assert.equal(timezoneForCountry('MX'), 'America/Mexico_City');
    assert.equal(timezoneForCountry('BR'), 'America/Sao_Paulo');
    assert.equal(timezoneForCountry('AR'), 'America/Argentina/Buenos_Aires');
    assert.equal(timezoneForCountry('US'), 'America/New_York');
    assert.equal(timezoneForCountry('CO'), 'America/Bogota');
    assert.equal(timezoneForCountry('CL'), 'America/Santiago');
    assert.equal(timezoneForCountry('ES'), 'Europe/Madrid');
  });

  it('is case-insensitive and falls back for unknown countries', () => {
    assert.equal(timezoneForCountry('pe'), 'America/Lima');
    assert.equal(timezoneForCountry('ZZ'), 'UTC');
    assert.equal(timezoneForCountry(null, 'America/Mexico_City'), 'America/Mexico_City');
    assert.equal(timezoneForCountry(undefined), 'UTC');
  });

  it('only returns zones the runtime knows', () => {
    const known = new Set(Intl.supportedValuesOf('timeZone'));
    for (const c of countriesWithTimezone()) {
      const tz = timezoneForCountry(c);
      assert.ok(known.has(tz) || parseTimezone(tz) !== null, `${c} → ${tz}`);
    }
  });
});

describe('timezoneForPhone', () => {
  it('infers the zone from the number', () => {
    assert.equal(timezoneForPhone('+54 9 11 2345 6789'), 'America/Argentina/Buenos_Aires');
    assert.equal(timezoneForPhone('+52 1 55 1234 5678'), 'America/Mexico_City');
    assert.equal(timezoneForPhone('+55 11 98765 4321'), 'America/Sao_Paulo');
    assert.equal(timezoneForPhone('+1 305 234 5678'), 'America/New_York');
  });

  it('falls back when the number is unusable', () => {
    assert.equal(timezoneForPhone('12'), 'UTC');
    assert.equal(timezoneForPhone('', 'Europe/Madrid'), 'Europe/Madrid');
  });
});

describe('languageForCountry', () => {
  it('Spanish for Spanish- and Portuguese-speaking countries, English otherwise', () => {
    for (const c of ['MX', 'AR', 'CO', 'CL', 'PE', 'ES', 'VE', 'UY', 'br', 'PT']) assert.equal(languageForCountry(c), 'es', c);
    for (const c of ['US', 'GB', 'CA', 'FR', 'DE']) assert.equal(languageForCountry(c), 'en', c);
  });

  it('uses the fallback when the country is unknown', () => {
    assert.equal(languageForCountry(null), 'en');
    assert.equal(languageForCountry(undefined, 'es'), 'es');
  });
});

describe('field values', () => {
  it('splits tags from any separator and Google group cells', () => {
    assert.deepEqual(splitTags('vip, cliente'), ['vip', 'cliente']);
    assert.deepEqual(splitTags('vip;cliente|Mayorista'), ['vip', 'cliente', 'Mayorista']);
    assert.deepEqual(splitTags('* myContacts ::: Clientes ::: VIP ::: * starred'), ['Clientes', 'VIP']);
    assert.deepEqual(splitTags('* friends ::: Odontología'), ['friends', 'Odontología']);
    assert.deepEqual(splitTags('VIP, vip , Vip'), ['VIP']);
    assert.deepEqual(splitTags('  '), []);
  });

  it('reads opt-in answers in Spanish and English', () => {
    for (const v of ['sí', 'Sí', 'SI', 'si', 'yes', 'Y', 'true', '1', 'x', '✓', 'Opt-in']) assert.equal(parseOptIn(v), true, v);
    for (const v of ['no', 'NO', 'false', '0', 'n', 'baja', 'opt-out']) assert.equal(parseOptIn(v), false, v);
    for (const v of ['', 'quizás', '2']) assert.equal(parseOptIn(v), null, v);
  });

  it('reads languages', () => {
    assert.equal(parseLanguage('es-MX'), 'es');
    assert.equal(parseLanguage('Español'), 'es');
    assert.equal(parseLanguage('English'), 'en');
    assert.equal(parseLanguage('en_US'), 'en');
    assert.equal(parseLanguage('pt-BR'), 'es');
    assert.equal(parseLanguage('fr'), null);
  });

  it('accepts IANA zones only', () => {
    assert.equal(parseTimezone('America/Mexico_City'), 'America/Mexico_City');
    assert.equal(parseTimezone(' Europe/Madrid '), 'Europe/Madrid');
    assert.equal(parseTimezone('Mars/Olympus'), null);
    assert.equal(parseTimezone(''), null);
  });
});
