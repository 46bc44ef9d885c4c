// What a new customer clicks through in the first minutes: the setup form,
// the dashboard, logging out and in (with a typo first), switching language,
// and the brand's name and colour on screen. Screenshots land in test-results/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../factories.js';
import { startTestApp, type TestApp } from '../harness.js';
import { browserSkipReason, cssVariable, launchBrowser, parseRgb, screenshot, type Browser } from './helpers.js';
import { colourDistance, decodePng, hexToRgb, pixelAt } from './png.js';

const skip = browserSkipReason();
if (skip) console.log(`# ${skip}`);

const OWNER = { name: 'Ana Dueña', email: 'ana@clinica.mx', company: 'Clínica Dental Sonrisa' };

describe('first run in a real browser', { skip }, () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let brandName: string;
  let brandStrong: string;

  before(async () => {
    app = await startTestApp({ realClock: true });
    browser = await launchBrowser({ locale: 'es-MX' });
    page = browser.page;
    brandName = app.deps.brand.get().name;
    const theme = await (await fetch(`${app.url}/brand/theme.css`)).text();
    brandStrong = cssVariable(theme, '--brand-strong');
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  /** No console error, uncaught exception or CSP violation so far. */
  function assertClean(step: string) {
    assert.deepEqual(browser.problems, [], `browser problems after ${step}`);
  }

  /** Chromium logs a document answered with 4xx as a console error; take out the one the step meant to cause. */
  function expectProblem(pattern: RegExp) {
    const i = browser.problems.findIndex((p) => pattern.test(p));
    assert.ok(i >= 0, `expected a browser message matching ${pattern}; got ${JSON.stringify(browser.problems)}`);
    browser.problems.splice(i, 1);
  }

  /** The primary button is painted in the brand's strong colour: computed style and the screenshot's pixels. */
  async function assertBrandButton(png: Buffer) {
    const btn = page.locator('.btn-primary').first();
    const bg = await btn.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.deepEqual(parseRgb(bg), hexToRgb(brandStrong), `button background ${bg} vs --brand-strong ${brandStrong}`);
    const box = await btn.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.left + window.scrollX, y: r.top + window.scrollY, h: r.height };
    });
    // A point inside the button's left padding: away from the rounded corner and the label.
    const px = pixelAt(decodePng(png), box.x + 6, box.y + box.h / 2);
    assert.ok(colourDistance(px, hexToRgb(brandStrong)) <= 3, `screenshot pixel rgb(${px.join(',')}) is not ${brandStrong}`);
  }

  async function assertBrandNameVisible(selector: string) {
    const el = page.locator(selector).first();
    assert.ok(await el.isVisible(), `${selector} visible`);
    assert.equal((await el.textContent())?.trim(), brandName);
  }

  it('sends a fresh install to the setup form, branded, in Spanish', async () => {
    await page.goto(`${app.url}/`);
    assert.equal(new URL(page.url()).pathname, '/setup');
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    assert.match((await page.locator('h1').textContent()) ?? '', new RegExp(brandName));
    assert.match(await page.title(), new RegExp(brandName));
    await assertBrandNameVisible('.auth-brand-name');
    assert.equal(await page.inputValue('#f-timezone'), 'UTC', "the install's timezone is preselected");
    const png = await screenshot(page, '01-setup.png');
    await assertBrandButton(png);
    assertClean('setup page');
  });

  it('creates the owner through the form and lands on the dashboard', async () => {
    await page.fill('#f-name', OWNER.name);
    await page.fill('#f-email', OWNER.email);
    await page.fill('#f-password', PASSWORD);
    await page.fill('#f-password_confirm', PASSWORD);
    await page.fill('#f-company', OWNER.company);
    await page.selectOption('#f-timezone', 'America/Mexico_City');
    await page.selectOption('#f-locale', 'es');
    await Promise.all([page.waitForURL(`${app.url}/`), page.click('form[action="/setup"] button[type=submit]')]);
    assert.equal(await page.locator('h1').textContent(), `Hola, ${OWNER.name}`);
    assert.match((await page.locator('main').textContent()) ?? '', new RegExp(OWNER.company));
    assert.ok(await page.locator('.sidebar a.active', { hasText: 'Panel' }).isVisible());
    await assertBrandNameVisible('.topbar .brand-name');
    assert.ok(await page.locator('.topbar .brand img').isVisible(), 'logo visible');
    assert.equal(await page.locator('[data-nav-toggle]').isVisible(), false, 'no menu button on a desktop screen');
    await screenshot(page, '02-dashboard.png');
    const owner = await app.deps.db('users').where({ email: OWNER.email }).first();
    assert.equal(owner.role, 'owner');
    assertClean('dashboard');
  });

  it('logs out back to the login page', async () => {
    await Promise.all([page.waitForURL(`${app.url}/login`), page.click('form[action="/logout"] button')]);
    assert.equal(await page.locator('h1').textContent(), 'Iniciar sesión');
    await page.goto(`${app.url}/`);
    assert.equal(new URL(page.url()).pathname, '/login', 'the session is gone');
    assertClean('logout');
  });

  it('shows the Spanish error for a wrong password, keeping the e-mail', async () => {
    await page.fill('#f-email', OWNER.email);
    await page.fill('#f-password', 'not-the-password-1');
    await Promise.all([page.waitForLoadState('load'), page.click('form[action="/login"] button[type=submit]')]);
    await page.locator('.alert-error').waitFor();
    assert.equal((await page.locator('.alert-error').textContent())?.trim(), 'El correo o la contraseña no son correctos.');
    assert.equal(await page.inputValue('#f-email'), OWNER.email);
    assert.equal(await page.inputValue('#f-password'), '', 'the password is never echoed');
    await assertBrandNameVisible('.auth-brand-name');
    const png = await screenshot(page, '03-login-error.png');
    await assertBrandButton(png);
    expectProblem(/status of 401 .*\/login\)$/);
    assertClean('wrong password');
  });

  it('logs in with the right password', async () => {
    await page.fill('#f-email', OWNER.email);
    await page.fill('#f-password', PASSWORD);
    await Promise.all([page.waitForURL(`${app.url}/`), page.click('form[action="/login"] button[type=submit]')]);
    assert.equal(await page.locator('h1').textContent(), `Hola, ${OWNER.name}`);
    assertClean('login');
  });

  it('switches the whole page to English from the language menu and remembers it', async () => {
    await Promise.all([
      page.waitForResponse((r) => r.url() === `${app.url}/locale` && r.request().method() === 'POST'),
      page.selectOption('#lang-select', 'en'),
    ]);
    await page.waitForLoadState('load');
    await page.locator('html[lang=en]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('h1').textContent(), `Welcome, ${OWNER.name}`);
    assert.ok(await page.locator('.sidebar a', { hasText: 'Campaigns' }).isVisible());
    assert.equal(await page.locator('form[action="/logout"] button').textContent(), 'Log out');
    await assertBrandNameVisible('.topbar .brand-name');
    await screenshot(page, '04-english.png');
    const owner = await app.deps.db('users').where({ email: OWNER.email }).first();
    assert.equal(owner.locale, 'en', 'the choice is stored on the user');
    await page.goto(`${app.url}/contacts`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assertClean('language switch');
  });

  it('fits a phone screen: the menu button opens the navigation', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${app.url}/`);
    const sidebarLeft = () => page.locator('#sidebar').evaluate((el) => el.getBoundingClientRect().left);
    assert.ok((await sidebarLeft()) < 0, 'navigation starts off screen');
    const docWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(docWidth <= 390, `no horizontal scrolling (page is ${docWidth}px wide)`);
    await page.click('[data-nav-toggle]');
    await page.waitForFunction(() => document.getElementById('sidebar')!.getBoundingClientRect().left >= 0);
    assert.equal(await page.getAttribute('[data-nav-toggle]', 'aria-expanded'), 'true');
    await screenshot(page, '05-phone-menu.png');
    assertClean('phone layout');
  });
});
