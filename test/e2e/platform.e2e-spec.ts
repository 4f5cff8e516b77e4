import { ReadinessService } from '../../src/health/readiness.service.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { registerSeller, uniqueEmail } from '../support/factories.js';
import { createProduct, orderBody, PNG_1X1 } from '../support/shop.js';

describe('Platform (e2e): errors, docs, health, metrics, limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3', CORS_ORIGINS: 'https://dashboard.sokohub.test' });
  });
  afterAll(() => t.close());

  it('answers an unknown route with 404 NOT_FOUND in the envelope', async () => {
    const res = await t.http.get('/api/nothing-here').expect(404);
    expect(res.body).toEqual({ success: false, code: 'NOT_FOUND', message: 'Route not found', statusCode: 404 });
  });

  it('answers malformed JSON with 400 and no stack trace', async () => {
    const res = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.c",')
      .expect(400);
    expect(res.body).toEqual({
      success: false,
      code: 'VALIDATION_ERROR',
      message: 'Malformed JSON in request body',
      statusCode: 400,
    });
  });

  it('answers a body over 1 MB with 413', async () => {
    const res = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'x@y.z', password: 'p'.repeat(1_100_000) }))
      .expect(413);
    expect(res.body).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE', statusCode: 413 });
  });

  it('limits sign-in attempts per client address, whatever the email, with 429 RATE_LIMITED and Retry-After', async () => {
    // Spraying: a different email each time from one address.
    for (let i = 0; i < 3; i++)
      await t.http.post('/api/auth/login').send({ email: uniqueEmail(), password: 'wrong-password' }).expect(401);
    const res = await t.http
      .post('/api/auth/login')
      .send({ email: uniqueEmail(), password: 'wrong-password' })
      .expect(429);
    expect(res.body).toEqual({
      success: false,
      code: 'RATE_LIMITED',
      message: 'Too many sign-in attempts from your network. Wait a minute and try again',
      statusCode: 429,
    });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('reports health with the database check', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('answers liveness always and readiness until the instance drains, when only readiness turns 503', async () => {
    expect((await t.http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
    expect((await t.http.get('/health/ready').expect(200)).body).toEqual({
      ready: true,
      database: 'up',
      migrations: 'applied',
      draining: false,
    });
    t.app.get(ReadinessService).drain();
    expect((await t.http.get('/health/ready').expect(503)).body).toMatchObject({ ready: false, draining: true });
    await t.http.get('/health/live').expect(200);
    await t.http.get('/health').expect(200);
    await t.http.get('/api/webhooks/events').expect(200);
  });

  it("compresses Swagger UI's files and the document for a client that accepts it, and nothing of the API", async () => {
    for (const path of ['/docs/swagger-ui-bundle.js', '/docs-json']) {
      const zipped = await t.http.get(path).set('Accept-Encoding', 'gzip').expect(200);
      expect(zipped.headers['content-encoding']).toBe('gzip');
      const plain = await t.http.get(path).set('Accept-Encoding', 'identity').expect(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      // superagent undoes the gzip: the same bytes either way.
      expect(zipped.text ?? zipped.body).toEqual(plain.text ?? plain.body);
    }
    const api = await t.http.get('/api/webhooks/events').set('Accept-Encoding', 'gzip').expect(200);
    expect(api.headers['content-encoding']).toBeUndefined();
  });

  it('serves Swagger UI and an OpenAPI document listing the routes and both auth schemes', async () => {
    await t.http.get('/docs').expect(200).expect('Content-Type', /html/);
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    for (const path of [
      '/api/auth/register',
      '/api/auth/login',
      '/api/auth/logout',
      '/api/auth/me',
      '/api/staff',
      '/api/staff/{id}',
      '/health',
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
    expect(Object.keys(doc.components.securitySchemes)).toEqual(expect.arrayContaining(['cookie', 'bearer']));
    expect(doc.components.schemas).toHaveProperty('ErrorResponseDto');
    // Public routes say so (security: []); every $ref resolves (the fuzzer builds requests from this document).
    expect(doc.paths['/api/orders'].post.security).toEqual([]);
    expect(doc.paths['/api/orders'].get.security).toEqual(expect.arrayContaining([{ bearer: [] }]));
    const refs = [...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]);
    expect(refs.filter((name) => !(name in doc.components.schemas))).toEqual([]);
    // The document says what the API answers (issue #27): the public catalogue without auth or 401; 202s as 202;
    // one template per partner path; a media 404 is JSON, only its 200 is an image.
    const events = doc.paths['/api/webhooks/events'].get;
    expect(events.security).toEqual([]);
    expect(events.responses).not.toHaveProperty('401');
    expect(Object.keys(doc.paths['/api/webhooks/{id}/recover'].post.responses)).toContain('202');
    expect(doc.paths['/api/webhooks/{id}/rotate-secret'].post.responses).toHaveProperty('200');
    expect(Object.keys(doc.paths)).not.toContain('/api/v1/partner/webHooks/{id}');
    const media = doc.paths['/api/media/products/{key}'].get.responses;
    expect(Object.keys(media['200'].content)).toEqual(['image/jpeg', 'image/png', 'image/webp']);
    expect(Object.keys(media['404'].content)).toEqual(['application/json']);
    // Answers every route can give: 429 and 503 everywhere under /api, 400 wherever a query or body is validated.
    expect(doc.paths['/api/orders'].get.responses).toHaveProperty('400');
    for (const op of [doc.paths['/api/orders'].get, doc.paths['/api/webhooks/events'].get])
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['429', '503']));
  });

  it('echoes a sane X-Request-Id and generates one otherwise', async () => {
    const echoed = await t.http.get('/health').set('X-Request-Id', 'req-abc.123').expect(200);
    expect(echoed.headers['x-request-id']).toBe('req-abc.123');
    const generated = await t.http.get('/health').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('allows credentialed CORS from configured origins only', async () => {
    const ok = await t.http
      .options('/api/auth/me')
      .set('Origin', 'https://dashboard.sokohub.test')
      .set('Access-Control-Request-Method', 'GET');
    expect(ok.headers['access-control-allow-origin']).toBe('https://dashboard.sokohub.test');
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    const other = await t.http
      .options('/api/auth/me')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("lets a shop's own website (any origin) use the storefront, orders and images, without credentials", async () => {
    const SHOP_SITE = 'https://www.mama-mboga.co.ke';
    const s = await registerSeller(t.http);
    const p = await createProduct(t.http, s, { stock: 5 });
    const preflight = await t.http
      .options('/api/orders')
      .set('Origin', SHOP_SITE)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,idempotency-key')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    expect(preflight.headers['access-control-allow-headers']).toBe('content-type,idempotency-key');
    const placed = await t.http
      .post('/api/orders')
      .set('Origin', SHOP_SITE)
      .send(orderBody(s, [{ productId: p.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }))
      .expect(201);
    expect(placed.headers['access-control-allow-origin']).toBe('*');
    const listed = await t.http.get(`/api/storefront/${s.storeSlug}/products`).set('Origin', SHOP_SITE).expect(200);
    expect(listed.headers['access-control-allow-origin']).toBe('*');
    // The same website reads nothing of the seller's: no Allow-Origin on seller routes, with or without a cookie.
    for (const path of ['/api/orders', '/api/products', '/api/auth/me']) {
      const seller = await t.http.get(path).set('Origin', SHOP_SITE).set('Cookie', s.cookie);
      expect([path, seller.headers['access-control-allow-origin']]).toEqual([path, undefined]);
    }
    // The dashboard's origin keeps its credentials on every route, public ones included.
    const dash = await t.http
      .get(`/api/storefront/${s.storeSlug}/products`)
      .set('Origin', 'https://dashboard.sokohub.test')
      .expect(200);
    expect(dash.headers['access-control-allow-origin']).toBe('https://dashboard.sokohub.test');
    expect(dash.headers['access-control-allow-credentials']).toBe('true');
  });

  it('serves product images to pages on other domains (Cross-Origin-Resource-Policy: cross-origin)', async () => {
    const s = await registerSeller(t.http);
    const created = await t.http
      .post('/api/products')
      .set('Cookie', s.cookie)
      .field('name', 'Kikoi')
      .field('priceKes', '900')
      .attach('image', PNG_1X1, { filename: 'kikoi.png', contentType: 'image/png' })
      .expect(201);
    const image = await t.http.get(created.body.images[0].url).expect(200);
    expect(image.headers['cross-origin-resource-policy']).toBe('cross-origin');
    // Everything else keeps helmet's same-origin default.
    expect((await t.http.get('/health')).headers['cross-origin-resource-policy']).toBe('same-origin');
  });

  it('sends security headers and exposes Prometheus metrics by route', async () => {
    const s = await registerSeller(t.http);
    const me = await t.http.get('/api/auth/me').set('Cookie', s.cookie).expect(200);
    expect(me.headers['x-content-type-options']).toBe('nosniff');
    expect(me.headers['x-powered-by']).toBeUndefined();
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/http_requests_total\{method="GET",route="\/api\/auth\/me",status="200"\} \d+/);
    expect(metrics.text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/api\/auth\/me"/);
  });
});
