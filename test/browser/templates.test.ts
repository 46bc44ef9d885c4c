// The template form in a real browser against the built-in sandbox: choosing
// an image header shows the sample picker, the file is uploaded to Meta's
// Resumable Upload API (the sandbox) from the page, named variables preview
// live from `name: value` examples, and the submitted template carries the
// handle and the named examples. A refused file shows its reason in place.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { completeSetup, PASSWORD } from '../factories.js';
import { startTestApp, type TestApp } from '../harness.js';
import { startSandbox, type RunningSandbox } from '../../src/whatsapp/sandbox-boot.js';
import { closeGraphClients } from '../../src/whatsapp/graph-clients.js';
import { browserSkipReason, launchBrowser, screenshot, type Browser } from './helpers.js';

const skip = browserSkipReason();
if (skip) console.log(`# ${skip}`);

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(128, 3)]);

describe('template form in a real browser', { skip }, () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let running: RunningSandbox;
  let owner: { email: string };

  before(async () => {
    app = await startTestApp({ realClock: true });
    owner = await completeSetup(app.client());
    running = await startSandbox(app.deps, { webhookUrl: `${app.url}/webhooks/whatsapp`, samples: false });
    browser = await launchBrowser({ locale: 'es-MX' });
    page = browser.page;
    await page.goto(`${app.url}/login`);
    await page.fill('#f-email', owner.email);
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForURL(`${app.url}/`), page.click('form[action="/login"] button[type=submit]')]);
  });
  after(async () => {
    await browser?.close();
    await running?.close();
    await closeGraphClients();
    await app?.close();
  });

  it('uploads the image sample from the page and submits a NAMED template with it', async () => {
    await page.goto(`${app.url}/templates/new`);
    assert.equal(await page.locator('[data-sample]').isHidden(), true, 'no picker without a media header');
    await page.selectOption('#f-header_type', 'IMAGE');
    await page.locator('[data-sample]').waitFor({ state: 'visible' });
    await page.setInputFiles('#f-header-sample', { name: 'gif.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
    await page.locator('[data-sample-status]', { hasText: 'Este encabezado solo admite: JPG, PNG.' }).waitFor();
    await page.setInputFiles('#f-header-sample', { name: 'verano.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('[data-sample-status]', { hasText: 'Archivo de ejemplo listo: verano.png' }).waitFor();
    const handle = await page.inputValue('[name="header_handle"]');
    assert.equal(running.sandbox.state.handles.get(handle)?.size, PNG.length);

    await page.fill('#f-name', 'oferta_verano');
    await page.selectOption('#f-category', 'MARKETING');
    await page.selectOption('#f-parameter_format', 'NAMED');
    await page.fill('#f-body', 'Hola {{first_name}}, tu cupón {{code}} vence pronto.');
    await page.fill('#f-body_examples', 'first_name: Ana\ncode: VERANO10');
    assert.equal(await page.locator('[data-preview-body]').textContent(), 'Hola Ana, tu cupón VERANO10 vence pronto.');
    assert.equal(await page.locator('[data-preview-header]').textContent(), '[Imagen]');
    await screenshot(page, 'templates-01-new-named-image.png');
    await Promise.all([page.waitForURL(/\/templates\/\d+$/), page.click('form[data-template-form] button[type=submit]')]);
    const atMeta = running.sandbox.state.findTemplate(running.number.wabaId, 'oferta_verano', 'es_MX');
    assert.equal(atMeta?.parameter_format, 'NAMED');
    assert.deepEqual(atMeta?.components[0]?.example, { header_handle: [handle] });

    // The template page previews by name as values are typed.
    await page.fill('#var-first_name', 'Lucía');
    assert.equal(await page.locator('[data-preview]').textContent(), 'Hola Lucía, tu cupón VERANO10 vence pronto.');
    // The refused GIF is the only failed request (its 422 is logged by the browser).
    assert.deepEqual(browser.problems.filter((p) => !/status of 422 .*\/templates\/header-sample/.test(p)), []);
  });
});
