import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

interface Document {
  querySelectorAll(selector: string): { length: number };
}
import { DEMO_EMAIL, DEMO_PASSWORD } from './lib/demo-shop.js';

/**
 * The README's dashboard screenshots, from a running server with the demo shop (`npm run seed:demo`, `npm start`):
 * `npm run screenshots` (BASE_URL, CHROMIUM_PATH, OUT override). Each section at 1280 and 360 px, English, and the
 * orders inbox in Kiswahili.
 */
const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const OUT = process.env.OUT ?? join(process.cwd(), 'docs', 'screenshots');
// A route, or `first:` a list whose first row is opened (the demo's ids are not written here).
const SECTIONS: [string, string][] = [
  ['orders', '/orders'],
  ['order', 'first:/orders'],
  ['new-order', '/orders/new'],
  ['products', '/products'],
  ['product', 'first:/products'],
  ['import', '/products/import'],
  ['customers', '/customers'],
  ['customer', 'first:/customers?sort=totalSpent'],
  ['analytics', '/analytics'],
  ['settings', '/settings'],
  ['integrations', '/endpoints'],
];

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    for (const [width, height] of [
      [1280, 800],
      [360, 740],
    ]) {
      const context = await browser.newContext({ viewport: { width, height }, baseURL: BASE });
      const page = await context.newPage();
      await page.goto('/dashboard');
      await page.getByLabel('Email').fill(DEMO_EMAIL);
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('nav.tabs').waitFor();
      for (const [name, route] of SECTIONS) {
        const first = route.startsWith('first:');
        await page.goto(`/dashboard#${first ? route.slice(6).split('?')[0] : route}`);
        // A hash change keeps the document: give the screen a moment to swap before waiting for its data.
        await page.waitForTimeout(500);
        if (route.endsWith('sort=totalSpent')) await page.getByLabel('Order by').selectOption('totalSpent');
        if (first) {
          await page.waitForTimeout(300);
          await page.locator('a.row-link').first().click();
          await page.waitForTimeout(500);
        }
        // (The script's own types have no DOM: the function runs in the page.)
        await page.waitForFunction(
          () => (globalThis as unknown as { document: Document }).document.querySelectorAll('.loading').length === 0,
        );
        await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: false });
      }
      if (width === 360) {
        await page.getByLabel('Language').selectOption('sw');
        await page.goto('/dashboard#/orders');
        await page.getByRole('heading', { level: 1, name: 'Oda' }).waitFor();
        await page.screenshot({ path: join(OUT, `orders-sw-${width}.png`) });
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(`screenshots in ${OUT}`);
}

void main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
