// The inbox in a real browser against the built-in sandbox: a customer writes
// on the sandbox phone page (the conversation appears in the open inbox
// without reloading), an agent answers from the inbox, the customer reads it
// on the phone and the read tick appears live. Also notes and the phone
// layout. Screenshots land in test-results/.
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { completeSetup, PASSWORD } from '../factories.js';
import { startTestApp, type TestApp } from '../harness.js';
import { startSandbox, type RunningSandbox } from '../../src/whatsapp/sandbox-boot.js';
import { startWebhookWorker } from '../../src/whatsapp/webhook-worker.js';
import { closeGraphClients } from '../../src/whatsapp/graph-clients.js';
import type { Poller } from '../../src/whatsapp/poller.js';
import { browserSkipReason, cssVariable, launchBrowser, parseRgb, screenshot, type Browser } from './helpers.js';
import { hexToRgb } from './png.js';

const skip = browserSkipReason();
if (skip) console.log(`# ${skip}`);

const CUSTOMER = { waId: '5215512340000', name: 'Marta Ríos' };

/** A real 24×24 PNG (brand-ish green) so the thread shows an actual picture. */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(24, 0);
  ihdr.writeUInt32BE(24, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: 24 }, () => [0x12, 0x8c, 0x7e]).flat())]);
  const idat = zlib.deflateSync(Buffer.concat(Array.from({ length: 24 }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

describe('inbox in a real browser', { skip }, () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let phone: Page;
  let running: RunningSandbox;
  let worker: Poller;
  let owner: { email: string };

  before(async () => {
    app = await startTestApp({ realClock: true });
    owner = await completeSetup(app.client());
    running = await startSandbox(app.deps, { webhookUrl: `${app.url}/webhooks/whatsapp`, samples: false });
    worker = startWebhookWorker(app.deps, 200);
    browser = await launchBrowser({ locale: 'es-MX' });
    page = browser.page;
  });
  after(async () => {
    await browser?.close();
    await worker?.stop();
    await running?.close();
    await closeGraphClients();
    await app?.close();
  });

  /** Clicks a submit button and waits for the redirected page (same URL as before) to load. */
  async function submit(selector: string, action: RegExp) {
    await Promise.all([page.waitForResponse((r) => action.test(r.url()) && r.request().method() === 'POST'), page.click(selector)]);
    await page.waitForLoadState('load');
  }

  function assertClean(step: string) {
    assert.deepEqual(browser.problems, [], `browser problems after ${step}`);
  }

  it('shows a new customer message in the open inbox without reloading', async () => {
    await page.goto(`${app.url}/login`);
    await page.fill('#f-email', owner.email);
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForURL(`${app.url}/`), page.click('form[action="/login"] button[type=submit]')]);
    await page.goto(`${app.url}/inbox`);
    await page.locator('.inbox-placeholder').waitFor();
    assert.equal(await page.locator('.conv').count(), 0);
    // The customer writes from the sandbox phone page, in a second tab.
    phone = await browser.context.newPage();
    phone.on('pageerror', (err) => browser.problems.push(`phone pageerror: ${err.message}`));
    await phone.goto(`${app.url}/sandbox/phone?wa_id=${CUSTOMER.waId}&name=${encodeURIComponent(CUSTOMER.name)}`);
    await phone.fill('#sandbox-text', 'Hola, ¿tienen cita mañana?');
    await phone.click('[data-compose] button[type=submit]');
    const item = page.locator('.conv', { hasText: CUSTOMER.name });
    await item.waitFor({ timeout: 10_000 });
    assert.match((await item.textContent()) ?? '', /1 sin leer/);
    await screenshot(page, 'inbox-01-live-list.png');
    assertClean('live list');
  });

  it('answers from the inbox and sees the read tick when the customer reads it', async () => {
    await Promise.all([page.waitForURL(/\/inbox\/\d+/), page.locator('.conv', { hasText: CUSTOMER.name }).click()]);
    // Opening the thread marked it read on WhatsApp: blue ticks on the customer's phone.
    await phone.locator('.wa-bubble[data-direction="in"] [data-ticks="read"]').waitFor({ timeout: 10_000 });
    const inbound = page.locator('.msg-in').last();
    assert.equal((await inbound.locator('.msg-text').textContent())?.trim(), 'Hola, ¿tienen cita mañana?');
    assert.match((await page.locator('[data-window-label]').textContent()) ?? '', /cierra en 23 h 5\d min/);
    await page.fill('#composer-body', 'Sí, a las 10:00. ¿Te la reservo?');
    await submit('[data-send]', /\/send$/);
    const mine = page.locator('.msg-out', { hasText: 'Sí, a las 10:00.' });
    await mine.waitFor();
    assert.equal((await mine.locator('.msg-text').textContent())?.trim(), 'Sí, a las 10:00. ¿Te la reservo?');
    await mine.locator('.tick-delivered').waitFor({ timeout: 10_000 });
    const row = await app.deps.db('messages').where({ direction: 'out' }).orderBy('id', 'desc').first();
    const log = running.sandbox.state.messagesFor(CUSTOMER.waId).filter((e) => e.direction === 'out');
    assert.equal(log.at(-1)?.wamid, row.wamid, 'the sandbox phone received it');
    // The customer sees the answer on the phone and reads it.
    const onPhone = phone.locator(`.wa-bubble[data-wamid="${row.wamid}"]`);
    await onPhone.waitFor({ timeout: 10_000 });
    assert.match((await onPhone.textContent()) ?? '', /Sí, a las 10:00\. ¿Te la reservo\?/);
    await onPhone.locator('.wa-meta button').click();
    const tick = page.locator(`#msg-${row.id} .tick-read`);
    await tick.waitFor({ timeout: 10_000 });
    assert.equal((await tick.locator('.sr-only').textContent())?.trim(), 'Leído');
    const theme = await (await fetch(`${app.url}/brand/theme.css`)).text();
    const colour = await tick.evaluate((el) => getComputedStyle(el).color);
    assert.deepEqual(parseRgb(colour), hexToRgb(cssVariable(theme, '--brand-strong')), 'read ticks use the brand colour');
    await screenshot(page, 'inbox-02-read-tick.png');
    assertClean('reply and read tick');
  });

  it('attaches an image with a caption from the composer', async () => {
    await page.click('[data-compose-panel="attach"] > summary');
    await page.setInputFiles('#f-file', { name: 'menu.png', mimeType: 'image/png', buffer: tinyPng() });
    await page.fill('#f-caption', 'Nuestro menú');
    await Promise.all([page.waitForResponse((r) => /\/attach$/.test(r.url()) && r.request().method() === 'POST'), page.click('[data-attach-form] button[type=submit]')]);
    const img = page.locator('.msg-out.msg-kind-media', { hasText: 'Nuestro menú' }).locator('img.msg-image');
    await img.waitFor({ timeout: 10_000 });
    assert.equal(await img.evaluate((el: HTMLImageElement) => el.decode().then(() => el.naturalWidth)), 24, 'the stored file is served back');
    const wire = running.sandbox.state.messagesFor(CUSTOMER.waId).filter((e) => e.direction === 'out').at(-1)!;
    assert.equal(wire.type, 'image', 'sent by media id through the sandbox');
    assertClean('attachment');
  });

  it('adds an internal note that never reaches the customer', async () => {
    const before = running.sandbox.state.messagesFor(CUSTOMER.waId).length;
    await page.fill('#composer-body', 'Llamar si no confirma');
    await submit('button[formaction$="/notes"]', /\/notes$/);
    await page.locator('.msg-note', { hasText: 'Llamar si no confirma' }).waitFor();
    assert.equal(running.sandbox.state.messagesFor(CUSTOMER.waId).length, before);
    assertClean('note');
  });

  it('works on a phone: the thread alone, with a way back to the list', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.reload();
    assert.equal(await page.locator('.inbox-list').isVisible(), false);
    assert.ok(await page.locator('.thread-back').isVisible());
    assert.ok(await page.locator('#composer-body').isVisible());
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `no sideways scrolling (${overflow}px)`);
    await screenshot(page, 'inbox-03-phone.png');
    await Promise.all([page.waitForURL(`${app.url}/inbox`), page.click('.thread-back')]);
    assert.ok(await page.locator('.conv', { hasText: CUSTOMER.name }).isVisible());
    assertClean('phone layout');
  });
});
