import { registerSeller, addMember, type SellerSession } from '../support/factories.js';
import { bootApp, type TestApp } from '../support/test-app.js';

describe('Seller webhooks API (e2e)', () => {
  let t: TestApp;
  let owner: SellerSession;

  beforeAll(async () => {
    // Private URLs are refused here, as in production; public URLs are saved but never reached by this file.
    t = await bootApp({
      WEBHOOK_ALLOW_PRIVATE_URLS: 'false',
      WEBHOOK_WORKER_ENABLED: 'false',
      WEBHOOK_MAX_ENDPOINTS: '3',
    });
    owner = await registerSeller(t.http);
  });
  afterAll(() => t.close());

  const create = (s: SellerSession, body: Record<string, unknown>) =>
    t.http.post('/api/webhooks').set('Cookie', s.cookie).send(body);
  const valid = {
    url: 'https://8.8.8.8/hooks/sokohub',
    description: 'Order + payment events',
    events: ['ORDER_CREATED', 'ORDER_PAID', 'ORDER_CANCELLED'],
  };

  it('lists the 13 events publicly', async () => {
    const res = await t.http.get('/api/webhooks/events').expect(200);
    expect(res.body).toHaveLength(13);
    expect(res.body[0]).toMatchObject({
      event: 'ORDER_CREATED',
      description: 'A new order has been placed on the storefront.',
      dataSchema: 'OrderEventData',
    });
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    for (const { dataSchema } of res.body) expect(doc.components.schemas).toHaveProperty([dataSchema]);
  });

  it("creates an endpoint with the reference's response and shows the secret only then", async () => {
    const res = await create(owner, valid).expect(201);
    expect(res.body).toMatchObject({
      url: valid.url,
      description: valid.description,
      events: valid.events,
      isActive: true,
    });
    expect(res.body.id).toMatch(/^wh_[0-9a-z]{26}$/);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);

    const got = await t.http.get(`/api/webhooks/${res.body.id}`).set('Cookie', owner.cookie).expect(200);
    expect(got.body).not.toHaveProperty('secret');
    expect(JSON.stringify(got.body)).not.toContain(res.body.secret);
    expect(got.body.recentDeliveries).toEqual([]);
    const list = await t.http.get('/api/webhooks').set('Cookie', owner.cookie).expect(200);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    await t.http.delete(`/api/webhooks/${res.body.id}`).set('Cookie', owner.cookie).expect(204);
  });

  it.each([
    [{ ...valid, url: 'not a url' }, 'url'],
    [{ ...valid, events: [] }, 'events'],
    [{ ...valid, events: ['ORDER_EXPLODED'] }, 'events'],
    [{ ...valid, events: ['STAFF_ADDED'] }, 'events'],
    [{ ...valid, description: 'x'.repeat(256) }, 'description'],
    [{ ...valid, secret: 'mine' }, 'secret'],
    [{ url: valid.url }, 'events'],
  ])('refuses %j with 400 on %s', async (body, field) => {
    const res = await create(owner, body).expect(400);
    expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR', statusCode: 400 });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it.each([
    'http://127.0.0.1/x',
    'http://localhost:8080/x',
    'http://10.0.0.1/x',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/x',
    'http://[::ffff:127.0.0.1]/x',
    'http://192.168.1.10/x',
    'http://100.64.0.1/x',
  ])('refuses the private address %s when saving (SSRF)', async (url) => {
    const res = await create(owner, { ...valid, url }).expect(400);
    expect(res.body.errors).toEqual([
      { field: 'url', message: 'url must not point at a private, loopback, link-local or reserved address' },
    ]);
  });

  it('updates with PATCH or PUT, validating the same way', async () => {
    const { body: wh } = await create(owner, valid).expect(201);
    const patched = await t.http
      .patch(`/api/webhooks/${wh.id}`)
      .set('Cookie', owner.cookie)
      .send({ events: ['PRODUCT_CREATED'], description: 'Products' })
      .expect(200);
    expect(patched.body).toMatchObject({ events: ['PRODUCT_CREATED'], description: 'Products', url: valid.url });
    await t.http
      .put(`/api/webhooks/${wh.id}`)
      .set('Cookie', owner.cookie)
      .send({ url: 'https://1.1.1.1/new' })
      .expect(200);
    await t.http
      .patch(`/api/webhooks/${wh.id}`)
      .set('Cookie', owner.cookie)
      .send({ url: 'http://127.0.0.1/x' })
      .expect(400);
    const got = await t.http.get(`/api/webhooks/${wh.id}`).set('Cookie', owner.cookie).expect(200);
    expect(got.body.url).toBe('https://1.1.1.1/new');
    await t.http.delete(`/api/webhooks/${wh.id}`).set('Cookie', owner.cookie).expect(204);
    await t.http.get(`/api/webhooks/${wh.id}`).set('Cookie', owner.cookie).expect(404);
  });

  it('toggles with PATCH or POST, flipping or setting', async () => {
    const { body: wh } = await create(owner, valid).expect(201);
    const off = await t.http.patch(`/api/webhooks/${wh.id}/toggle`).set('Cookie', owner.cookie).send({}).expect(200);
    expect(off.body).toMatchObject({ isActive: false, disabledReason: 'Disabled by the seller' });
    const on = await t.http
      .post(`/api/webhooks/${wh.id}/toggle`)
      .set('Cookie', owner.cookie)
      .send({ isActive: true })
      .expect(200);
    expect(on.body).toMatchObject({ isActive: true, disabledReason: null, disabledAt: null });
    await t.http.delete(`/api/webhooks/${wh.id}`).set('Cookie', owner.cookie).expect(204);
  });

  it('rotates the secret, showing the new one once', async () => {
    const { body: wh } = await create(owner, valid).expect(201);
    const rotated = await t.http.post(`/api/webhooks/${wh.id}/rotate-secret`).set('Cookie', owner.cookie).expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(wh.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23.9 * 3600 * 1000);
    await t.http.delete(`/api/webhooks/${wh.id}`).set('Cookie', owner.cookie).expect(204);
  });

  it('caps endpoints per shop (WEBHOOK_MAX_ENDPOINTS, 20 by default) with 409', async () => {
    const s = await registerSeller(t.http);
    for (let i = 0; i < 3; i++) await create(s, valid).expect(201);
    const res = await create(s, valid).expect(409);
    expect(res.body.message).toBe('A shop can have at most 3 webhook endpoints');
  });

  it('lets only the OWNER write; managers and viewers read', async () => {
    const s = await registerSeller(t.http);
    const manager = await addMember(t.http, s, 'MANAGER');
    const viewer = await addMember(t.http, s, 'VIEWER');
    await create(manager, valid).expect(403);
    await create(viewer, valid).expect(403);
    const { body: wh } = await create(s, valid).expect(201);
    await t.http.get(`/api/webhooks/${wh.id}`).set('Cookie', manager.cookie).expect(200);
    await t.http.delete(`/api/webhooks/${wh.id}`).set('Cookie', manager.cookie).expect(403);
    await t.http.post(`/api/webhooks/${wh.id}/rotate-secret`).set('Cookie', viewer.cookie).expect(403);
  });

  it("hides another shop's endpoint and deliveries: 404 everywhere, nothing changes", async () => {
    const a = await registerSeller(t.http);
    const b = await registerSeller(t.http);
    const { body: wh } = await create(a, valid).expect(201);
    const asB = (req: ReturnType<typeof t.http.get>) => req.set('Cookie', b.cookie);
    await asB(t.http.get(`/api/webhooks/${wh.id}`)).expect(404);
    await asB(t.http.patch(`/api/webhooks/${wh.id}`))
      .send({ description: 'mine' })
      .expect(404);
    await asB(t.http.patch(`/api/webhooks/${wh.id}/toggle`))
      .send({})
      .expect(404);
    await asB(t.http.post(`/api/webhooks/${wh.id}/rotate-secret`)).expect(404);
    await asB(t.http.post(`/api/webhooks/${wh.id}/test`)).expect(404);
    await asB(t.http.get(`/api/webhooks/${wh.id}/deliveries`)).expect(404);
    await asB(t.http.post(`/api/webhooks/${wh.id}/recover`))
      .send({ since: new Date(0).toISOString() })
      .expect(404);
    await asB(t.http.delete(`/api/webhooks/${wh.id}`)).expect(404);
    const list = await asB(t.http.get('/api/webhooks')).expect(200);
    expect(list.body).toEqual([]);
    const still = await t.http.get(`/api/webhooks/${wh.id}`).set('Cookie', a.cookie).expect(200);
    expect(still.body).toMatchObject({ description: valid.description, isActive: true });
  });

  it('validates delivery queries and recover bodies', async () => {
    const { body: wh } = await create(owner, valid).expect(201);
    await t.http.get(`/api/webhooks/${wh.id}/deliveries?status=LOST`).set('Cookie', owner.cookie).expect(400);
    await t.http.get(`/api/webhooks/${wh.id}/deliveries?limit=0`).set('Cookie', owner.cookie).expect(400);
    const page = await t.http.get(`/api/webhooks/${wh.id}/deliveries`).set('Cookie', owner.cookie).expect(200);
    expect(page.body).toEqual({ data: [], page: 1, limit: 50, total: 0 });
    // 50 a page by default, capped at 100 like every seller list.
    const capped = await t.http.get(`/api/webhooks/${wh.id}/deliveries?limit=1000`).set('Cookie', owner.cookie);
    expect(capped.status).toBe(200);
    expect(capped.body.limit).toBe(100);
    await t.http
      .post(`/api/webhooks/${wh.id}/recover`)
      .set('Cookie', owner.cookie)
      .send({ since: 'yesterday' })
      .expect(400);
    await t.http.get(`/api/webhooks/${wh.id}/deliveries/dlv_nope`).set('Cookie', owner.cookie).expect(404);
    await t.http.delete(`/api/webhooks/${wh.id}`).set('Cookie', owner.cookie).expect(204);
  });
});
