import type { Browser, Locator, Page } from 'playwright-core';
import { registerSeller } from '../support/factories.js';
import { launch, newContext, type PageServer, servePage } from './browser-support.js';

/**
 * Swagger UI at /docs as an operator uses it, in Debian's Chromium: every operation of the document is drawn, nothing
 * is refused by the Content-Security-Policy or fetched from elsewhere, and "Try it out" reaches the API — a public
 * route at once, a signed-in one after Authorize with the bearer scheme. The e2e suite only sees /docs answer HTML.
 */
describe('Swagger UI at /docs (Chromium)', () => {
  let server: PageServer;
  let browser: Browser;
  let page: Page;
  let cspViolations: string[];
  let foreignRequests: string[];

  beforeAll(async () => {
    server = await servePage();
    browser = await launch();
    ({ page, cspViolations, foreignRequests } = await newContext(browser, server.base));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.t.close();
  });

  const operation = (method: string, path: string): Locator =>
    page.locator(`.opblock-${method}`, { has: page.locator(`.opblock-summary-path[data-path="${path}"]`) });
  const status = (op: Locator) => op.locator('.live-responses-table tbody .response-col_status').first();

  it('draws every operation of the document, within the CSP and without fetching from elsewhere', async () => {
    const doc = (await server.t.http.get('/docs-json').expect(200)).body as { paths: Record<string, object> };
    const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(operations).toBeGreaterThan(50);
    await page.goto('/docs');
    await page
      .locator('.opblock')
      .nth(operations - 1)
      .waitFor();
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(cspViolations).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });

  it('tries a public route, and a signed-in one after Authorize with a bearer token', async () => {
    const events = operation('get', '/api/webhooks/events');
    await events.locator('.opblock-summary').click();
    await events.getByRole('button', { name: 'Try it out' }).click();
    await events.getByRole('button', { name: 'Execute' }).click();
    await expect(status(events).textContent()).resolves.toBe('200');

    const me = operation('get', '/api/auth/me');
    await me.locator('.opblock-summary').click();
    await me.getByRole('button', { name: 'Try it out' }).click();
    await me.getByRole('button', { name: 'Execute' }).click();
    await expect(status(me).textContent()).resolves.toBe('401');

    const owner = await registerSeller(server.t.http);
    await page.locator('button.authorize').first().click();
    const bearer = page.locator('.dialog-ux form', { has: page.locator('h4', { hasText: /^bearer/ }) });
    await bearer.locator('input').fill(owner.cookie.replace(/^token=/, ''));
    await bearer.getByRole('button', { name: 'Apply credentials' }).click();
    await page.locator('.dialog-ux').getByRole('button', { name: 'Close' }).first().click();
    await me.getByRole('button', { name: 'Execute' }).click();
    await status(me).filter({ hasText: '200' }).waitFor();
    await expect(
      me.locator('.live-responses-table tbody .response-col_description').first().textContent(),
    ).resolves.toContain(owner.email);
    expect(cspViolations).toEqual([]);
  });
});
