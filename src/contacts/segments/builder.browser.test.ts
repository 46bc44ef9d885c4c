// The contacts list and the segment builder in a real browser: search with
// the box, build a segment with the builder (live count while editing), save
// it, see its count filled in on the list, and the list on a phone-sized
// screen. No console errors or CSP violations. Screenshots in test-results/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { completeSetup, PASSWORD } from '../../../test/factories.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { browserSkipReason, launchBrowser, screenshot, type Browser } from '../../../test/browser/helpers.js';
import { auditAs } from '../../audit/context.js';
import { SYSTEM_ACTOR } from '../../audit/service.js';
import { createField } from '../fields-service.js';
import { seedContact } from '../test-support.js';

const skip = browserSkipReason();

describe('contacts and segment builder in a real browser', { skip }, () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    app = await startTestApp({ realClock: true });
    await completeSetup(app.client());
    const audit = auditAs(SYSTEM_ACTOR, app.deps.clock);
    await createField(app.deps, { key: 'puntos', label: 'Puntos', type: 'number', options: [] }, audit);
    await createField(app.deps, { key: 'plan', label: 'Plan', type: 'select', options: ['Básico', 'Premium'] }, audit);
    for (let i = 0; i < 12; i++) {
      await seedContact(app.deps, {
        phone: `+52 55 3000 ${String(1000 + i)}`, first_name: i % 3 ? 'Lucía' : 'Óscar', last_name: i % 2 ? 'Muñoz' : 'Peña', tags: i % 4 ? [] : ['vip'],
        custom: { puntos: i, plan: i % 2 ? 'Premium' : 'Básico' },
      });
    }
    browser = await launchBrowser({ locale: 'es-MX' });
    page = browser.page;
    await page.goto(`${app.url}/login`);
    await page.fill('#f-email', 'ana@clinica.mx');
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForURL(`${app.url}/`), page.click('form[action="/login"] button[type=submit]')]);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('searches by an accent-free fragment from the search box', async () => {
    await page.goto(`${app.url}/contacts`);
    await page.fill('#f-q', 'munoz');
    await Promise.all([page.waitForURL(/q=munoz/), page.click('form[role=search] button[type=submit]')]);
    const rows = await page.locator('table.contacts-table tbody tr').count();
    assert.equal(rows, 6);
    assert.match(await page.locator('table.contacts-table').innerText(), /Muñoz/);
    await screenshot(page, 'contacts-01-search.png');
    assert.deepEqual(browser.problems, []);
  });

  it('builds a segment with a live count and saves it', async () => {
    await page.goto(`${app.url}/segments/new`);
    assert.equal(await page.locator('#f-definition').isHidden(), true, 'the JSON box gives way to the builder');
    await page.fill('#f-name', 'VIP Muñoz');
    await page.click('text=Agregar condición');
    const rule = page.locator('.builder-rule').first();
    await rule.locator('select').nth(0).selectOption('tag');
    await rule.locator('select').nth(2).selectOption({ label: 'vip' });
    await page.waitForFunction(() => /3 contactos coinciden/.test(document.querySelector('[data-live-count]')?.textContent ?? ''));
    await page.click('text=Agregar condición');
    const second = page.locator('.builder-rule').nth(1);
    await second.locator('select').nth(0).selectOption('name');
    await second.locator('input').fill('pena');
    await page.waitForFunction(() => /3 contactos coinciden/.test(document.querySelector('[data-live-count]')?.textContent ?? ''));
    await page.locator('[data-builder] > .builder-group > .field select').selectOption('any');
    await page.waitForFunction(() => /6 contactos coinciden/.test(document.querySelector('[data-live-count]')?.textContent ?? ''));
    await screenshot(page, 'contacts-02-builder.png');
    await Promise.all([page.waitForURL(`${app.url}/segments`), page.click('form[data-segment-form] button[type=submit]')]);
    await page.waitForFunction(() => /6 contactos coinciden/.test(document.querySelector('[data-segment-count]')?.textContent ?? ''));
    await screenshot(page, 'contacts-03-segments.png');
    assert.deepEqual(browser.problems, []);
  });

  it('nests groups as deep as the compiler allows (4 levels) and counts while editing', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${app.url}/segments/new`);
    await page.fill('#f-name', 'Anidado');
    await page.click('[data-builder] > .builder-depth-0 > .btn-row [data-add-group]');
    await page.click('.builder-depth-1 > .btn-row [data-add-group]');
    await page.click('.builder-depth-2 > .btn-row [data-add-group]');
    assert.equal(await page.locator('.builder-depth-3').count(), 1);
    assert.equal(await page.locator('.builder-depth-3 > .btn-row [data-add-group]').count(), 0, 'no fifth level');
    // The new groups alternate AND / OR; drop the placeholder rules of levels 2 and 3.
    assert.equal(await page.locator('.builder-depth-1 > .field select').inputValue(), 'any');
    assert.equal(await page.locator('.builder-depth-2 > .field select').inputValue(), 'all');
    await page.locator('.builder-depth-2 > .builder-list > li > .builder-rule button').click();
    await page.locator('.builder-depth-1 > .builder-list > li > .builder-rule button').click();
    const deep = page.locator('.builder-depth-3 .builder-rule');
    await deep.locator('select').nth(0).selectOption('tag');
    await deep.locator('select').nth(2).selectOption({ label: 'vip' });
    await page.waitForFunction(() => /3 contactos coinciden/.test(document.querySelector('[data-live-count]')?.textContent ?? ''));
    // Level 4 is an OR: vip or Óscar.
    await page.click('.builder-depth-3 > .btn-row button:has-text("Agregar condición")');
    const second = page.locator('.builder-depth-3 .builder-rule').nth(1);
    await second.locator('select').nth(0).selectOption('name');
    await second.locator('input').fill('oscar');
    await page.waitForFunction(() => /6 contactos coinciden/.test(document.querySelector('[data-live-count]')?.textContent ?? ''));
    await screenshot(page, 'contacts-02b-builder-nested.png');
    await Promise.all([page.waitForURL(`${app.url}/segments`), page.click('form[data-segment-form] button[type=submit]')]);
    const saved = await app.deps.db('segments').where({ name: 'Anidado' }).first();
    const def = JSON.parse(saved.definition);
    assert.equal(def.all[0].any[0].all[0].any.length, 2, JSON.stringify(def));
    assert.deepEqual(browser.problems, []);
  });

  it('filters the list by several custom field conditions from the panel', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${app.url}/contacts`);
    const row1 = page.locator('[data-custom-row]').nth(0);
    await row1.locator('[data-cf-field]').selectOption('puntos');
    // Only the comparisons a number takes; "to" appears for a range.
    const offered = await row1.locator('[data-cf-op] option:not([hidden])').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(offered, ['', 'eq', 'range', 'is_set', 'is_not_set']);
    assert.equal(await row1.locator('[data-cf-to]').isHidden(), true);
    await row1.locator('[data-cf-op]').selectOption('range');
    assert.equal(await row1.locator('[data-cf-to]').isVisible(), true);
    assert.equal(await row1.locator('[data-cf-value] input').getAttribute('type'), 'number');
    await row1.locator('[data-cf-value] input').fill('5');
    await row1.locator('[data-cf-to] input').fill('8');
    // Two more rows; the middle one stays empty and is skipped.
    await page.click('[data-cf-add]');
    await page.click('[data-cf-add]');
    const row2 = page.locator('[data-custom-row]').nth(2);
    assert.equal(await row2.locator('[data-cf-field]').getAttribute('name'), 'cf3');
    await row2.locator('[data-cf-field]').selectOption('plan');
    await row2.locator('[data-cf-op]').selectOption('in');
    await row2.locator('[data-cf-value] select').selectOption(['Premium']);
    await Promise.all([page.waitForURL(/cf1=puntos/), page.click('form[role=search] button[type=submit]')]);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('co1'), 'range');
    assert.equal(url.searchParams.get('cf3'), 'plan');
    assert.deepEqual(url.searchParams.getAll('cv3'), ['Premium']);
    // puntos 5…8 are contacts 5–8; Premium is every odd one: 5 and 7.
    assert.equal(await page.locator('table.contacts-table tbody tr').count(), 2);
    assert.equal(await page.locator('#f-cf2').inputValue(), 'plan', 'the conditions come back renumbered');
    await screenshot(page, 'contacts-05-custom-filters.png');
    assert.deepEqual(browser.problems, []);
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${app.url}/contacts`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
    await screenshot(page, 'contacts-04-phone.png');
    assert.deepEqual(browser.problems, []);
  });
});
