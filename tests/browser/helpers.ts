/**
 * Browser tests drive Debian's Chromium through playwright-core (no browser download). Without
 * Chromium a local run skips with a notice; in CI it fails, never skips.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { afterEach, beforeEach } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests can run here; throws in CI when Chromium is missing. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) {
    throw new Error(`${CHROMIUM} est introuvable : les tests navigateur ne peuvent pas être sautés en CI.`);
  }
  console.warn(`Tests navigateur sautés : ${CHROMIUM} est absent (apt-get install -y chromium).`);
  return false;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** A fresh headless Chromium profile with one page, recording every console error and CSP report. */
export async function launchBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'verbatim-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    locale: 'fr-FR',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  // CSP violations are also reported as DOM events: record them from inside the page.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The set-up of a browser test: each test of the calling `describe` gets its own server (serving
 * the built interface) and its own Chromium profile, both stopped after it. `server` and
 * `browser` stand for the current test's, so they can be named once at the top of the `describe`.
 */
export function browserFixture(viewport?: { width: number; height: number }): {
  server: TestServer;
  browser: Browser;
} {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeEach(async () => {
    server = await startTestServer({ withClient: true });
    browser = await launchBrowser(viewport);
  });
  afterEach(async () => {
    await browser?.close();
    await server?.stop();
    browser = undefined;
    server = undefined;
  });
  return { server: current(() => server, 'server'), browser: current(() => browser, 'browser') };
}

/** An object that forwards every read to what `get` returns now (outside a test, an error). */
function current<T extends object>(get: () => T | undefined, name: string): T {
  const target = () => {
    const value = get();
    if (!value) throw new Error(`browserFixture: no ${name} outside a test`);
    return value;
  };
  return new Proxy({} as T, {
    get(_, property) {
      const value: unknown = Reflect.get(target(), property);
      return typeof value === 'function' ? value.bind(target()) : value;
    },
    set(_, property, value) {
      return Reflect.set(target(), property, value);
    },
    has(_, property) {
      return Reflect.has(target(), property);
    },
  });
}

export const SHOTS_DIR = '/tmp/verbatim-shots';

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SHOTS_DIR, { recursive: true });
  const path = join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Select `[start, end)` (code points of the document) with a real mouse drag: press at the left
 * edge of the first character, release at the right edge of the last one.
 */
export async function dragSelect(page: Page, start: number, end: number): Promise<void> {
  // The page may announce itself before the transcript's text is drawn.
  await page.locator('.transcript span[data-start]').first().waitFor();
  const points = await page.evaluate(
    ({ start, end }) => {
      /** The text node and UTF-16 offset of a code-point position, from the segments' data-start. */
      const locate = (position: number, preferEnd: boolean) => {
        const segments = [
          ...document.querySelectorAll<HTMLElement>('.transcript span[data-start][data-end]'),
        ];
        const segment = segments.find((s) => {
          const a = Number(s.dataset.start);
          const b = Number(s.dataset.end);
          return preferEnd ? a < position && position <= b : a <= position && position < b;
        });
        if (!segment || !segment.firstChild) throw new Error(`no segment holds position ${position}`);
        const text = segment.firstChild.textContent ?? '';
        const unit = [...text].slice(0, position - Number(segment.dataset.start)).join('').length;
        return { node: segment.firstChild, text, unit };
      };
      const rectOf = (node: Node, from: number, to: number) => {
        const range = document.createRange();
        range.setStart(node, from);
        range.setEnd(node, to);
        return range.getBoundingClientRect();
      };
      const a = locate(start, false);
      const firstLength = [...a.text.slice(a.unit)][0]?.length ?? 1;
      const b = locate(end, true);
      const lastLength = [...b.text.slice(0, b.unit)].pop()?.length ?? 1;
      const from = rectOf(a.node, a.unit, a.unit + firstLength);
      const to = rectOf(b.node, b.unit - lastLength, b.unit);
      return {
        from: { x: from.left + 1, y: (from.top + from.bottom) / 2 },
        to: { x: to.right - 1, y: (to.top + to.bottom) / 2 },
      };
    },
    { start, end },
  );
  await page.mouse.move(points.from.x, points.from.y);
  await page.mouse.down();
  await page.mouse.move((points.from.x + points.to.x) / 2, (points.from.y + points.to.y) / 2, { steps: 4 });
  await page.mouse.move(points.to.x, points.to.y, { steps: 4 });
  await page.mouse.up();
}
