import { addMember, registerSeller, type SellerSession } from '../support/factories.js';
import { FakeDaraja } from '../support/fake-daraja.js';
import { DARAJA_CREDS } from '../support/mpesa-shop.js';
import { startReceiver, waitFor, type Receiver } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { createEndpoint, publishOrders, sql } from '../support/webhook-helpers.js';

const ADMIN = 'operator-token-0123456789';

/**
 * Issue #24: money, deliveries and stock cannot be turned against the shop by someone who can read it (a VIEWER, a
 * read key, a leaked callback URL, a partner key) or exhausted by one person.
 */
describe('Money, deliveries and stock under an insider (e2e)', () => {
  let t: TestApp;
  let daraja: FakeDaraja;
  let rx: Receiver;
  beforeAll(async () => {
    daraja = await new FakeDaraja().start();
    rx = await startReceiver();
    t = await bootApp({
      TRUST_PROXY: 'loopback',
      ADMIN_TOKEN: ADMIN,
      MPESA_BASE_URL: daraja.url,
      MPESA_JOBS_ENABLED: 'false',
      MPESA_QUERY_AFTER_S: '3600',
      // 127.0.0.2 plays Safaricom; everything else on loopback is an outsider.
      MPESA_CALLBACK_ALLOWED_IPS: '127.0.0.2',
      MPESA_CALLBACK_RATE_LIMIT_PER_MINUTE: '5',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_WORKER_INTERVAL_MS: '100',
      WEBHOOK_RETRY_DELAYS_MS: '300',
      WEBHOOK_MAX_ATTEMPTS: '5',
      PARTNER_HOOKS_PER_COMPANY: '3',
      ORDER_OPEN_PER_ADDRESS: '2',
      ORDER_MAX_UNITS_PER_LINE: '20',
      SHOP_STORAGE_QUOTA_MB: '1',
    });
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
    await daraja.close();
  });

  describe('M-Pesa', () => {
    it('shows the callback token once, to the owner who saved it; a VIEWER and a key never read it', async () => {
      const s = await registerSeller(t.http);
      const saved = await t.http.put('/api/payments/mpesa/settings').set('Cookie', s.cookie).send(DARAJA_CREDS);
      expect(saved.body).toMatchObject({ configured: true, callbackTokenShown: true });
      const token = new URL(saved.body.callbackUrl).pathname.split('/').pop()!;
      expect(token.length).toBeGreaterThanOrEqual(30);
      const again = await t.http.get('/api/payments/mpesa/settings').set('Cookie', s.cookie).expect(200);
      expect(again.body.callbackTokenShown).toBe(false);
      expect(JSON.stringify(again.body)).not.toContain(token);
      // Saving again (new credentials) keeps the URL Daraja knows, and does not show it again.
      const resaved = await t.http
        .put('/api/payments/mpesa/settings')
        .set('Cookie', s.cookie)
        .send({ ...DARAJA_CREDS, consumerSecret: 'rotated-secret-0001' })
        .expect(200);
      expect(JSON.stringify(resaved.body)).not.toContain(token);
      const viewer = await addMember(t.http, s, 'VIEWER');
      await t.http.get('/api/payments/mpesa/settings').set('Cookie', viewer.cookie).expect(403);
      const key = await t.http.post('/api/api-keys').set('Cookie', s.cookie).send({ name: 'r', access: 'read' });
      await t.http.get('/api/payments/mpesa/settings').set('Authorization', `Bearer ${key.body.key}`).expect(403);
      // The old URL still works (pushes in flight carry it).
      await t.http.post(`/api/payments/mpesa/callback/${token}`).send(daraja.callback('ws_CO_none')).expect(200);
    });

    it('limits callbacks per address (Daraja exempt) and refuses bodies over 16 KB', async () => {
      const s = await registerSeller(t.http);
      const saved = await t.http.put('/api/payments/mpesa/settings').set('Cookie', s.cookie).send(DARAJA_CREDS);
      const path = new URL(saved.body.callbackUrl).pathname;
      const from = (ip: string) => t.http.post(path).set('X-Forwarded-For', ip);
      for (let i = 0; i < 5; i++)
        await from('203.0.113.9')
          .send(daraja.callback(`ws_CO_junk${i}`))
          .expect(200);
      const limited = await from('203.0.113.9').send(daraja.callback('ws_CO_junk9')).expect(429);
      expect(limited.body).toMatchObject({ success: false, code: 'RATE_LIMITED' });
      for (let i = 0; i < 8; i++)
        await from('127.0.0.2')
          .send(daraja.callback(`ws_CO_safaricom${i}`))
          .expect(200);
      const big = { ...daraja.callback('ws_CO_big'), padding: 'x'.repeat(17 * 1024) };
      const refused = await from('198.51.100.1').send(big).expect(413);
      expect(refused.body).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE' });
      // Callbacks that matched nothing are purged after 30 days.
      await sql(t.app, "update payment_callbacks set received_at = now() - interval '31 days' where seller_id = ?", [
        s.sellerId,
      ]);
      const { PaymentJobsService } = await import('../../src/payments/payment-jobs.service.js');
      expect(await t.app.get(PaymentJobsService).purgeUnmatchedCallbacks()).toBeGreaterThanOrEqual(13);
      expect(await sql(t.app, 'select 1 from payment_callbacks where seller_id = ?', [s.sellerId])).toEqual([]);
    });

    it('keeps receipts unique per shop: another shop recording the same receipt learns nothing', async () => {
      const paid = async (s: SellerSession) => {
        const p = await createProduct(t.http, s, { priceKes: 700 });
        const { body: order } = await t.http
          .post('/api/orders')
          .set('X-Forwarded-For', `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`)
          .send(orderBody(s, [{ productId: p.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }))
          .expect(201);
        return t.http
          .post(`/api/orders/${order.id}/payments`)
          .set('Cookie', s.cookie)
          .send({ mpesaReceipt: 'QSHARED001', amountKes: 700 });
      };
      const a = await registerSeller(t.http);
      const b = await registerSeller(t.http);
      expect((await paid(a)).status).toBe(201);
      expect((await paid(b)).status).toBe(201);
      expect((await paid(a)).status).toBe(409);
    });
  });

  describe('deliveries', () => {
    it('sends retries and the parked backlog to the URL the seller set since, not the one the event had', async () => {
      const s = await registerSeller(t.http);
      const dead = `${rx.url}/dead-${s.sellerId}`;
      const fixed = `${rx.url}/fixed-${s.sellerId}`;
      rx.respond((req, res) => void res.writeHead(req.path.startsWith('/dead') ? 500 : 200).end('x'));
      const { id } = await createEndpoint(t.http, s, dead);
      await publishOrders(t.app, s.sellerId, 1);
      await waitFor(() => rx.requests.some((r) => r.path === `/dead-${s.sellerId}`), 5000, 'the first attempt');
      await t.http.patch(`/api/webhooks/${id}`).set('Cookie', s.cookie).send({ url: fixed }).expect(200);
      await waitFor(() => rx.requests.some((r) => r.path === `/fixed-${s.sellerId}`), 5000, 'the retry at the new URL');
      // The delivery records where it went.
      const [sent] = await waitFor(
        () =>
          sql<{ url: string }>(
            t.app,
            "select url from webhook_deliveries where subscription_id = ? and status = 'SUCCEEDED'",
            [id],
          ).then((r) => (r.length ? r : undefined)),
        5000,
      );
      expect(sent.url).toBe(fixed);

      // Switched off by hand with deliveries parked... by failures: an endpoint its failures stopped parks events;
      // fixed and switched on, the backlog goes to the new URL and the endpoint stays on.
      const second = await createEndpoint(t.http, s, `${dead}/2`);
      await sql(
        t.app,
        `update webhook_endpoints set is_active = false, disabled_by = 'FAILURES', disabled_at = now() where id = ?`,
        [second.id],
      );
      await publishOrders(t.app, s.sellerId, 2);
      await waitFor(
        async () =>
          (
            await sql(t.app, "select 1 from webhook_deliveries where subscription_id = ? and status = 'PAUSED'", [
              second.id,
            ])
          ).length === 2,
        5000,
        'two parked deliveries',
      );
      await t.http
        .patch(`/api/webhooks/${second.id}`)
        .set('Cookie', s.cookie)
        .send({ url: `${fixed}/2` })
        .expect(200);
      await t.http.patch(`/api/webhooks/${second.id}/toggle`).set('Cookie', s.cookie).send({ isActive: true });
      await waitFor(
        () => rx.requests.filter((r) => r.path === `/fixed-${s.sellerId}/2`).length === 2,
        5000,
        'the backlog at the new URL',
      );
      expect(rx.requests.filter((r) => r.path === `/dead-${s.sellerId}/2`)).toEqual([]);
      const endpoint = await t.http.get(`/api/webhooks/${second.id}`).set('Cookie', s.cookie).expect(200);
      expect(endpoint.body.isActive).toBe(true);
    });

    it('masks signature values in the delivery log for VIEWERs and read keys', async () => {
      const s = await registerSeller(t.http);
      rx.respond((_req, res) => void res.writeHead(200).end('ok'));
      const { id } = await createEndpoint(t.http, s, `${rx.url}/masked-${s.sellerId}`);
      await publishOrders(t.app, s.sellerId, 1);
      const [row] = await waitFor(
        () =>
          sql<{ id: string }>(
            t.app,
            "select id from webhook_deliveries where subscription_id = ? and status = 'SUCCEEDED'",
            [id],
          ).then((r) => (r.length ? r : undefined)),
        5000,
      );
      const path = `/api/webhooks/${id}/deliveries/${row.id}`;
      const owner = (await t.http.get(path).set('Cookie', s.cookie).expect(200)).body.attemptLog[0].requestHeaders;
      const sent = rx.requests.find((r) => r.path === `/masked-${s.sellerId}`)!;
      expect(owner['X-SokoHub-Signature']).toBe(sent.headers['x-sokohub-signature']);
      const viewer = await addMember(t.http, s, 'VIEWER');
      const key = await t.http.post('/api/api-keys').set('Cookie', s.cookie).send({ name: 'r', access: 'read' });
      for (const res of [
        await t.http.get(path).set('Cookie', viewer.cookie).expect(200),
        await t.http.get(path).set('Authorization', `Bearer ${key.body.key}`).expect(200),
      ]) {
        const headers = res.body.attemptLog[0].requestHeaders;
        expect(headers['X-SokoHub-Signature']).toBe('sha256=***');
        expect(headers['webhook-signature']).toBe('v1,***');
        expect(headers['X-SokoHub-Event']).toBe('ORDER_CREATED');
        expect(JSON.stringify(res.body)).not.toContain(String(sent.headers['x-sokohub-signature']).slice(7));
      }
    });

    it("fails a company-wide hook's queued deliveries once the shop revokes access, saying why", async () => {
      const s = await registerSeller(t.http);
      const company = (await t.http.post('/api/admin/partners').set('X-Admin-Token', ADMIN).send({ name: 'Co' })).body;
      await t.http.put(`/api/partner-access/${company.id}`).set('Cookie', s.cookie).expect(200);
      const hookPath = `/partner-${company.id}`;
      rx.respond((req, res) => void res.writeHead(req.path === hookPath ? 503 : 200).end('x'));
      const hook = await t.http
        .post('/api/v1/partner/webHooks')
        .set('Authorization', `Bearer ${company.apiKey}`)
        .send({ webHookUrls: [`${rx.url}${hookPath}`], webHookType: 'NEW_CONSUMER_ORDER' })
        .expect(201);
      await publishOrders(t.app, s.sellerId, 1);
      await waitFor(() => rx.requests.some((r) => r.path === hookPath), 5000, 'the first partner attempt');
      await t.http.delete(`/api/partner-access/${company.id}`).set('Cookie', s.cookie).expect(204);
      const [failed] = await waitFor(
        () =>
          sql<{ status: string; last_error: string }>(
            t.app,
            "select status, last_error from webhook_deliveries where subscription_id = ? and status <> 'PENDING'",
            [hook.body.id],
          ).then((r) => (r.length ? r : undefined)),
        5000,
        'the queued delivery to fail',
      );
      expect(failed).toMatchObject({ status: 'FAILED', last_error: expect.stringContaining('revoked') });
    });

    it('caps live hooks per company and URLs per hook', async () => {
      const company = (await t.http.post('/api/admin/partners').set('X-Admin-Token', ADMIN).send({ name: 'Co' })).body;
      const create = (urls: string[]) =>
        t.http
          .post('/api/v1/partner/webHooks')
          .set('Authorization', `Bearer ${company.apiKey}`)
          .send({ webHookUrls: urls });
      const six = Array.from({ length: 6 }, (_, i) => `${rx.url}/u${i}`);
      expect((await create(six)).status).toBe(400);
      const five = await create(six.slice(0, 5));
      expect(five.status).toBe(201);
      const withUrl = await t.http
        .post('/api/v1/partner/webHooks')
        .set('Authorization', `Bearer ${company.apiKey}`)
        .send({ url: `${rx.url}/extra`, webHookUrls: six.slice(0, 5) });
      expect(withUrl.status).toBe(400);
      await create([`${rx.url}/2`]).expect(201);
      const third = await create([`${rx.url}/3`]).expect(201);
      const over = await create([`${rx.url}/4`]).expect(409);
      expect(over.body.message).toContain('at most 3');
      await t.http
        .delete(`/api/v1/partner/webHooks/${third.body.id}`)
        .set('Authorization', `Bearer ${company.apiKey}`)
        .expect((res) => expect(res.status).toBeLessThan(300));
      await create([`${rx.url}/4`]).expect(201);
    });
  });

  describe('stock and storage', () => {
    it('caps the units one public order takes of an item, by the shop setting or the platform default', async () => {
      const s = await registerSeller(t.http);
      const p = await createProduct(t.http, s, { stock: 500 });
      const place = (quantity: number) =>
        t.http
          .post('/api/orders')
          .set('X-Forwarded-For', `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`)
          .send(orderBody(s, [{ productId: p.id, quantity }], { paymentMethod: 'CASH_ON_DELIVERY' }));
      const over = await place(21).expect(400);
      expect(over.body).toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(over.body.message).toContain('at most 20 units');
      await place(20).expect(201);
      await t.http.patch('/api/shop/settings').set('Cookie', s.cookie).send({ maxUnitsPerLine: 3 }).expect(200);
      expect((await place(4).expect(400)).body.message).toContain('at most 3 units');
      await place(3).expect(201);
      // Split over two lines of the same item, it is still one item.
      await t.http
        .post('/api/orders')
        .send(
          orderBody(
            s,
            [
              { productId: p.id, quantity: 2 },
              { productId: p.id, quantity: 2 },
            ],
            { paymentMethod: 'CASH_ON_DELIVERY' },
          ),
        )
        .expect(400);
    });

    it('holds at most ORDER_OPEN_PER_ADDRESS open orders per client address, an IPv6 client by its /64', async () => {
      const s = await registerSeller(t.http);
      const p = await createProduct(t.http, s, { stock: 100 });
      let phone = 0;
      const place = (ip: string) =>
        t.http
          .post('/api/orders')
          .set('X-Forwarded-For', ip)
          .send(
            orderBody(s, [{ productId: p.id, quantity: 1 }], {
              customerPhone: `0722${String(++phone).padStart(6, '0')}`,
              paymentMethod: 'CASH_ON_DELIVERY',
            }),
          );
      await place('2001:db8:77:1::10').expect(201);
      await place('2001:db8:77:1:abcd::20').expect(201);
      const refused = await place('2001:db8:77:1:ffff:ffff:ffff:1').expect(429);
      expect(refused.body.message).toContain('Your network already has 2 unpaid orders');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // Nothing was written for the refused order; another network orders freely.
      const [{ n }] = await sql<{ n: string }>(t.app, 'select count(*) as n from orders where seller_id = ?', [
        s.sellerId,
      ]);
      expect(Number(n)).toBe(2);
      await place('2001:db8:77:2::10').expect(201);
      // Another shop is counted on its own.
      const other = await registerSeller(t.http);
      const q = await createProduct(t.http, other, { stock: 5 });
      await t.http
        .post('/api/orders')
        .set('X-Forwarded-For', '2001:db8:77:1::10')
        .send(orderBody(other, [{ productId: q.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }))
        .expect(201);
    });

    it('counts racing orders from one address one at a time: exactly ORDER_OPEN_PER_ADDRESS of them are placed', async () => {
      const s = await registerSeller(t.http);
      // A product each, so no stock row puts the orders in line: only the address's turn does.
      const products = await Promise.all(Array.from({ length: 8 }, () => createProduct(t.http, s, { stock: 5 })));
      const results = await Promise.all(
        products.map((p, i) =>
          t.http
            .post('/api/orders')
            .set('X-Forwarded-For', '198.51.100.7')
            .send(
              orderBody(s, [{ productId: p.id, quantity: 1 }], {
                customerPhone: `0733${String(i).padStart(6, '0')}`,
                paymentMethod: 'CASH_ON_DELIVERY',
              }),
            ),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 201, 429, 429, 429, 429, 429, 429]);
      const [{ n }] = await sql<{ n: string }>(t.app, 'select count(*) as n from orders where seller_id = ?', [
        s.sellerId,
      ]);
      expect(Number(n)).toBe(2);
    });

    it('counts parallel image uploads against the storage quota one at a time', async () => {
      const s = await registerSeller(t.http);
      // A real PNG header padded to 300 KB: three fit in the 1 MB quota, the fourth does not.
      const png = Buffer.concat([
        Buffer.from(
          'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
          'base64',
        ),
        Buffer.alloc(300 * 1024, 1),
      ]);
      const products = await Promise.all(
        Array.from({ length: 8 }, () => createProduct(t.http, s, { name: 'Kiondo basket', stock: 1 })),
      );
      const uploads = await Promise.all(
        products.map((p) =>
          t.http
            .patch(`/api/products/${p.id}`)
            .set('Cookie', s.cookie)
            .attach('image', png, { filename: 'kiondo.png', contentType: 'image/png' }),
        ),
      );
      const ok = uploads.filter((r) => r.status === 200).length;
      expect(ok).toBe(3);
      expect(uploads.filter((r) => r.status !== 200).every((r) => r.status === 400)).toBe(true);
      const [{ used }] = await sql<{ used: string }>(
        t.app,
        `select coalesce(sum((img->>'size')::bigint), 0) as used
           from products p cross join lateral jsonb_array_elements(p.images) img where p.seller_id = ?`,
        [s.sellerId],
      );
      expect(Number(used)).toBeLessThanOrEqual(1024 * 1024);
      // One more, sequentially, is refused by the same rule.
      await t.http
        .patch(`/api/products/${products[0].id}`)
        .set('Cookie', s.cookie)
        .attach('image', png, { filename: 'kiondo.png', contentType: 'image/png' })
        .expect(400);
    });
  });
});
