import { registerSeller, type SellerSession } from '../support/factories.js';
import { startReceiver, waitFor, type Receiver } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';

const ADMIN = 'operator-token-0123456789';

describe('Seller API keys (e2e)', () => {
  let t: TestApp;
  let s: SellerSession;
  beforeAll(async () => {
    t = await bootApp({ API_KEY_RATE_LIMIT_PER_MINUTE: '5' });
  });
  beforeEach(async () => {
    s = await registerSeller(t.http);
  });
  afterAll(() => t.close());

  const newKey = async (access: 'read' | 'full', name = 'Zapier') =>
    (await t.http.post('/api/api-keys').set('Cookie', s.cookie).send({ name, access }).expect(201)).body;
  const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

  it('shows a key once, keeps only its hash, lists and revokes it (401 at once)', async () => {
    const created = await newKey('full');
    expect(created).toMatchObject({
      id: expect.stringMatching(/^key_/),
      name: 'Zapier',
      access: 'full',
      key: expect.stringMatching(/^sk_[\w-]{40,}$/),
      createdBy: s.userId,
    });
    const list = await t.http.get('/api/api-keys').set('Cookie', s.cookie).expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({ id: created.id, prefix: created.key.slice(0, 10), lastUsedAt: null }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(created.key);
    await t.http.get('/api/products').set(bearer(created.key)).expect(200);
    await waitFor(
      async () => (await t.http.get('/api/api-keys').set('Cookie', s.cookie)).body[0].lastUsedAt,
      3000,
      'lastUsedAt',
    );
    await t.http.delete(`/api/api-keys/${created.id}`).set('Cookie', s.cookie).expect(204);
    const revoked = await t.http.get('/api/products').set(bearer(created.key)).expect(401);
    expect(revoked.body).toMatchObject({ code: 'UNAUTHORIZED' });
    await t.http.get('/api/products').set(bearer('sk_not-a-real-key')).expect(401);
  });

  it('a read key reads and is refused every write; a full key writes', async () => {
    const read = await newKey('read');
    const full = await newKey('full');
    await t.http.get('/api/orders').set(bearer(read.key)).expect(200);
    await t.http.get('/api/webhooks').set(bearer(read.key)).expect(200);
    const refused = await t.http
      .post('/api/products')
      .set(bearer(read.key))
      .send({ name: 'Kikoy', priceKes: 900 })
      .expect(403);
    expect(refused.body).toMatchObject({ code: 'FORBIDDEN', message: 'This API key is read-only' });
    const made = await t.http
      .post('/api/products')
      .set(bearer(full.key))
      .send({ name: 'Kikoy', priceKes: 900 })
      .expect(201);
    await t.http.delete(`/api/products/${made.body.id}`).set(bearer(read.key)).expect(403);
  });

  it('is not a session: logout, a password change and sign-out-everywhere leave it working; keys cannot manage keys', async () => {
    const key = (await newKey('full')).key;
    await t.http
      .post('/api/auth/password')
      .set('Cookie', s.cookie)
      .send({ currentPassword: s.password, newPassword: 'another-long-password' })
      .expect(204);
    await t.http.post('/api/auth/logout-all').set('Cookie', s.cookie).expect(204);
    await t.http.get('/api/products').set(bearer(key)).expect(200);
    await t.http.post('/api/api-keys').set(bearer(key)).send({ name: 'More', access: 'full' }).expect(403);
    await t.http
      .post('/api/auth/password')
      .set(bearer(key))
      .send({ currentPassword: 'x', newPassword: 'another-long-password' })
      .expect(403);
  });

  it("another shop's key sees nothing of this shop, and keys are limited per key", async () => {
    const other = await registerSeller(t.http);
    const p = await createProduct(t.http, s);
    const otherKey = (
      await t.http.post('/api/api-keys').set('Cookie', other.cookie).send({ name: 'Make', access: 'full' }).expect(201)
    ).body.key;
    await t.http.get(`/api/products/${p.id}`).set(bearer(otherKey)).expect(404);
    const key = (await newKey('read')).key;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.http.get('/api/products').set(bearer(key))).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it('validates the body and names a missing field as missing', async () => {
    const missing = await t.http.post('/api/api-keys').set('Cookie', s.cookie).send({ access: 'read' }).expect(400);
    expect(missing.body.message).toBe('Validation failed: name is required');
    await t.http.post('/api/api-keys').set('Cookie', s.cookie).send({ name: 'X', access: 'admin' }).expect(400);
  });
});

describe('The partner API as the reference writes it (e2e)', () => {
  let t: TestApp;
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver();
    t = await bootApp({ ADMIN_TOKEN: ADMIN, WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_WORKER_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
  });

  it('works for a client written from the reference alone', async () => {
    const company = (
      await t.http
        .post('/api/admin/partners')
        .set('X-Admin-Token', ADMIN)
        .send({ name: 'Reference Client Ltd' })
        .expect(201)
    ).body;
    const auth = { Authorization: `Bearer ${company.apiKey}` };
    const [a, b, c] = [await registerSeller(t.http), await registerSeller(t.http), await registerSeller(t.http)];
    for (const shop of [a, b])
      await t.http.put(`/api/partner-access/${company.id}`).set('Cookie', shop.cookie).expect(200);

    // Create with just webHookUrls: a company-wide hook.
    const created = await t.http
      .post('/api/v1/partner/webHooks')
      .set(auth)
      .send({ webHookUrls: [`${rx.url}/wide`] })
      .expect(201);
    expect(created.body).toMatchObject({
      shopId: null,
      deleted: false,
      disabled: false,
      disabledReason: null,
      webHookType: null,
    });

    // It hears both granted shops, and nothing of the third.
    for (const shop of [a, b, c]) {
      const p = await createProduct(t.http, shop);
      await t.http
        .post('/api/orders')
        .send(orderBody(shop, [{ productId: p.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }))
        .expect(201);
    }
    const orders = () => rx.requests.filter((r) => r.path === '/wide' && r.json.webHookType === 'NEW_CONSUMER_ORDER');
    await waitFor(() => orders().length >= 2, 10_000, 'orders of both granted shops');
    await new Promise((r) => setTimeout(r, 300));
    expect(new Set(orders().map((r) => r.json.shopId))).toEqual(new Set([a.sellerId, b.sellerId]));
    expect(rx.requests.some((r) => r.json.shopId === c.sellerId)).toBe(false);

    // PUT of the fetched object with one field changed: the rest is kept, read-only fields ignored, the type filters.
    const fetched = (await t.http.get(`/api/v1/partner/webHooks/${created.body.id}`).set(auth).expect(200)).body;
    const put = await t.http
      .put(`/api/v1/partner/webHooks/${created.body.id}`)
      .set(auth)
      .send({ ...fetched, webHookType: 'UPDATE_PRODUCT' })
      .expect(200);
    expect(put.body).toMatchObject({
      webHookType: 'UPDATE_PRODUCT',
      webHookUrls: [`${rx.url}/wide`],
      shopId: null,
      updated: true,
    });
    const partial = await t.http
      .put(`/api/v1/partner/webHooks/${created.body.id}`)
      .set(auth)
      .send({ url: `${rx.url}/extra` })
      .expect(200);
    expect(partial.body).toMatchObject({
      webHookType: 'UPDATE_PRODUCT',
      url: `${rx.url}/extra`,
      webHookUrls: [`${rx.url}/wide`],
    });

    // limit above the maximum is capped, start beyond the end is an empty page.
    const capped = await t.http.get('/api/v1/partner/webHooks?limit=500').set(auth).expect(200);
    expect(capped.body).toMatchObject({ limit: 100, start: 0, total: 1 });
    expect((await t.http.get('/api/v1/partner/webHooks?start=50').set(auth).expect(200)).body).toMatchObject({
      values: [],
      total: 1,
      start: 50,
    });

    // GET after DELETE says deleted; lists leave it out.
    await t.http.delete(`/api/v1/partner/webHooks/${created.body.id}`).set(auth).expect(204);
    expect((await t.http.get(`/api/v1/partner/webHooks/${created.body.id}`).set(auth).expect(200)).body).toMatchObject({
      deleted: true,
    });
    expect((await t.http.get('/api/v1/partner/webHooks').set(auth).expect(200)).body).toMatchObject({
      values: [],
      total: 0,
    });
  });
});

describe('Smaller reference points (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ ADMIN_TOKEN: ADMIN });
  });
  afterAll(() => t.close());

  it('cancels an order with no body at all; a reason stays optional', async () => {
    const s = await registerSeller(t.http);
    const p = await createProduct(t.http, s);
    const { body: o1 } = await t.http
      .post('/api/orders')
      .send(orderBody(s, [{ productId: p.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }))
      .expect(201);
    const cancelled = await t.http.post(`/api/orders/${o1.id}/cancel`).set('Cookie', s.cookie).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', cancelReason: null });
    const { body: o2 } = await t.http
      .post('/api/orders')
      .send(
        orderBody(s, [{ productId: p.id, quantity: 1 }], {
          paymentMethod: 'CASH_ON_DELIVERY',
          customerPhone: '0700111222',
        }),
      )
      .expect(201);
    await t.http
      .post(`/api/orders/${o2.id}/cancel`)
      .set('Cookie', s.cookie)
      .send({ reason: 'Out of town' })
      .expect(200);
  });

  it('reports every required field of the OpenAPI document as missing when it is left out', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body as {
      components: { schemas: Record<string, { required?: string[] }> };
    };
    const s = await registerSeller(t.http);
    const res = await t.http
      .post('/api/staff')
      .set('Cookie', s.cookie)
      .send({ email: 'x@example.co.ke', role: 'VIEWER' })
      .expect(400);
    expect(doc.components.schemas.CreateStaffDto.required).toContain('password');
    expect(res.body.errors).toContainEqual({ field: 'password', message: 'password is required' });
    const order = await t.http
      .post('/api/orders')
      .send({ customerName: 'A', customerPhone: '0712345678', deliveryMethod: 'PICKUP', items: [] })
      .expect(400);
    expect(order.body.errors).toContainEqual({ field: 'storeSlug', message: 'storeSlug is required' });
  });

  it('answers an empty JSON body on every route of the OpenAPI document with each required field named as missing', async () => {
    type Op = { requestBody?: { content: Record<string, { schema?: { $ref?: string } }> } };
    const doc = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Op>>;
      components: { schemas: Record<string, { required?: string[] }> };
    };
    const s = await registerSeller(t.http);
    const company = (
      await t.http.post('/api/admin/partners').set('X-Admin-Token', ADMIN).send({ name: 'Duka' }).expect(201)
    ).body;
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const ref = op.requestBody?.content['application/json']?.schema?.$ref;
        const required = ref ? (doc.components.schemas[ref.split('/').pop()!].required ?? []) : [];
        if (!['post', 'put', 'patch'].includes(method) || !required.length) continue;
        const url = path.replace(/\{[^}]+\}/g, 'x');
        const headers: Record<string, string> = url.startsWith('/api/v1/partner')
          ? { Authorization: `Bearer ${company.apiKey}` }
          : url.startsWith('/api/admin')
            ? { 'X-Admin-Token': ADMIN }
            : { Cookie: s.cookie };
        const res = await t.http[method as 'post' | 'put' | 'patch'](url).set(headers).send({});
        expect({ route: `${method} ${path}`, status: res.status }).toEqual({ route: `${method} ${path}`, status: 400 });
        for (const field of required)
          expect(res.body.errors).toContainEqual({ field, message: `${field} is required` });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});
