import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { bootApp, type TestApp } from '../support/test-app.js';

/** Debian's chromium (`.ci/run` installs it); no browser is ever downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? join(process.cwd(), '.data', 'screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

export interface PageServer {
  t: TestApp;
  base: string;
}

/** The real app on a real PostgreSQL, listening on a loopback port for the browser. */
export async function servePage(env: Record<string, string> = {}): Promise<PageServer> {
  if (!existsSync(join(process.cwd(), 'dist', 'web', 'seller-app', 'index.html')))
    throw new Error('the seller app is not built: run npm run build:web (npm run test:browser does)');
  const t = await bootApp({ COOKIE_SECURE: 'false', WEBHOOK_ALLOW_PRIVATE_URLS: 'true', ...env });
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return { t, base: `http://127.0.0.1:${port}` };
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  // As the machine's probe runs it: no sandbox as root, nothing that calls out to the internet.
  return chromium.launch({
    executablePath: CHROMIUM,
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
}

/** A context that records CSP violations and any request leaving the app's origin. */
export async function newContext(
  browser: Browser,
  base: string,
  viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page; cspViolations: string[]; foreignRequests: string[] }> {
  const context = await browser.newContext({ viewport, baseURL: base });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  const foreignRequests: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on('request', (r) => {
    // blob: URLs of the page's own origin are in-memory (a photo being previewed), not a request out.
    const url = r.url();
    if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith(`blob:${base}`)) foreignRequests.push(url);
  });
  return { context, page, cspViolations, foreignRequests };
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/integrations');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
}

const AXE = readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical findings on the page as it is now (evaluated over CDP, so the CSP stays on). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run({ resultTypes: ['violations'] })).violations;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** At this width nothing scrolls sideways, and every control can be brought into view inside it. */
export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width)
      problems.push(`page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
    for (const el of document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary')) {
      if (el.closest('dialog:not([open])') || el.closest('details:not([open]) > :not(summary)')) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (el.classList.contains('skip')) continue;
      if (box.left < 0 || box.right > width + 0.5)
        problems.push(
          `${el.tagName.toLowerCase()} "${(el.textContent ?? el.id).trim().slice(0, 40)}" spans ${box.left}-${box.right}px`,
        );
    }
    return problems;
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Presses Tab until the focused element matches `selector` (and holds `text`, or is labelled by it), as a keyboard
 * user would; fails after `max` presses.
 */
export async function tabTo(page: Page, selector: string, text?: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(
      ([sel, want]) => {
        const el = document.activeElement;
        if (!el || !el.matches(sel)) return false;
        if (!want) return true;
        const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : '';
        const own = `${el.textContent ?? ''} ${label ?? ''} ${el.closest('label')?.textContent ?? ''}`;
        return own.includes(want);
      },
      [selector, text ?? ''] as const,
    );
    if (found) return;
  }
  throw new Error(`Tab never reached ${selector}${text ? ` "${text}"` : ''}`);
}
