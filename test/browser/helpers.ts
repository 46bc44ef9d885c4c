// Browser tests drive Debian's chromium through playwright-core (Playwright's
// own browser download is not reachable from our machines).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');

// Without the networking switches chromium keeps trying to reach Google's
// hosts, which this closed network refuses many times a second.
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync',
];

/**
 * Why the browser tests cannot run here, or false when they can. A developer
 * machine without chromium skips them; CI never does (a missing browser there
 * must fail the run, not hide it).
 */
export function browserSkipReason(): string | false {
  if (fs.existsSync(CHROMIUM)) return false;
  if (process.env.CI) return false;
  return `browser tests skipped: ${CHROMIUM} not found (apt-get install chromium); CI installs it and never skips`;
}

export type Browser = { context: BrowserContext; page: Page; problems: string[]; close(): Promise<void> };

/** A fresh chromium profile with one page whose console errors, page errors and CSP violations are collected. */
export async function launchBrowser(opts: { locale?: string } = {}): Promise<Browser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chatflow-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    locale: opts.locale ?? 'es-MX',
    viewport: { width: 1280, height: 800 },
    timeout: 60_000,
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /Content.Security.Policy/i.test(msg.text())) problems.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot under test-results/ and returns its bytes. */
export async function screenshot(page: Page, name: string): Promise<Buffer> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  // Park the mouse so no element is painted in its hover state.
  await page.mouse.move(0, 0);
  return page.screenshot({ path: path.join(RESULTS_DIR, name), fullPage: true });
}

/** The value of a CSS variable in a stylesheet's text, e.g. `--brand-strong`. */
export function cssVariable(css: string, name: string): string {
  const m = new RegExp(`${name}\\s*:\\s*([^;]+);`).exec(css);
  if (!m) throw new Error(`${name} not found in stylesheet`);
  return m[1]!.trim();
}

/** `rgb(r, g, b)` as returned by getComputedStyle → [r, g, b]. */
export function parseRgb(css: string): [number, number, number] {
  const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(css);
  if (!m) throw new Error(`not an rgb() colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Signs in through the login form and waits for the dashboard. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.click('form[action="/login"] button[type=submit]')]);
}

/** Waits until the element's text matches `pattern` (live counts, polled progress) and returns that text. */
export async function waitForText(page: Page, selector: string, pattern: RegExp, timeout = 15_000): Promise<string> {
  try {
    const handle = await page.waitForFunction(
      ([sel, src, flags]) => {
        const text = document.querySelector(sel!)?.textContent ?? '';
        return new RegExp(src!, flags).test(text) ? text : false;
      },
      [selector, pattern.source, pattern.flags],
      { timeout },
    );
    return String(await handle.jsonValue()).trim();
  } catch (err) {
    const now = await page.locator(selector).first().textContent({ timeout: 1_000 }).catch(() => null);
    throw new Error(`${selector} never matched ${pattern} within ${timeout} ms (text now: ${JSON.stringify(now)})`, { cause: err });
  }
}
