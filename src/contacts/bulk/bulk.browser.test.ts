// Bulk actions in a real browser, as the owner in Spanish: choose "add a tag"
// under the contacts list, confirm the count, land on the job page and watch
// public/js/bulk.js report the finished job (the worker in this process is
// nudged, so 50 contacts feel instant); then queue a job with the worker
// stopped, see it listed as running on the contacts page and cancel it from
// its page. No console errors or CSP violations. Screenshots in test-results/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { completeSetup, PASSWORD } from '../../../test/factories.js';
import { startTestApp, type TestApp } from '../../../test/harness.js';
import { browserSkipReason, launchBrowser, screenshot, signIn, waitForText, type Browser } from '../../../test/browser/helpers.js';
import { seedMany } from './test-helpers.js';
import { startBulkWorker } from './worker.js';

const skip = browserSkipReason();

describe('bulk actions in a real browser', { skip }, () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    app = await startTestApp({ realClock: true });
    const owner = await completeSetup(app.client());
    await seedMany(app.deps.db, 50, app.clock.now());
    browser = await launchBrowser({ locale: 'es-MX' });
    page = browser.page;
    await signIn(page, app.url, owner.email, PASSWORD);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('tags all 50 contacts and shows the result without a reload', async () => {
    const worker = startBulkWorker(app.deps, 60_000); // only the nudge can make it quick
    try {
      await page.goto(`${app.url}/contacts`);
      await page.selectOption('#b-action', 'tag');
      await page.fill('#b-tag', 'Feria 2026');
      await Promise.all([page.waitForURL(/\/contacts\/bulk\?/), page.click('form[action="/contacts/bulk"] button[type=submit]')]);
      assert.match((await page.locator('.bulk-count').textContent()) ?? '', /Se agregará la etiqueta «Feria 2026» a 50 contactos/);
      const started = Date.now();
      await Promise.all([page.waitForURL(/\/contacts\/bulk\/\d+$/), page.click('form[action="/contacts/bulk"] button[type=submit]')]);
      const summary = await waitForText(page, '[data-summary]', /Listo/, 10_000);
      assert.ok(Date.now() - started < 5000, `done in ${Date.now() - started} ms`);
      assert.equal(summary, 'Listo: se agregó la etiqueta «Feria 2026» a 50 de los 50 contactos que coinciden (el resto ya la tenía).');
      assert.equal((await page.locator('[data-count="affected"]').textContent())?.trim(), '50');
      assert.equal((await page.locator('[data-bulk-status]').textContent())?.trim(), 'Terminada');
      assert.equal(await page.locator('[data-progress-bar]').evaluate((el) => (el as HTMLProgressElement).value), 100);
      assert.equal(await page.locator('[data-cancel-form]').count(), 0);
      await screenshot(page, 'bulk-01-done.png');
      assert.deepEqual(browser.problems, []);
    } finally {
      await worker.stop();
    }
  });

  it('lists a queued job on the contacts page and cancels it from its page', async () => {
    await page.goto(`${app.url}/contacts/bulk?action=opt_out`);
    await Promise.all([page.waitForURL(/\/contacts\/bulk\/\d+$/), page.click('form[action="/contacts/bulk"] button[type=submit]')]);
    const jobUrl = page.url();
    assert.equal((await page.locator('[data-bulk-status]').textContent())?.trim(), 'En cola');
    await page.goto(`${app.url}/contacts`);
    const running = page.locator('[aria-labelledby="bulk-running-title"]');
    assert.match((await running.textContent()) ?? '', /Registrar la baja\s+—\s+En cola\s+0 de 50 contactos procesados/);
    await Promise.all([page.waitForURL(jobUrl), running.locator('a').first().click()]);
    page.once('dialog', (d) => void d.accept());
    await Promise.all([page.waitForURL(jobUrl), page.click('[data-cancel-form] button[type=submit]')]);
    assert.equal((await page.locator('[data-bulk-status]').textContent())?.trim(), 'Cancelada');
    assert.match((await page.locator('[data-summary]').textContent()) ?? '', /Cancelada tras 0 de 50 contactos/);
    assert.equal(await app.deps.db('contacts').where({ opt_in: 'opted_out' }).count({ n: '*' }).first().then((r) => Number(r!.n)), 0);
    await screenshot(page, 'bulk-02-cancelled.png');
    assert.deepEqual(browser.problems, []);
  });
});
