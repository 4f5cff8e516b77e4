import { Webhook } from 'standardwebhooks';
import { addMember, API_INSTANT, registerSeller, type SellerSession } from '../support/factories.js';
import { FakeDaraja } from '../support/fake-daraja.js';
import { startReceiver, waitFor, type Receiver } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { sql, verifySignature } from '../support/webhook-helpers.js';
import { PARTNER_TYPES } from '../../src/partner-webhooks/event-map.js';

const ADMIN = 'operator-token-0123456789';

describe('Partner companies and the partner webhooks API (e2e)', () => {
  let t: TestApp;
  let rx: Receiver;
  let daraja: FakeDaraja;
  let shop: SellerSession;
  let company: { id: string; apiKey: string; signingSecret: string };

  const admin = () => ({ 'X-Admin-Token': ADMIN });
  const asPartner = (key = company.apiKey) => ({ Authorization: `Bearer ${key}` });
  const newCompany = async (name = 'Duka Analytics') =>
    (await t.http.post('/api/admin/partners').set(admin()).send({ name }).expect(201)).body;
  const grant = (s: SellerSession, companyId: string) =>
    t.http.put(`/api/partner-access/${companyId}`).set('Cookie', s.cookie).expect(200);
  const hookBody = (extra: Record<string, unknown> = {}) => ({
    shopId: shop.sellerId,
    webHookUrls: [`${rx.url}/a`],
    ...extra,
  });

  beforeAll(async () => {
    rx = await startReceiver();
    daraja = await new FakeDaraja().start();
    t = await bootApp({
      ADMIN_TOKEN: ADMIN,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      MPESA_BASE_URL: daraja.url,
      WEBHOOK_WORKER_INTERVAL_MS: '100',
      MPESA_CALLBACK_ALLOWED_IPS: '127.0.0.1,::1',
    });
  });
  beforeEach(async () => {
    shop = await registerSeller(t.http);
    company = await newCompany();
    await grant(shop, company.id);
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
    await daraja.close();
  });

  describe('operators and shops', () => {
    it('needs the admin token; keys and secrets are shown once and stored hashed/encrypted', async () => {
      await t.http.post('/api/admin/partners').send({ name: 'X' }).expect(401);
      await t.http
        .post('/api/admin/partners')
        .set('X-Admin-Token', 'wrong-token-000000')
        .send({ name: 'X' })
        .expect(401);
      expect(company).toMatchObject({
        id: expect.stringMatching(/^cmp_/),
        name: 'Duka Analytics',
        apiKey: expect.stringMatching(/^skp_/),
        signingSecret: expect.stringMatching(/^whsec_/),
      });
      const list = await t.http.get('/api/admin/partners').set(admin()).expect(200);
      expect(JSON.stringify(list.body)).not.toContain(company.apiKey);
      expect(JSON.stringify(list.body)).not.toContain(company.signingSecret);
      const [row] = await sql<Record<string, string>>(t.app, 'select * from partner_companies where id = ?', [
        company.id,
      ]);
      expect(JSON.stringify(row)).not.toContain(company.apiKey);
      expect(JSON.stringify(row)).not.toContain(company.signingSecret);
      await t.http.post('/api/admin/partners').set(admin()).send({}).expect(400);
    });

    it('turns the admin routes off when no ADMIN_TOKEN is configured', async () => {
      const off = await bootApp({});
      try {
        await off.http.post('/api/admin/partners').set(admin()).send({ name: 'X' }).expect(404);
      } finally {
        await off.close();
      }
    });

    it('rotates a key (the old one stops at once) and revokes a company (its hooks stop)', async () => {
      await t.http.get('/api/v1/partner/webHooks').set(asPartner()).expect(200);
      const { body } = await t.http.post(`/api/admin/partners/${company.id}/rotate-key`).set(admin()).expect(200);
      await t.http.get('/api/v1/partner/webHooks').set(asPartner()).expect(401);
      await t.http.get('/api/v1/partner/webHooks').set(asPartner(body.apiKey)).expect(200);
      await t.http.delete(`/api/admin/partners/${company.id}`).set(admin()).expect(204);
      await t.http.get('/api/v1/partner/webHooks').set(asPartner(body.apiKey)).expect(401);
    });

    it('lets only an OWNER grant, list and revoke access; an unknown company is 404', async () => {
      const manager = await addMember(t.http, shop, 'MANAGER');
      await t.http.put(`/api/partner-access/${company.id}`).set('Cookie', manager.cookie).expect(403);
      const list = await t.http.get('/api/partner-access').set('Cookie', shop.cookie).expect(200);
      expect(list.body).toEqual([
        { companyId: company.id, companyName: 'Duka Analytics', grantedAt: expect.stringMatching(API_INSTANT) },
      ]);
      // Granting again changes nothing and answers the same grant.
      expect((await grant(shop, company.id)).body).toEqual(list.body[0]);
      await t.http.put('/api/partner-access/cmp_00000000000000000000000000').set('Cookie', shop.cookie).expect(404);
      await t.http.delete(`/api/partner-access/${company.id}`).set('Cookie', shop.cookie).expect(204);
      await t.http.delete(`/api/partner-access/${company.id}`).set('Cookie', shop.cookie).expect(404);
    });
  });

  describe('the partner API', () => {
    it('refuses anything but a valid Bearer API key with 401', async () => {
      await t.http.get('/api/v1/partner/webHooks').expect(401);
      await t.http.get('/api/v1/partner/webHooks').set('Authorization', 'Bearer skp_nope').expect(401);
      await t.http.get('/api/v1/partner/webHooks').set('Cookie', shop.cookie).expect(401);
    });

    it("creates, reads, lists, replaces and soft-deletes hooks with the reference's fields and epoch-ms numbers", async () => {
      const before = Date.now();
      const created = await t.http
        .post('/api/v1/partner/webHooks')
        .set(asPartner())
        .send(hookBody({ url: `${rx.url}/main`, webHookType: 'NEW_CONSUMER_ORDER' }))
        .expect(201);
      const h = created.body;
      expect(Object.keys(h).sort()).toEqual([
        'companyId',
        'created',
        'deleted',
        'disabled',
        'disabledAt',
        'disabledReason',
        'disabledUrls',
        'id',
        'modified',
        'shopId',
        'updated',
        'url',
        'webHookType',
        'webHookUrls',
      ]);
      expect(h).toMatchObject({
        companyId: company.id,
        shopId: shop.sellerId,
        deleted: false,
        updated: false,
        url: `${rx.url}/main`,
        webHookType: 'NEW_CONSUMER_ORDER',
        webHookUrls: [`${rx.url}/a`],
      });
      expect(typeof h.created).toBe('number');
      expect(h.created).toBeGreaterThanOrEqual(before - 1000);
      expect((await t.http.get(`/api/v1/partner/webHooks/${h.id}`).set(asPartner()).expect(200)).body).toEqual(h);

      const replaced = await t.http
        .put(`/api/v1/partner/webHooks/${h.id}`)
        .set(asPartner())
        .send({
          ...h,
          id: 'pwh_ignored',
          companyId: 'cmp_ignored',
          created: 1,
          modified: 2,
          deleted: true,
          updated: false,
          url: null,
          webHookType: null,
          webHookUrls: [`${rx.url}/b`, `${rx.url}/c`],
        })
        .expect(200);
      expect(replaced.body).toMatchObject({
        id: h.id,
        companyId: company.id,
        created: h.created,
        deleted: false,
        updated: true,
        url: null,
        webHookType: null,
        webHookUrls: [`${rx.url}/b`, `${rx.url}/c`],
      });
      expect(replaced.body.modified).toBeGreaterThanOrEqual(h.modified);

      await t.http.delete(`/api/v1/partner/webHooks/${h.id}`).set(asPartner()).expect(204);
      expect((await t.http.get(`/api/v1/partner/webHooks/${h.id}`).set(asPartner()).expect(200)).body).toMatchObject({
        id: h.id,
        deleted: true,
      });
      await t.http.put(`/api/v1/partner/webHooks/${h.id}`).set(asPartner()).send({ url: null }).expect(404);
      const [row] = await sql<{ deleted: boolean }>(t.app, 'select deleted from partner_webhooks where id = ?', [h.id]);
      expect(row.deleted).toBe(true);
      expect((await t.http.get('/api/v1/partner/webHooks').set(asPartner()).expect(200)).body.total).toBe(0);
    });

    it.each([
      [{ webHookUrls: undefined }, 'webHookUrls'],
      [{ webHookUrls: [] }, 'webHookUrls'],
      [{ webHookUrls: Array.from({ length: 11 }, (_, i) => `https://8.8.8.8/${i}`) }, 'webHookUrls'],
      [{ webHookUrls: ['https://8.8.8.8/a', 'https://8.8.8.8/a'] }, 'webHookUrls'],
      [{ webHookType: 'ORDER_CREATED' }, 'webHookType'],
      [{ colour: 'red' }, 'colour'],
    ])('refuses %j with 400 on %s', async (extra, field) => {
      const res = await t.http.post('/api/v1/partner/webHooks').set(asPartner()).send(hookBody(extra)).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('applies the SSRF rules to every URL when private URLs are not allowed', async () => {
      const strict = await bootApp({ ADMIN_TOKEN: ADMIN, WEBHOOK_ALLOW_PRIVATE_URLS: 'false' });
      try {
        const s = await registerSeller(strict.http);
        const c = (await strict.http.post('/api/admin/partners').set(admin()).send({ name: 'Strict' }).expect(201))
          .body;
        await strict.http.put(`/api/partner-access/${c.id}`).set('Cookie', s.cookie).expect(200);
        const send = (body: object) =>
          strict.http
            .post('/api/v1/partner/webHooks')
            .set('Authorization', `Bearer ${c.apiKey}`)
            .send({ shopId: s.sellerId, ...body });
        const res = await send({ webHookUrls: ['https://8.8.8.8/ok', 'http://169.254.169.254/latest'] }).expect(400);
        expect(res.body.errors[0].field).toBe('webHookUrls.1');
        await send({ url: 'http://localhost/x', webHookUrls: ['https://8.8.8.8/ok'] }).expect(400);
        await send({ webHookUrls: ['https://8.8.8.8/ok'] }).expect(201);
      } finally {
        await strict.close();
      }
    });

    it('needs a shop that granted access (404 otherwise) and isolates companies and shops', async () => {
      const other = await registerSeller(t.http);
      await t.http
        .post('/api/v1/partner/webHooks')
        .set(asPartner())
        .send(hookBody({ shopId: other.sellerId }))
        .expect(404);
      const { body: h } = await t.http.post('/api/v1/partner/webHooks').set(asPartner()).send(hookBody()).expect(201);
      const rival = await newCompany('Rival Ltd');
      for (const req of [
        t.http.get(`/api/v1/partner/webHooks/${h.id}`),
        t.http.delete(`/api/v1/partner/webHooks/${h.id}`),
        t.http.get(`/api/v1/partner/webHooks/${h.id}/deliveries`),
      ]) {
        await req.set(asPartner(rival.apiKey)).expect(404);
      }
      await t.http.put(`/api/v1/partner/webHooks/${h.id}`).set(asPartner(rival.apiKey)).send(hookBody()).expect(404);
      expect((await t.http.get('/api/v1/partner/webHooks').set(asPartner(rival.apiKey))).body.total).toBe(0);
      await t.http.post('/api/v1/partner/webHooks').set(asPartner(rival.apiKey)).send(hookBody()).expect(404);
      expect((await t.http.get(`/api/v1/partner/webHooks/${h.id}`).set(asPartner())).body.deleted).toBe(false);
    });

    it('pages with start/limit and filters by shopId and type', async () => {
      const second = await registerSeller(t.http);
      await grant(second, company.id);
      for (const type of ['NEW_MEMBER', 'UPDATE_PRODUCT', undefined])
        await t.http
          .post('/api/v1/partner/webHooks')
          .set(asPartner())
          .send(hookBody({ webHookType: type }))
          .expect(201);
      await t.http
        .post('/api/v1/partner/webHooks')
        .set(asPartner())
        .send({ shopId: second.sellerId, webHookUrls: [`${rx.url}/z`] })
        .expect(201);
      const q = async (query: string) =>
        (await t.http.get(`/api/v1/partner/webHooks?${query}`).set(asPartner()).expect(200)).body;
      expect(await q('start=1&limit=2')).toMatchObject({ total: 4, start: 1, limit: 2, values: expect.any(Array) });
      expect((await q('start=1&limit=2')).values).toHaveLength(2);
      expect((await q(`shopId=${second.sellerId}`)).total).toBe(1);
      expect((await q('type=NEW_MEMBER')).values.map((v: { webHookType: string }) => v.webHookType)).toEqual([
        'NEW_MEMBER',
      ]);
      expect((await t.http.get('/api/v1/partner/webHooks?limit=101').set(asPartner()).expect(200)).body.limit).toBe(
        100,
      );
      await t.http.get('/api/v1/partner/webHooks?type=NOPE').set(asPartner()).expect(400);
    });
  });

  describe('delivery', () => {
    it('delivers each of the 11 types, signed with the company secret, to every distinct URL, when its domain event happens', async () => {
      const { body: hook } = await t.http
        .post('/api/v1/partner/webHooks')
        .set(asPartner())
        .send(hookBody({ url: `${rx.url}/a`, webHookUrls: [`${rx.url}/a`, `${rx.url}/b`] }))
        .expect(201);
      const start = rx.requests.length;
      // Staff: NEW_MEMBER, UPDATE_MEMBER
      const member = await addMember(t.http, shop, 'VIEWER');
      await t.http
        .patch(`/api/staff/${member.userId}`)
        .set('Cookie', shop.cookie)
        .send({ role: 'MANAGER' })
        .expect(200);
      // Catalogue: UPDATE_PRODUCT
      const p = await createProduct(t.http, shop, { priceKes: 1000, stock: 50 });
      // Orders and customers: NEW_CONSUMER_ORDER, NEW_CONSUMER_SIGNUP, UPDATE_CONSUMER_ORDER, UPDATE_CONSUMER_USER
      const { body: cod } = await t.http
        .post('/api/orders')
        .send(orderBody(shop, [{ productId: p.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }))
        .expect(201);
      await t.http.post(`/api/orders/${cod.id}/confirm`).set('Cookie', shop.cookie).send({}).expect(200);
      await t.http
        .patch(`/api/customers/${cod.customerId}`)
        .set('Cookie', shop.cookie)
        .send({ notes: 'VIP' })
        .expect(200);
      // Payments: CREATE_TRANSACTION, COMPLETE_TRANSACTION, CANCEL_TRANSACTION, UPDATE_TRANSACTION
      const saved = await t.http
        .put('/api/payments/mpesa/settings')
        .set('Cookie', shop.cookie)
        .send({
          shortcode: '174379',
          passkey: 'passkey-123456',
          consumerKey: 'consumer-123',
          consumerSecret: 'secret-12345',
          environment: 'sandbox',
        })
        .expect(200);
      const callback = new URL(saved.body.callbackUrl).pathname;
      const checkout = async () => {
        const before = daraja.stkRequests.length;
        const { body: order } = await t.http
          .post('/api/orders')
          .send(orderBody(shop, [{ productId: p.id, quantity: 1 }]))
          .expect(201);
        await waitFor(() => daraja.stkRequests.length > before, 5000);
        const [row] = await waitFor(async () => {
          const rows = await sql<{ checkout_request_id: string | null }>(
            t.app,
            'select checkout_request_id from payments where order_id = ?',
            [order.id],
          );
          return rows[0]?.checkout_request_id ? rows : undefined;
        }, 5000);
        return row.checkout_request_id!;
      };
      await t.http
        .post(callback)
        .send(daraja.callback(await checkout(), { amount: 1000 }))
        .expect(200);
      await t.http
        .post(callback)
        .send(daraja.callback(await checkout(), { resultCode: 1032 }))
        .expect(200);
      await t.http
        .post(callback)
        .send(daraja.callback(await checkout(), { amount: 999 }))
        .expect(200);

      const seen = () =>
        new Set(
          rx.requests
            .slice(start)
            .filter((r) => r.headers['x-sokohub-webhook-id'] === hook.id)
            .map((r) => r.headers['x-sokohub-event']),
        );
      await waitFor(
        () => seen().size === PARTNER_TYPES.length,
        15_000,
        `all 11 types (seen ${[...seen()].join(', ')})`,
      );
      const mine = rx.requests.slice(start).filter((r) => r.headers['x-sokohub-webhook-id'] === hook.id);
      for (const type of PARTNER_TYPES) {
        const got = mine.filter((r) => r.headers['x-sokohub-event'] === type);
        expect(new Set(got.map((r) => r.path))).toEqual(new Set(['/a', '/b']));
        const req = got[0];
        expect(req.json).toEqual({
          id: expect.stringMatching(/^evt_/),
          webHookType: type,
          shopId: shop.sellerId,
          companyId: company.id,
          created: expect.any(Number),
          data: expect.any(Object),
        });
        expect(verifySignature(req.rawBody, String(req.headers['x-sokohub-signature']), company.signingSecret)).toBe(
          true,
        );
        expect(() =>
          new Webhook(company.signingSecret).verify(req.rawBody.toString(), req.headers as Record<string, string>),
        ).not.toThrow();
      }
      const order = mine.find((r) => r.headers['x-sokohub-event'] === 'NEW_CONSUMER_ORDER')!;
      expect(order.json.data).toEqual({
        orderId: cod.id,
        referenceCode: cod.referenceCode,
        status: 'PENDING',
        totalKes: 1000,
        customerName: 'Amina Wanjiku',
        customerPhone: '+254712345678',
        itemCount: 1,
      });

      const log = await t.http
        .get(`/api/v1/partner/webHooks/${hook.id}/deliveries?limit=5`)
        .set(asPartner())
        .expect(200);
      expect(log.body).toMatchObject({ start: 0, limit: 5, total: expect.any(Number) });
      expect(log.body.values[0]).toMatchObject({
        id: expect.stringMatching(/^dlv_/),
        status: expect.any(String),
        created: expect.any(Number),
      });
      expect(log.body.total).toBeGreaterThanOrEqual(22);
    });

    it('filters by type, and stops at once when the shop revokes access or the hook is deleted', async () => {
      const { body: hook } = await t.http
        .post('/api/v1/partner/webHooks')
        .set(asPartner())
        .send(hookBody({ webHookType: 'UPDATE_PRODUCT', webHookUrls: [`${rx.url}/products`] }))
        .expect(201);
      const count = () => rx.requests.filter((r) => r.headers['x-sokohub-webhook-id'] === hook.id).length;
      await addMember(t.http, shop, 'VIEWER'); // NEW_MEMBER: not this hook's type
      await createProduct(t.http, shop);
      await waitFor(() => count() === 1, 5000);
      await t.http.delete(`/api/partner-access/${company.id}`).set('Cookie', shop.cookie).expect(204);
      // The partner sees why nothing comes: the hook reads as disabled, with the reason, until the shop grants again.
      const revoked = {
        disabled: true,
        disabledReason: expect.stringMatching(/^The shop revoked this company's access/),
      };
      expect((await t.http.get(`/api/v1/partner/webHooks/${hook.id}`).set(asPartner()).expect(200)).body).toMatchObject(
        revoked,
      );
      const listed = await t.http.get('/api/v1/partner/webHooks').set(asPartner()).expect(200);
      expect(listed.body.values.find((h: { id: string }) => h.id === hook.id)).toMatchObject(revoked);
      await createProduct(t.http, shop);
      await grant(shop, company.id);
      const again = await t.http.get(`/api/v1/partner/webHooks/${hook.id}`).set(asPartner()).expect(200);
      expect(again.body).toMatchObject({ disabled: false, disabledReason: null });
      await t.http.delete(`/api/v1/partner/webHooks/${hook.id}`).set(asPartner()).expect(204);
      await createProduct(t.http, shop);
      await new Promise((r) => setTimeout(r, 300));
      expect(count()).toBe(1);
      const [{ n }] = await sql<{ n: number }>(
        t.app,
        'select count(*)::int as n from webhook_deliveries where subscription_id = ?',
        [hook.id],
      );
      expect(n).toBe(1);
    });
  });
});
