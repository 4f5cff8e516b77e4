import type { Browser, Page } from 'playwright-core';
import { verifySignature } from '../support/webhook-helpers.js';
import { addMember, registerSeller, type SellerSession } from '../support/factories.js';
import { FakeDaraja } from '../support/fake-daraja.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import {
  launch,
  layoutProblems,
  newContext,
  PHONE,
  type PageServer,
  screenshot,
  seriousA11yViolations,
  servePage,
  signIn,
  tabTo,
} from './browser-support.js';

/**
 * The Integrations page in Debian's Chromium, against the real app on a real PostgreSQL and a loopback receiver.
 * The steps build on each other (one shop, one endpoint), as a seller's session would.
 */
const ADMIN = 'browser-test-admin-token-0123456789';

describe('Integrations page (Chromium)', () => {
  let server: PageServer;
  let browser: Browser;
  let rx: Receiver;
  let daraja: FakeDaraja;
  let owner: SellerSession;
  let page: Page;
  let cspViolations: string[];
  let foreignRequests: string[];
  let secret: string;
  let endpointId: string;
  const a11y: Record<string, string[]> = {};

  const checkScreen = async (p: Page, name: string) => {
    a11y[name] = await seriousA11yViolations(p);
    await screenshot(p, `${name}-desktop`);
  };
  const waitForRequests = async (n: number) => {
    for (let i = 0; i < 100 && rx.requests.length < n; i++) await new Promise((r) => setTimeout(r, 100));
    expect(rx.requests.length).toBeGreaterThanOrEqual(n);
  };

  beforeAll(async () => {
    // One attempt per delivery, so a failed test send stays failed until the seller presses Redeliver.
    daraja = await new FakeDaraja().start();
    server = await servePage({
      WEBHOOK_MAX_ATTEMPTS: '1',
      WEBHOOK_DISABLE_AFTER_FAILURES: '2',
      ADMIN_TOKEN: ADMIN,
      MPESA_BASE_URL: daraja.url,
      // The test plays Safaricom from loopback.
      MPESA_CALLBACK_ALLOWED_IPS: '127.0.0.1,::1',
    });
    browser = await launch();
    rx = await startReceiver();
    owner = await registerSeller(server.t.http, { storeName: 'Mama Mboga Fresh' });
    ({ page, cspViolations, foreignRequests } = await newContext(browser, server.base));
  });

  afterAll(async () => {
    await browser?.close();
    await rx?.close();
    await daraja?.close();
    await server?.t.close();
  });

  it('serves the page with a strict CSP and hashed, long-cached assets', async () => {
    const res = await server.t.http.get('/integrations').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['cache-control']).toBe('no-cache');
    const asset = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(res.text)?.[1];
    expect(asset).toMatch(/-[\w-]{8}\.js$/);
    const js = await server.t.http.get(asset!).expect(200);
    expect(js.headers['cache-control']).toContain('immutable');
  });

  it('signs in with the API session and shows the empty list', async () => {
    await page.goto('/integrations');
    await checkScreen(page, 'sign-in');
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill('wrong-password-here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That email and password do not match.').waitFor();
    await signIn(page, owner.email, owner.password);
    await page.getByText('No endpoints yet.').waitFor();
    await page.getByText('Mama Mboga Fresh').waitFor();
  });

  it('creates an endpoint from the catalogue and shows its secret once', async () => {
    await page.getByRole('link', { name: 'Add endpoint' }).click();
    await page.getByRole('heading', { name: 'Add an endpoint' }).waitFor();
    // The API's messages land next to the fields they concern.
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    expect(await page.locator('#events-error').textContent()).toBe('Choose at least one event.');
    await page.getByRole('checkbox', { name: /Order created/ }).check();
    await page.getByLabel('Address (URL)').fill('ftp://files.example.com/in');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    expect(await page.locator('#url-error').textContent()).toMatch(/http\(s\) URL/);
    expect(await page.getByLabel('Address (URL)').getAttribute('aria-invalid')).toBe('true');
    await page.locator('details').first().locator('summary').click();
    await checkScreen(page, 'endpoint-form');
    await page.getByLabel('Address (URL)').fill(`${rx.url}/hooks/sokohub`);
    await page.getByLabel('Note (optional)').fill('Our order desk');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('heading', { name: 'Your signing secret' }).waitFor();
    secret = (await page.getByTestId('secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    endpointId = page.url().split('/').pop()!;
    expect(endpointId).toMatch(/^wh_/);
    // The snippets are filled in for this endpoint.
    expect(await page.locator('.secret pre').first().textContent()).toContain(secret);
    await checkScreen(page, 'endpoint-created');
    // Shown once: after a reload the page has no way to show it again.
    await page.reload();
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    expect(await page.getByTestId('secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
  });

  it('sends a test event the receiver gets, and shows it in the log with its attempts', async () => {
    await page.getByRole('button', { name: 'Send a test event' }).click();
    await page.getByText('Your server received the test event.').waitFor();
    await waitForRequests(1);
    const got = rx.requests[0];
    expect(got.headers['x-sokohub-test']).toBe('true');
    expect(verifySignature(got.rawBody, String(got.headers['x-sokohub-signature']), secret)).toBe(true);
    await page.locator('.delivery-row').first().click();
    await page.getByRole('heading', { name: 'Attempts' }).waitFor();
    await page.getByText('Request headers (with signatures)').click();
    const headers = await page.locator('.headers').first().textContent();
    expect(headers).toContain(String(got.headers['x-sokohub-signature']));
    expect(await page.locator('.delivery-detail pre').first().textContent()).toContain('SKH-TEST-00000');
    expect(await page.locator('.delivery-detail').textContent()).toContain('EAT');
    await checkScreen(page, 'endpoint-deliveries');
  });

  it('a failing receiver gives a failed delivery; fixed, Redeliver succeeds', async () => {
    rx.respond((_req, res) => void res.writeHead(500).end('database is down'));
    await page.getByRole('button', { name: 'Send a test event' }).click();
    await page.getByText('The test event did not get through.').waitFor();
    await page.getByText('your server answered 500').first().waitFor();
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('status=FAILED')),
      page.getByLabel('Status').selectOption('FAILED'),
    ]);
    await page.locator('.delivery-row').first().waitFor();
    expect(await page.locator('.delivery-row').count()).toBe(1);
    await page.locator('.delivery-row').first().click();
    await page.getByText('database is down').waitFor();
    rx.respond((_req, res) => void res.writeHead(200).end('ok'));
    const before = rx.requests.length;
    await page.getByRole('button', { name: 'Redeliver' }).click();
    await waitForRequests(before + 1);
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('status=SUCCEEDED')),
      page.getByLabel('Status').selectOption('SUCCEEDED'),
    ]);
    await page.locator('.delivery-row').nth(1).waitFor();
    expect(await page.locator('.delivery-row .badge').allTextContents()).toEqual(['Delivered', 'Delivered']);
  });

  it('rotates the secret, explaining the 24-hour window', async () => {
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('24 hours');
    await dialog.getByRole('button', { name: 'Make a new secret' }).click();
    await page.getByRole('heading', { name: 'Your new signing secret' }).waitFor();
    const rotated = (await page.getByTestId('secret').textContent()) ?? '';
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    const before = rx.requests.length;
    await page.getByRole('button', { name: 'Send a test event' }).click();
    await waitForRequests(before + 1);
    const got = rx.requests[before];
    expect(verifySignature(got.rawBody, String(got.headers['x-sokohub-signature']), rotated)).toBe(true);
    expect(verifySignature(got.rawBody, String(got.headers['x-sokohub-signature-previous']), secret)).toBe(true);
  });

  it('edits an endpoint: its note and events, prefilled from what was saved', async () => {
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit endpoint' }).waitFor();
    expect(await page.getByLabel('Note (optional)').inputValue()).toBe('Our order desk');
    expect(await page.getByRole('checkbox', { name: /Order created/ }).isChecked()).toBe(true);
    await page.getByLabel('Note (optional)').fill('Order desk and stock sheet');
    await page.getByRole('checkbox', { name: /Low stock alert/ }).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Order desk and stock sheet').waitFor();
    const saved = await server.t.http.get(`/api/webhooks/${endpointId}`).set('Cookie', owner.cookie).expect(200);
    expect(saved.body).toMatchObject({ description: 'Order desk and stock sheet' });
    expect([...saved.body.events].sort()).toEqual(['LOW_STOCK_ALERT', 'ORDER_CREATED']);
  });

  it('switches off and on, and deletes only after a confirmation', async () => {
    await page.getByRole('button', { name: 'Switch off' }).click();
    await page.getByText('It was switched off by hand').waitFor();
    await page.getByRole('button', { name: 'Switch on' }).click();
    await page.getByRole('button', { name: 'Switch off' }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await server.t.http.get(`/api/webhooks/${endpointId}`).set('Cookie', owner.cookie).expect(200);
  });

  it('an endpoint stopped by failures shows its parked deliveries and sends them, in order, when switched on', async () => {
    rx.respond((_req, res) => void res.writeHead(503).end('down for maintenance'));
    const product = await createProduct(server.t.http, owner, { priceKes: 450, stock: 100 });
    const order = async () =>
      (
        await server.t.http
          .post('/api/orders')
          .send(orderBody(owner, [{ productId: product.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }))
          .expect(201)
      ).body as { id: string };
    const endpoint = async () =>
      (await server.t.http.get(`/api/webhooks/${endpointId}`).set('Cookie', owner.cookie).expect(200)).body;
    const until = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
      expect(await check()).toBe(true);
    };
    await order();
    await order();
    await until(async () => (await endpoint()).isActive === false);
    const parkedOrder = await order();
    await until(async () => (await endpoint()).parkedDeliveries === 1);
    rx.respond((_req, res) => void res.writeHead(200).end('ok'));
    await page.reload();
    await page.getByText('Stopped after failures').first().waitFor();
    await page.getByText('1 deliveries are waiting.').waitFor();
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('status=PAUSED')),
      page.getByLabel('Status').selectOption('PAUSED'),
    ]);
    expect(await page.locator('.delivery-row .badge').allTextContents()).toEqual(['Waiting (endpoint off)']);
    await checkScreen(page, 'endpoint-parked');
    const before = rx.requests.length;
    await page.getByRole('button', { name: 'Switch on' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('radio', { name: 'Send them, oldest first' }).isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Switch on' }).click();
    await waitForRequests(before + 1);
    expect((rx.requests[before].json.data as { orderId: string }).orderId).toBe(parkedOrder.id);
    await page.getByRole('button', { name: 'Switch off' }).waitFor();
  });

  it('manages partner access, API keys and M-Pesa settings as the owner', async () => {
    await page.getByRole('link', { name: 'Partners & API keys' }).click();
    await page.getByText('No partner company has access.').waitFor();
    await page.getByLabel('Company id').fill('cmp_does_not_exist');
    await page.getByRole('button', { name: 'Grant access' }).click();
    await page.getByText('No partner company has this id.').waitFor();
    const company = await server.t.http
      .post('/api/admin/partners')
      .set('X-Admin-Token', ADMIN)
      .send({ name: 'Sendy Logistics' })
      .expect(201);
    await page.getByLabel('Company id').fill(company.body.id);
    await page.getByRole('button', { name: 'Grant access' }).click();
    await page.getByText('Sendy Logistics can now manage webhooks for your shop.').waitFor();
    await page.locator('.card', { hasText: 'Sendy Logistics' }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke access' }).click();
    await page.getByText('Sendy Logistics no longer has access.').waitFor();
    // The modal closes in an effect after the answer shows: controls behind it stay inert until then.
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    const granted = await server.t.http.get('/api/partner-access').set('Cookie', owner.cookie).expect(200);
    expect(granted.body).toEqual([]);
    await page.getByLabel('What is the key for?').fill('Zapier');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('api-key').textContent()) ?? '';
    expect(key).toMatch(/^sk_/);
    // The key works against the API.
    await server.t.http.get('/api/webhooks').set('Authorization', `Bearer ${key}`).expect(200);
    await checkScreen(page, 'access');
    await page.getByRole('link', { name: 'M-Pesa' }).click();
    await page.getByText('Not saved yet').waitFor();
    await page.getByLabel('Shortcode (till or paybill number)').fill('174379');
    await page.getByLabel('Passkey').fill('bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919');
    await page.getByLabel('Consumer key').fill('consumer-key-0123');
    await page.getByLabel('Consumer secret').fill('consumer-secret-0123');
    await page.getByRole('button', { name: 'Save M-Pesa settings' }).click();
    await page.getByText('Saved for shortcode 174379').waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('/api/payments/mpesa/callback/');
    expect(text).not.toContain('consumer-secret-0123');

    // Till and paybill: register the URLs, then match a payment that named no order by hand.
    await page.getByRole('button', { name: 'Register with Safaricom' }).click();
    await page.getByText('Registered with Safaricom for 174379: Success').waitFor();
    const confirmationUrl = String(daraja.registrations.at(-1)!.ConfirmationURL);
    expect((await page.locator('main').textContent()) ?? '').toContain(confirmationUrl);
    const product = await createProduct(server.t.http, owner, { priceKes: 1250, stock: 5 });
    const { body: order } = await server.t.http
      .post('/api/orders')
      .send(orderBody(owner, [{ productId: product.id, quantity: 2 }], { customerName: 'Baraka Otieno' }))
      .expect(201);
    await server.t.http
      .post(new URL(confirmationUrl).pathname)
      .send(
        daraja.c2bConfirmation({ transId: 'UAB1CD2EF3', amount: 2500, billRef: 'for baraka', msisdn: '2547*****000' }),
      )
      .expect(200);
    await page.reload();
    const card = page.locator('.card', { hasText: 'UAB1CD2EF3' });
    await card.getByText('KES 2,500').waitFor();
    await checkScreen(page, 'mpesa');
    await card.getByRole('button', { name: 'Assign to an order' }).click();
    await card.getByLabel('Order').selectOption(order.id as string);
    await card.getByRole('button', { name: 'Assign' }).click();
    await page.getByText(`KES 2,500 applied to ${order.referenceCode as string}`).waitFor();
    await page.getByText('Every till and paybill payment has found its order.').waitFor();
    const paid = await server.t.http
      .get(`/api/orders/${order.id as string}`)
      .set('Cookie', owner.cookie)
      .expect(200);
    expect(paid.body).toMatchObject({ status: 'PAID', amountPaidKes: 2500 });
  });

  it('creates an endpoint with the keyboard alone', async () => {
    await page.goto('/integrations#/');
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page.getByText('Recent success').first().waitFor();
    await checkScreen(page, 'endpoints');
    await tabTo(page, 'a', 'Add endpoint');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Add an endpoint' }).waitFor();
    await tabTo(page, 'input', 'Address (URL)');
    await page.keyboard.type(`${rx.url}/keyboard`);
    await tabTo(page, 'input[type=checkbox]', 'Product created');
    await page.keyboard.press('Space');
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your signing secret' }).waitFor();
    const list = await server.t.http.get('/api/webhooks').set('Cookie', owner.cookie).expect(200);
    expect(list.body.map((e: { url: string; events: string[] }) => [e.url, e.events])).toContainEqual([
      `${rx.url}/keyboard`,
      ['PRODUCT_CREATED'],
    ]);
  });

  it('at 360 px wide nothing scrolls sideways and every control is reachable', async () => {
    const phone = await newContext(browser, server.base, PHONE);
    await signIn(phone.page, owner.email, owner.password);
    const screens: [string, string][] = [
      ['endpoints', '/integrations#/'],
      ['endpoint-form', '/integrations#/endpoints/new'],
      ['endpoint-detail', `/integrations#/endpoints/${endpointId}`],
      ['access', '/integrations#/access'],
      ['mpesa', '/integrations#/mpesa'],
    ];
    for (const [name, path] of screens) {
      await phone.page.goto(path);
      await phone.page.locator('main h1').waitFor();
      await phone.page.waitForLoadState('networkidle');
      if (name === 'endpoint-detail') await phone.page.locator('.delivery-row').first().click();
      if (name === 'endpoint-detail') await phone.page.getByRole('heading', { name: 'Attempts' }).waitFor();
      expect({ name, problems: await layoutProblems(phone.page) }).toEqual({ name, problems: [] });
      await screenshot(phone.page, `${name}-phone`);
    }
    expect(phone.cspViolations).toEqual([]);
    await phone.context.close();
  });

  it('a MANAGER sees the webhooks without write controls', async () => {
    const manager = await addMember(server.t.http, owner, 'MANAGER');
    const m = await newContext(browser, server.base);
    await signIn(m.page, manager.email, manager.password);
    await m.page.getByText('You are signed in as a manager', { exact: false }).waitFor();
    expect(await m.page.getByRole('link', { name: 'Add endpoint' }).count()).toBe(0);
    await m.page.goto(`/integrations#/endpoints/${endpointId}`);
    await m.page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    expect(await m.page.getByRole('button', { name: 'Send a test event' }).count()).toBe(0);
    await m.page.getByRole('link', { name: 'M-Pesa' }).click();
    await m.page.getByText('Only the shop owner can see and change the M-Pesa settings.').waitFor();
    await m.context.close();
  });

  it('a VIEWER sees everything read-only, and the API refuses the writes anyway', async () => {
    const viewer = await addMember(server.t.http, owner, 'VIEWER');
    const v = await newContext(browser, server.base);
    await signIn(v.page, viewer.email, viewer.password);
    await v.page.getByText('you can look at everything here').waitFor();
    await v.page.locator('.card').first().waitFor();
    expect(await v.page.getByRole('link', { name: 'Add endpoint' }).count()).toBe(0);
    await v.page.goto(`/integrations#/endpoints/${endpointId}`);
    await v.page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    await v.page.locator('.delivery-row').first().click();
    await v.page.getByRole('heading', { name: 'Attempts' }).waitFor();
    for (const name of ['Send a test event', 'Rotate secret', 'Delete', 'Switch off', 'Redeliver'])
      expect({ name, count: await v.page.getByRole('button', { name }).count() }).toEqual({ name, count: 0 });
    expect(await v.page.getByRole('button', { name: 'Recover failed deliveries' }).count()).toBe(0);
    await checkScreen(v.page, 'viewer-endpoint');
    // The same session, calling the API directly from the page.
    const statuses = await v.page.evaluate(async (id) => {
      const call = (method: string, path: string, body?: unknown) =>
        fetch(path, {
          method,
          headers: { 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        }).then((r) => r.status);
      return [
        await call('POST', '/api/webhooks', { url: 'https://example.com/x', events: ['ORDER_CREATED'] }),
        await call('POST', `/api/webhooks/${id}/rotate-secret`),
        await call('DELETE', `/api/webhooks/${id}`),
        await call('POST', '/api/api-keys', { name: 'x', access: 'full' }),
      ];
    }, endpointId);
    expect(statuses).toEqual([403, 403, 403, 403]);
    // Signing out (Settings, in the dashboard the page is part of) ends the API session too, not just the page's view.
    await v.page.goto('/integrations#/settings');
    await v.page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await v.page.getByRole('heading', { name: 'Sign in to Integrations' }).waitFor();
    expect(await v.page.evaluate(() => fetch('/api/auth/me').then((r) => r.status))).toBe(401);
    await v.context.close();
  });

  it('axe-core finds no serious or critical problem on any screen; no CSP violation, nothing fetched elsewhere', () => {
    expect(Object.keys(a11y).sort()).toEqual([
      'access',
      'endpoint-created',
      'endpoint-deliveries',
      'endpoint-form',
      'endpoint-parked',
      'endpoints',
      'mpesa',
      'sign-in',
      'viewer-endpoint',
    ]);
    expect(a11y).toEqual(Object.fromEntries(Object.keys(a11y).map((k) => [k, []])));
    expect(cspViolations).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
