import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { registerSeller, type SellerSession } from '../support/factories.js';
import { FakeDaraja } from '../support/fake-daraja.js';
import { DARAJA_CREDS } from '../support/mpesa-shop.js';
import { waitFor } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import { sql } from '../support/webhook-helpers.js';
import { DESKTOP, launch, newContext, type PageServer, servePage } from './browser-support.js';
import { cameraPhoto, checkDashboardScreen, imageSize, signInDashboard } from './dashboard-support.js';

/**
 * The seller dashboard's daily flows in Debian's Chromium, against the real app on a real PostgreSQL: orders arriving
 * and moving to DELIVERED, a product with a photo reaching the storefront, a CSV import with bad lines, analytics
 * charts drawing the API's figures. Roles and Kiswahili are in dashboard-roles.browser-spec.ts.
 */
describe('Seller dashboard (Chromium)', () => {
  let server: PageServer;
  let browser: Browser;
  let owner: SellerSession;
  let page: Page;
  let cspViolations: string[];
  let foreignRequests: string[];
  let productId: string;
  const problems: Record<string, string[]> = {};
  let phones = 0;
  const placeOrder = async (extra: Record<string, unknown> = {}) => {
    phones++;
    const res = await server.t.http
      .post('/api/orders')
      .send(
        orderBody(owner, [{ productId, quantity: 2 }], {
          paymentMethod: 'CASH_ON_DELIVERY',
          customerName: `Wanjiru ${phones}`,
          customerPhone: `07223${String(phones).padStart(5, '0')}`,
          ...extra,
        }),
      )
      .expect(201);
    return res.body as { id: string; referenceCode: string };
  };
  const api = (path: string) => server.t.http.get(path).set('Cookie', owner.cookie).expect(200);

  let daraja: FakeDaraja;

  beforeAll(async () => {
    daraja = await new FakeDaraja().start();
    // Only the prompt test's own shop saves Daraja credentials: the others send no prompts.
    server = await servePage({ MPESA_BASE_URL: daraja.url, MPESA_JOBS_ENABLED: 'false' });
    browser = await launch();
    owner = await registerSeller(server.t.http, { storeName: 'Duka la Wanjiru' });
    productId = (await createProduct(server.t.http, owner, { name: 'Kikoi Beach Wrap', priceKes: 1800, stock: 50 })).id;
    ({ page, cspViolations, foreignRequests } = await newContext(browser, server.base, DESKTOP));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.t.close();
    await daraja?.close();
  });

  it('serves the one app at /dashboard and /integrations, strict CSP, first screen under budget', async () => {
    const dashboard = await server.t.http.get('/dashboard').expect(200);
    const integrations = await server.t.http.get('/integrations').expect(200);
    expect(dashboard.text).toBe(integrations.text);
    expect(dashboard.headers['content-security-policy']).toContain("script-src 'self'");
    expect(dashboard.headers['content-security-policy']).not.toContain('unsafe');
    const report = JSON.parse(
      readFileSync(join(process.cwd(), 'dist', 'web', 'seller-app', 'bundle-report.json'), 'utf8'),
    ) as { firstScreenGzipKb: number; later: { chunk: string }[] };
    expect(report.firstScreenGzipKb).toBeLessThan(100);
    // Later screens are chunks of their own, the chart library among them.
    expect(report.later.map((l) => l.chunk)).toEqual(expect.arrayContaining(['analytics', 'product-form', 'sw']));
  });

  it('sends the browser the built JavaScript and CSS compressed, as the budget counts them', async () => {
    const assets: { url: string; encoding?: string; bytes: number }[] = [];
    const seen = (r: Response) => {
      if (!r.url().includes('/dashboard/assets/')) return;
      const h = r.headers();
      assets.push({ url: r.url(), encoding: h['content-encoding'], bytes: Number(h['content-length']) });
    };
    page.on('response', seen);
    await page.goto('/dashboard');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    page.off('response', seen);
    const entry = assets.find((a) => /\/index-[\w-]+\.js$/.test(a.url));
    expect(entry).toBeDefined();
    // Chromium asks for gzip over plain HTTP (Brotli too over HTTPS); either way the precompressed copy is sent.
    expect(entry!.encoding).toMatch(/^(gzip|br)$/);
    const built = (url: string) =>
      statSync(join(process.cwd(), 'dist', 'web', 'seller-app', 'assets', basename(url))).size;
    expect(entry!.bytes).toBeLessThan(built(entry!.url) / 2);
    // Every script and style sheet worth compressing (1 KB and more as built) came compressed.
    for (const a of assets.filter((x) => /\.(js|css)$/.test(x.url) && built(x.url) >= 1024))
      expect(a).toEqual(expect.objectContaining({ encoding: entry!.encoding }));
  });

  it('lands on the orders inbox; a storefront order appears without a reload and goes to DELIVERED', async () => {
    await signInDashboard(page, owner.email, owner.password);
    await page.getByText('No orders yet').waitFor();
    // A marker that a reload would wipe.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const order = await placeOrder();
    await page.getByRole('link', { name: new RegExp(order.referenceCode) }).waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await page.locator('.row.fresh').getByText('New').waitFor();
    // Still new under the filter that shows it.
    await page.getByRole('button', { name: 'Pending', exact: true }).click();
    await page.locator('.row.fresh').getByText('New').waitFor();
    // The orders under the filter, downloaded for the books with the session's cookie.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download these orders (CSV)' }).click(),
    ]);
    expect(download.url()).toMatch(/\/api\/orders\/export\?status=PENDING$/);
    expect(download.suggestedFilename()).toMatch(/^orders-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^\uFEFFreferenceCode,placedAt,status,/);
    expect(csv).toContain(`${order.referenceCode},`);
    // A month for the books: the dates narrow the list and the download alike.
    await page.getByLabel('From').fill('2000-01-01');
    await page.getByLabel('To').fill('2000-01-31');
    await page.getByText('No orders match.').waitFor();
    expect(await page.getByRole('link', { name: 'Download these orders (CSV)' }).getAttribute('href')).toBe(
      '/api/orders/export?status=PENDING&from=2000-01-01&to=2000-01-31',
    );
    await page.getByLabel('From').fill('');
    await page.getByLabel('To').fill('');
    await page.getByRole('link', { name: new RegExp(order.referenceCode) }).waitFor();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await checkDashboardScreen(page, 'orders-1280', problems);

    await page.getByRole('link', { name: new RegExp(order.referenceCode) }).click();
    await page.getByRole('heading', { level: 1, name: `Order ${order.referenceCode}` }).waitFor();
    await page.getByText('Kikoi Beach Wrap').waitFor();
    await page.getByText('Cash on delivery').first().waitFor();
    await checkDashboardScreen(page, 'order-1280', problems);
    for (const [button, status] of [
      ['Confirm order', 'Confirmed'],
      ['Mark dispatched', 'Dispatched'],
      ['Mark delivered', 'Delivered'],
    ]) {
      await page.getByRole('button', { name: button }).click();
      await page.getByText(`The order is now ${status}.`).waitFor();
    }
    // Delivered is the end: no move is offered any more.
    expect(await page.locator('.moves button').count()).toBe(0);
    // The timeline says who did each step: placed by the customer, the three moves by this seller.
    const steps = (await page.locator('.timeline li').allTextContents()).map((line) => line.replace(/ · .* · /, ' · '));
    expect(steps).toEqual([
      'Placed · by the customer',
      'Confirmed · by you',
      'Dispatched · by you',
      'Delivered · by you',
    ]);
    expect((await api(`/api/orders/${order.id}`)).body.status).toBe('DELIVERED');
    expect((await api(`/api/orders/${order.id}`)).body.timeline.map((e: { status: string }) => e.status)).toEqual(
      expect.arrayContaining(['CONFIRMED', 'DISPATCHED', 'DELIVERED']),
    );
  });

  it('takes a WhatsApp order: finds the product, refused past the stock in the API’s words, then placed', async () => {
    const soldOut = await createProduct(server.t.http, owner, { name: 'Kikoi Sold Out', priceKes: 1000, stock: 0 });
    await page.goto('/dashboard#/orders');
    await page.getByRole('link', { name: /New order/ }).click();
    await page.getByRole('heading', { level: 1, name: 'New order' }).waitFor();
    await page.getByLabel('Find a product').fill('kikoi');
    await page.locator(`#new-order-product option[value="${productId}"]`).waitFor({ state: 'attached' });
    // What is left beside the price; a sold-out one cannot be chosen.
    expect(await page.locator(`#new-order-product option[value="${soldOut.id}"]`).isDisabled()).toBe(true);
    expect(await page.locator(`#new-order-product option[value="${productId}"]`).textContent()).toMatch(
      /^Kikoi Beach Wrap · KES 1,800 · \d+ left$/,
    );
    await page.getByLabel('Product', { exact: true }).selectOption(productId);
    await page.getByRole('button', { name: 'Add to the order' }).click();
    const stock = (await api(`/api/products/${productId}`)).body.stock as number;
    await page.getByRole('spinbutton', { name: 'Kikoi Beach Wrap' }).fill(String(stock + 1));
    await page.getByLabel("Buyer's name", { exact: true }).fill('Njeri Mwangi');
    await page.getByLabel("Buyer's phone", { exact: true }).fill('0711 222 333');
    await page.getByLabel('Delivery address').fill('Tom Mboya Street, Nairobi');
    await page.getByLabel(/no prompt/).check();
    await page.getByLabel('Note (optional)').fill('WhatsApp, after 5 pm');
    await page.getByRole('button', { name: 'Place the order' }).click();
    await page.getByText(`Not enough stock for Kikoi Beach Wrap: ${stock + 1} asked`).waitFor();
    await page.getByRole('spinbutton', { name: 'Kikoi Beach Wrap' }).fill('3');
    await page.getByText('Total KES 5,400').waitFor();
    await page.getByRole('button', { name: 'Place the order' }).click();
    await page.getByRole('heading', { level: 1, name: /^Order SKH-/ }).waitFor();
    await page.locator('.timeline').getByText('WhatsApp, after 5 pm').waitFor();
    // The answer to the buyer, one tap away: their number, the order in words.
    const reply = new URL((await page.getByRole('link', { name: 'WhatsApp the buyer' }).getAttribute('href'))!);
    expect(reply.origin + reply.pathname).toBe('https://wa.me/254711222333');
    expect(reply.searchParams.get('text')).toMatch(
      /^Hello Njeri, your order SKH-\d{4}-\d{5} from Duka la Wanjiru: 3 × Kikoi/,
    );
    const orderId = decodeURIComponent(page.url().split('#/orders/')[1]);
    const placed = (await api(`/api/orders/${orderId}`)).body;
    expect(placed).toMatchObject({
      customerName: 'Njeri Mwangi',
      customerPhone: '+254711222333',
      paymentMethod: 'MPESA',
      deliveryAddress: 'Tom Mboya Street, Nairobi',
      totalKes: 5400,
      items: [{ productName: 'Kikoi Beach Wrap', quantity: 3 }],
      timeline: [{ status: 'PENDING', actor: owner.userId, note: 'WhatsApp, after 5 pm' }],
    });
    expect((await api(`/api/products/${productId}`)).body.stock).toBe(stock - 3);
    // Paid to the till already: no prompt was asked for, the order waits for the payment the seller records.
    const [{ stk_prompt }] = await sql<{ stk_prompt: boolean }>(
      server.t.app,
      'select stk_prompt from orders where id = ?',
      [orderId],
    );
    expect(stk_prompt).toBe(false);
    await page.getByRole('heading', { name: 'Record a payment seen on the till' }).waitFor();
    // She orders again next week: from her profile, the form starts with her name and number.
    await page.goto(`/dashboard#/customers/${placed.customerId}`);
    await page.getByRole('link', { name: /New order for this customer/ }).click();
    await page.getByRole('heading', { level: 1, name: 'New order' }).waitFor();
    await page.waitForFunction(
      () => document.querySelector<HTMLInputElement>('#new-order-phone')?.value === '+254711222333',
    );
    expect(await page.getByLabel("Buyer's name", { exact: true }).inputValue()).toBe('Njeri Mwangi');
  });

  it('sends the M-Pesa prompt again from an unpaid order, showing how the last one went', async () => {
    const shop = await registerSeller(server.t.http, { storeName: 'Duka la Simu' });
    await server.t.http.put('/api/payments/mpesa/settings').set('Cookie', shop.cookie).send(DARAJA_CREDS).expect(200);
    const sufuria = await createProduct(server.t.http, shop, { name: 'Sufuria', priceKes: 900, stock: 5 });
    // M-Pesa refuses the first push (the phone is busy with another payment): recorded as a failed prompt.
    daraja.refuseStk = true;
    const placed = await server.t.http
      .post('/api/orders')
      .send(orderBody(shop, [{ productId: sufuria.id, quantity: 1 }], { customerPhone: '0733 444 555' }))
      .expect(201);
    await waitFor(async () => {
      const state = await server.t.http.get(`/api/orders/${placed.body.id}/prompt`).set('Cookie', shop.cookie);
      return state.body.lastPrompt?.status === 'FAILED';
    }, 5000);
    daraja.refuseStk = false;
    const pushes = daraja.stkRequests.length;
    const own = await newContext(browser, server.base, DESKTOP);
    await signInDashboard(own.page, shop.email, shop.password);
    await own.page.goto(`/dashboard#/orders/${placed.body.id}`);
    await own.page.getByText('did not go through').waitFor();
    await own.page.getByRole('button', { name: 'Send the M-Pesa prompt again' }).click();
    await own.page.getByText('Prompt sent to +254733444555.').waitFor();
    await own.page.getByText("on the buyer's phone").waitFor();
    // One push more, to the order's phone; and no second button while it is on the phone.
    expect(daraja.stkRequests.slice(pushes).map((r) => r.body.PhoneNumber)).toEqual(['254733444555']);
    expect(await own.page.getByRole('button', { name: 'Send the M-Pesa prompt again' }).count()).toBe(0);
    await own.context.close();
  });

  it('records a payment the seller saw on the till: part, then the rest; a code used before is refused', async () => {
    // An M-Pesa order with no prompt sent (the shop has no Daraja credentials): the buyer paid the till instead.
    const order = await placeOrder({ paymentMethod: 'MPESA' });
    const total = (await api(`/api/orders/${order.id}`)).body.totalKes as number;
    await page.goto(`/dashboard#/orders/${order.id}`);
    await page.getByRole('heading', { name: 'Record a payment seen on the till' }).waitFor();
    // A fresh screen: nothing said about the order opened before (it was just marked delivered).
    expect(await page.locator('.done, .problem').count()).toBe(0);
    expect(await page.getByLabel('Amount (KES)').inputValue()).toBe(String(total));
    await page.getByLabel('M-Pesa code').fill('qgh1234x5a');
    await page.getByLabel('Amount (KES)').fill('500');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await page.getByText('Payment recorded.').waitFor();
    // Part paid: still pending, the rest due, the form offering what is left.
    await page.waitForFunction(
      (rest) => document.querySelector<HTMLInputElement>('#pay-amount')?.value === rest,
      String(total - 500),
    );
    await page.getByLabel('M-Pesa code').fill('QGH1234X5A');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await page.locator('#pay-receipt-error, .problem').first().waitFor();
    await page.getByLabel('M-Pesa code').fill('QGH1234X5B');
    await page.getByRole('button', { name: 'Record payment' }).click();
    // Paid: the form has nothing left to record.
    await page.waitForFunction(() => document.querySelectorAll('.record-payment').length === 0);
    await page.locator('.card-head').getByText('Paid', { exact: true }).waitFor();
    const paid = (await api(`/api/orders/${order.id}`)).body;
    expect(paid).toMatchObject({ status: 'PAID', amountPaidKes: total, amountDueKes: 0 });
  });

  it('records cash on delivery paid to the till at the door, on a dispatched order', async () => {
    const order = await placeOrder({ paymentMethod: 'CASH_ON_DELIVERY' });
    for (const move of ['confirm', 'dispatch'])
      await server.t.http.post(`/api/orders/${order.id}/${move}`).set('Cookie', owner.cookie).send({}).expect(200);
    const total = (await api(`/api/orders/${order.id}`)).body.totalKes as number;
    await page.goto(`/dashboard#/orders/${order.id}`);
    await page.getByText('To collect at the door').waitFor();
    expect(await page.getByLabel('Amount (KES)').inputValue()).toBe(String(total));
    await page.getByLabel('M-Pesa code').fill('QDR7770001');
    await page.getByRole('button', { name: 'Record payment' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.record-payment').length === 0);
    await page.locator('.card-head').getByText('Dispatched', { exact: true }).waitFor();
    // The money is a step of its own on the timeline, not a second "Dispatched".
    await page.waitForFunction(
      () => document.querySelector('.timeline li:last-child strong')?.textContent === 'Payment',
    );
    const paid = (await api(`/api/orders/${order.id}`)).body;
    expect(paid).toMatchObject({
      status: 'DISPATCHED',
      amountPaidKes: total,
      amountDueKes: 0,
      mpesaReceipt: 'QDR7770001',
    });
  });

  it('says what is owed back on an order cancelled after money came in, and points to the review queue', async () => {
    const order = await placeOrder({ paymentMethod: 'CASH_ON_DELIVERY' });
    const as = (path: string, body: object) =>
      server.t.http.post(`/api/orders/${order.id}/${path}`).set('Cookie', owner.cookie).send(body);
    await as('confirm', {}).expect(200);
    await as('payments', { mpesaReceipt: 'QRF1000001', amountKes: 500 }).expect(201);
    await as('cancel', { reason: 'Buyer moved away' }).expect(200);
    await page.goto(`/dashboard#/orders/${order.id}`);
    await page.getByText('To refund', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'See Payments to review' }).click();
    await page
      .locator('li.card', { hasText: 'QRF1000001' })
      .getByText(/cancelled after this payment/)
      .waitFor();
  });

  it('empties the review queue: a flagged overpayment is marked dealt with, saying what was done', async () => {
    const order = await placeOrder({ paymentMethod: 'MPESA' });
    const total = (await api(`/api/orders/${order.id}`)).body.totalKes as number;
    const over = await server.t.http
      .post(`/api/orders/${order.id}/payments`)
      .set('Cookie', owner.cookie)
      .send({ mpesaReceipt: 'QRS5550001', amountKes: total + 300 })
      .expect(201);
    expect(over.body.status).toBe('FLAGGED');
    // From the inbox, as a seller gets there (the page may already show the queue, read before this payment).
    await page.goto('/dashboard#/orders');
    await page.goto('/dashboard#/payments');
    const card = page.locator('li.card', { hasText: 'QRS5550001' });
    await card.getByText('Overpaid by KES 300: refund the customer').waitFor();
    await card.getByRole('button', { name: 'Mark dealt with' }).click();
    await card.getByLabel('What did you do?').fill('Refunded KES 300 by M-Pesa');
    await card.getByRole('button', { name: 'Mark dealt with' }).click();
    await page.getByText('Marked dealt with.').waitFor();
    await page.waitForFunction(() => !document.body.innerText.includes('QRS5550001'));
    const payment = (await api(`/api/payments/${over.body.id}`)).body;
    expect(payment).toMatchObject({
      status: 'FLAGGED',
      resolution: 'Refunded KES 300 by M-Pesa',
      resolvedBy: owner.email,
    });
  });

  it('shows the API’s own words when a move is refused (someone else cancelled the order first)', async () => {
    const order = await placeOrder();
    await page.goto(`/dashboard#/orders/${order.id}`);
    await page.getByRole('button', { name: 'Confirm order' }).waitFor();
    await server.t.http
      .post(`/api/orders/${order.id}/cancel`)
      .set('Cookie', owner.cookie)
      .send({ reason: 'Customer called' })
      .expect(200);
    await page.getByRole('button', { name: 'Confirm order' }).click();
    await page
      .locator('.problem')
      .getByText(/Cannot confirm an order that is CANCELLED/)
      .waitFor();
  });

  it('creates a product with a photo made small in the browser, and the storefront shows it', async () => {
    await page.goto('/dashboard#/products');
    await page.getByRole('heading', { level: 1, name: 'Products' }).waitFor();
    await page.getByRole('link', { name: 'Add product' }).click();
    await page.getByRole('heading', { level: 1, name: 'New product' }).waitFor();
    await page.getByLabel('Photo').setInputFiles({
      name: 'IMG_2041.jpg',
      mimeType: 'image/jpeg',
      buffer: await cameraPhoto(page),
    });
    await page.locator('img.photo-preview').waitFor();
    await page.getByLabel('Name').fill('Kiondo Basket');
    await page.getByLabel('Price (KES)', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Create product' }).click();
    // The API's message lands under its field.
    await page.locator('#p-priceKes-error').getByText('priceKes must be greater than 0').waitFor();
    await page.getByLabel('Price (KES)', { exact: true }).fill('2500');
    await page.getByLabel('Stock', { exact: true }).fill('12');
    await page.getByLabel('Category').fill('Baskets');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kiondo Basket' }).waitFor();
    await page.getByRole('heading', { name: 'Variants' }).waitFor();
    await page.getByLabel('Variant name').fill('Large');
    await page.getByLabel('Stock', { exact: true }).last().fill('4');
    await page.getByRole('button', { name: 'Add variant' }).click();
    await page.getByText('Large', { exact: true }).waitFor();
    await checkDashboardScreen(page, 'product-1280', problems);
    // Fixing a variant's stock.
    await page.getByLabel('Stock of Large').fill('1');
    const saveStock = page.locator('.variant-stock').getByRole('button', { name: 'Save' });
    await saveStock.click();
    // Saved once the row shows the product read back with 1 (its Save has nothing left to send).
    await page.waitForFunction(() => document.querySelector<HTMLButtonElement>('.variant-stock button')?.disabled);
    // Sold by variant now: the product's stock is their sum, read-only, and editing the product still saves.
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('#p-stock')?.value === '1');
    expect(await page.locator('#p-stock').isDisabled()).toBe(true);
    await page.locator('#p-description').fill('Woven sisal, leather straps');
    await page.getByRole('button', { name: 'Save', exact: true }).first().click();
    await page.getByText('Product saved').waitFor();

    const store = await server.t.http.get(`/api/storefront/${owner.storeSlug}/products`).expect(200);
    const listed = (store.body.data as { name: string; images: { url: string }[]; variants: unknown[] }[]).find(
      (p) => p.name === 'Kiondo Basket',
    );
    expect(listed?.images).toHaveLength(1);
    expect(listed?.variants).toEqual([expect.objectContaining({ name: 'Large', inStock: true })]);
    const own = (await api(`/api/products?q=Kiondo`)).body.data[0] as { variants: { stock: number }[] };
    expect(own.variants.map((v) => v.stock)).toEqual([1]);
    // A rude review arrives on the storefront: the seller hides it from the product's page.
    const productId = (await api(`/api/products?q=Kiondo`)).body.data[0].id as string;
    await server.t.http
      .post(`/api/storefront/${owner.storeSlug}/products/${productId}/reviews`)
      .send({ customerName: 'Troll', rating: 1, comment: 'Rubbish shop' })
      .expect(201);
    await page.reload();
    await page.getByRole('heading', { name: 'Reviews' }).waitFor();
    await page.getByText('Rubbish shop').waitFor();
    await page.getByRole('button', { name: 'Hide from the storefront' }).click();
    await page.getByRole('button', { name: 'Show on the storefront' }).waitFor();
    const shown = await server.t.http.get(`/api/storefront/${owner.storeSlug}/products/${productId}`).expect(200);
    expect(shown.body).toMatchObject({ reviewCount: 0, averageRating: null });
    const media = await server.t.http.get(listed!.images[0].url).expect(200);
    expect(media.headers['content-type']).toBe('image/jpeg');
    // Sent at most 1600 px on its longest side, not the camera's 3000.
    expect(await imageSize(page, listed!.images[0].url)).toEqual({ width: 1600, height: 1067 });
    // The wrong photo? It comes off, bytes and all, and the product shows none.
    await page.getByRole('button', { name: 'Remove photo' }).click();
    await page.getByText('No photo yet').waitFor();
    await server.t.http.get(listed!.images[0].url).expect(404);
  });

  it('imports 200 CSV rows with 3 bad lines: shows the progress and the 3 errors by file line', async () => {
    const lines = ['name,priceKes,stock,category'];
    for (let i = 1; i <= 200; i++) {
      if (i === 17) lines.push(`"Shuka, red",-5,3,Textiles`);
      else if (i === 88) lines.push(`,900,3,Textiles`);
      else if (i === 150) lines.push(`Sisal mat ${i},1200,many,Home`);
      else lines.push(`Beaded bracelet ${i},${300 + i},${i % 9},Jewellery`);
    }
    await page.goto('/dashboard#/products/import');
    await page.getByRole('heading', { level: 1, name: 'Import products from CSV' }).waitFor();
    await page.getByLabel('CSV file').setInputFiles({
      name: 'products.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${lines.join('\r\n')}\r\n`),
    });
    // Progress is reported as slices come back (sampled while it runs).
    const seen = new Set<string>();
    const watch = setInterval(() => {
      void page
        .locator('.import-progress label')
        .textContent({ timeout: 50 })
        .then((t) => t && seen.add(t))
        .catch(() => undefined);
    }, 30);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('Done: 197 products added, 3 lines with problems.').waitFor({ timeout: 30_000 });
    clearInterval(watch);
    expect(await page.locator('.import-progress label').textContent()).toBe('200 of 200 lines checked');
    expect(await page.locator('#import-bar').getAttribute('value')).toBe('200');
    expect(seen.size).toBeGreaterThan(1);
    const errors = await page.locator('.import-errors li').allTextContents();
    expect(errors).toHaveLength(3);
    // Line numbers of the file: the header is line 1, so row 17 is line 18.
    expect(errors[0]).toMatch(/^Line 18: .*priceKes must be greater than 0/);
    expect(errors[1]).toMatch(/^Line 89: .*name/);
    expect(errors[2]).toMatch(/^Line 151: .*stock/);
    await checkDashboardScreen(page, 'import-1280', problems);
    expect((await api('/api/products?limit=1&q=Beaded')).body.total).toBe(197);
  });

  it('takes stock: the list downloaded, counts written in, a wrong line refused by its file line, then saved', async () => {
    await createProduct(server.t.http, owner, { name: 'Sisal basket', priceKes: 700, stock: 9, sku: 'SIS-1' });
    await page.goto('/dashboard#/products');
    await page.getByRole('link', { name: 'Stock take' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stock take' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the stock list (CSV)' }).click(),
    ]);
    const list = readFileSync(await download.path(), 'utf8');
    const [header, ...rows] = list.trim().split('\n');
    const basket = rows.find((r) => r.startsWith('Sisal basket,'))!;
    const counted = basket.replace(',700,,9,', ',700,,6,');
    // Every other line emptied (not counted), and one the shop does not sell.
    const blank = (r: string) =>
      r
        .split(',')
        .map((cell, i) => (i === 6 ? '' : cell))
        .join(',');
    const others = rows.filter((r) => r !== basket).map(blank);
    const upload = (lines: string[]) =>
      page.getByLabel('Counted stock list (CSV)').setInputFiles({
        name: 'counted.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from([header, ...lines].join('\n')),
      });
    await upload([counted, ...others, 'Ghost,,GHOST-9,,1,,4,5,4,true,,,']);
    await page.getByRole('button', { name: 'Set the stock' }).click();
    const refused = page.locator('.import-errors li');
    await refused.first().waitFor();
    expect(await refused.allTextContents()).toEqual([`Line ${rows.length + 2}: no such sku in your shop`]);
    expect((await api(`/api/products?q=Sisal basket`)).body.data[0].stock).toBe(9);
    await upload([counted, ...others]);
    await page.getByRole('button', { name: 'Set the stock' }).click();
    await page.getByText(`Stock saved: 1 line changed, 0 already right, ${others.length} not counted.`).waitFor();
    expect(await page.locator('.import-errors li').allTextContents()).toEqual(['Sisal basket: 9 → 6']);
    expect((await api(`/api/products?q=Sisal basket`)).body.data[0].stock).toBe(6);
    await checkDashboardScreen(page, 'stock-take-1280', problems);
  });

  it('lists products with search, filters and a low-stock badge, and deletes one', async () => {
    await createProduct(server.t.http, owner, { name: 'Maasai Shuka', priceKes: 1200, stock: 2, lowStockThreshold: 5 });
    await page.goto('/dashboard#/products');
    await page.getByLabel('Search products').fill('Shuka');
    const row = page.locator('.row', { hasText: 'Maasai Shuka' });
    await row.getByText('Low stock: 2').waitFor();
    await page.getByLabel('Search products').fill('');
    await page.getByRole('button', { name: 'Low stock', exact: true }).click();
    await page.locator('.row').first().waitFor();
    const low = await page.locator('.row strong:first-child').allTextContents();
    expect(low).toContain('Maasai Shuka');
    expect(low).not.toContain('Kiondo Basket');
    // What is running low, as a file to count against the shelf.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download these products (CSV)' }).click(),
    ]);
    expect(download.url()).toMatch(/\/api\/products\/export\?lowStock=true$/);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^\uFEFFname,variant,sku,category,priceKes,/);
    expect(csv).toMatch(/\nMaasai Shuka,,,,1200,,2,5,2400,true,/);
    // Only what is low: every product sold without variants at or under its threshold.
    const plain = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','))
      .filter((cells) => !cells[1]);
    expect(plain.length).toBeGreaterThan(1);
    expect(plain.filter(([, , , , , , stock, threshold]) => Number(stock) > Number(threshold))).toEqual([]);
    await row.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Maasai Shuka' }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).first().click();
    await page.locator('dialog[open]').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { level: 1, name: 'Products' }).waitFor();
    const store = await server.t.http.get(`/api/storefront/${owner.storeSlug}/products?q=Shuka`).expect(200);
    expect(store.body.data).toEqual([]);
  });

  it('draws the analytics charts from the figures the API returns', async () => {
    await page.goto('/dashboard#/analytics');
    await page.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor();
    await page.locator('#chart-revenue').waitFor();
    await page.locator('#chart-top').waitFor();
    const revenue = (await api('/api/analytics/revenue?period=30d&granularity=daily')).body as {
      series: { revenueKes: number }[];
    };
    const top = (await api('/api/analytics/top-products?period=30d')).body as {
      products: { name: string; unitsSold: number }[];
    };
    const drawn = async (id: string) =>
      JSON.parse((await page.locator(`#${id}`).getAttribute('data-series')) ?? '[]') as number[][];
    expect((await drawn('chart-revenue'))[0]).toEqual(revenue.series.map((p) => p.revenueKes));
    expect(revenue.series.some((p) => p.revenueKes > 0)).toBe(true);
    expect((await drawn('chart-top'))[0]).toEqual(top.products.map((p) => p.unitsSold));
    expect(JSON.parse((await page.locator('#chart-top').getAttribute('data-labels'))!)).toEqual(
      top.products.map((p) => p.name),
    );
    // The bars are on the canvas: some pixels are the brand colour.
    const painted = await page.locator('#chart-top').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] === 11 && d[i + 1] === 107 && d[i + 2] === 79) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(100);
    // The table view holds the same figures, for screen readers and for anyone who asks.
    await page.getByRole('button', { name: 'Show as table' }).nth(1).click();
    const cells = await page
      .locator('#chart-top-title + * + table tbody td, figure:has(#chart-top) tbody td')
      .allTextContents();
    expect(cells).toEqual(top.products.map((p) => String(p.unitsSold)));
    await checkDashboardScreen(page, 'analytics-1280', problems);
    // By week over 90 days: the chart follows the API again.
    await page.getByLabel('Period').selectOption('90d');
    await page.getByLabel('Revenue by').selectOption('weekly');
    const weekly = (await api('/api/analytics/revenue?period=90d&granularity=weekly')).body as {
      series: { revenueKes: number }[];
    };
    await page.waitForFunction(
      (n) => JSON.parse(document.querySelector('#chart-revenue')!.getAttribute('data-series')!)[0].length === n,
      weekly.series.length,
    );
    expect((await drawn('chart-revenue'))[0]).toEqual(weekly.series.map((p) => p.revenueKes));
  });

  it('customers: list, profile with orders and totals, edit', async () => {
    await page.goto('/dashboard#/customers');
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor();
    await page.getByLabel('Search customers').fill('Wanjiru 1');
    // The customers the search shows, downloaded as a file (an SMS list, the books).
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download these customers (CSV)' }).click(),
    ]);
    expect(download.url()).toMatch(/\/api\/customers\/export\?q=Wanjiru\+1$/);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^\uFEFFname,phone,email,tags,/);
    expect(csv).toContain('Wanjiru 1,');
    await page
      .getByRole('link', { name: /Wanjiru 1\b/ })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: 'Wanjiru 1' }).waitFor();
    expect(await page.getByRole('link', { name: 'WhatsApp', exact: true }).getAttribute('href')).toBe(
      'https://wa.me/254722300001',
    );
    // Spent and the average order are both one order's 2 × KES 1,800.
    expect(await page.locator('.stat-cards dd').allTextContents()).toEqual(expect.arrayContaining(['KES 3,600', '1']));
    await page.getByLabel('Notes').fill('Prefers pickup on Saturdays');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Customer saved.').waitFor();
    await checkDashboardScreen(page, 'customer-1280', problems);
  });

  it('broke no CSP rule, called no other origin, and axe found nothing serious on any screen', () => {
    expect(cspViolations).toEqual([]);
    expect(foreignRequests).toEqual([]);
    expect(problems).toEqual(Object.fromEntries(Object.keys(problems).map((k) => [k, []])));
  });
});
