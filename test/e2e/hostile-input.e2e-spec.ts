import { gzipSync } from 'node:zlib';
import { addMember, registerSeller, type SellerSession } from '../support/factories.js';
import { createProduct } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { sql } from '../support/webhook-helpers.js';

/** Each case here is one the OpenAPI fuzzer (`npm run test:reliability -- --only 5`) once answered with a 500. */
describe('Hostile input (e2e): clear 400s, nothing written', () => {
  let t: TestApp;
  let s: SellerSession;

  beforeAll(async () => {
    t = await bootApp();
    s = await registerSeller(t.http);
  });
  afterAll(() => t.close());

  const productCount = async () =>
    (await sql<{ n: string }>(t.app, 'select count(*) as n from products where seller_id = ?', [s.sellerId]))[0].n;

  it('refuses NUL characters in a body, a query string and a path', async () => {
    const before = await productCount();
    const body = await t.http
      .post('/api/products')
      .set('Cookie', s.cookie)
      .send({ name: 'Tote\u0000', priceKes: 100 })
      .expect(400);
    expect(body.body).toEqual({
      success: false,
      code: 'VALIDATION_ERROR',
      message: 'name must not contain NUL characters',
      statusCode: 400,
      errors: [{ field: 'name', message: 'name must not contain NUL characters' }],
    });
    await t.http.get('/api/products?q=a%00b').set('Cookie', s.cookie).expect(400);
    const path = await t.http
      .patch('/api/products/%00/reviews/rev_x')
      .set('Cookie', s.cookie)
      .send({ isVisible: true })
      .expect(400);
    expect(path.body.code).toBe('VALIDATION_ERROR');
    expect(await productCount()).toBe(before);
  });

  it('refuses unpaired surrogates (not Unicode) but keeps emoji and combining marks', async () => {
    const res = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email":"x\\ud800@example.com","password":"p"}')
      .expect(400);
    expect(res.body.message).toBe('email is not valid Unicode text');
    const ok = await createProduct(t.http, s, { name: 'Kikoi 🇰🇪 e\u0301' });
    expect((await t.http.get(`/api/products/${ok.id}`).set('Cookie', s.cookie).expect(200)).body.name).toBe(
      'Kikoi 🇰🇪 e\u0301',
    );
  });

  it('refuses bodies nested absurdly deep instead of overflowing the stack', async () => {
    const res = await t.http
      .post('/api/webhooks')
      .set('Cookie', s.cookie)
      .set('Content-Type', 'application/json')
      .send('['.repeat(5000) + ']'.repeat(5000))
      .expect(400);
    expect(res.body.message).toMatch(/nests deeper than 16 levels/);
  });

  it('refuses null for fields a PATCH cannot empty', async () => {
    const member = await addMember(t.http, s, 'VIEWER');
    const role = await t.http
      .patch(`/api/staff/${member.userId}`)
      .set('Cookie', s.cookie)
      .send({ role: null })
      .expect(400);
    expect(role.body.message).toBe('role cannot be null');
    const p = await createProduct(t.http, s);
    const v = await t.http
      .post(`/api/products/${p.id}/variants`)
      .set('Cookie', s.cookie)
      .send({ name: 'Large', options: { size: 'L' } })
      .expect(201);
    await t.http
      .patch(`/api/products/${p.id}/variants/${v.body.id}`)
      .set('Cookie', s.cookie)
      .send({ options: null })
      .expect(400);
    expect(
      (await t.http.get(`/api/products/${p.id}`).set('Cookie', s.cookie).expect(200)).body.variants[0].options,
    ).toEqual({ size: 'L' });
  });

  it('reports a bulk row whose sku is not text as a row error', async () => {
    const res = await t.http
      .post('/api/products/bulk')
      .set('Cookie', s.cookie)
      .send([
        { name: 'A', priceKes: 10, sku: 12345 },
        { name: 'B', priceKes: 10, sku: { $gt: '' } },
      ])
      .expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_ERROR', created: 0 });
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 1, field: 'sku' }),
        expect.objectContaining({ row: 2, field: 'sku' }),
      ]),
    );
  });

  it('refuses impossible dates and reversed or enormous analytics ranges', async () => {
    for (const q of [
      'from=2025-13-45',
      'to=2025-02-30',
      'from=2025-03-02&to=2025-03-01',
      'from=1990-01-01&to=2025-01-01',
    ]) {
      const res = await t.http.get(`/api/analytics/overview?${q}`).set('Cookie', s.cookie).expect(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
    }
    await t.http.get('/api/analytics/overview?from=2024-02-29&to=2024-03-01').set('Cookie', s.cookie).expect(200);
  });
  it('says what is wrong with a body in another charset, an unknown encoding or one that does not decompress', async () => {
    const before = await productCount();
    const post = () => t.http.post('/api/products').set('Cookie', s.cookie);
    const latin1 = await post()
      .set('Content-Type', 'application/json; charset=latin1')
      .send('{"name":"Tote","priceKes":100}')
      .expect(415);
    expect(latin1.body).toEqual({
      success: false,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Unsupported charset: send the body as UTF-8',
      statusCode: 415,
    });
    const unknown = await post()
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'compress')
      .send('{"name":"Tote","priceKes":100}')
      .expect(415);
    expect(unknown.body.message).toBe(
      'Unsupported Content-Encoding: send the body as it is, or gzip, deflate, br or zstd',
    );
    for (const encoding of ['gzip', 'br']) {
      const broken = await post()
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .send('{"name":"not compressed at all"}')
        .expect(400);
      expect(broken.body).toEqual({
        success: false,
        code: 'VALIDATION_ERROR',
        message: 'Malformed compressed request body',
        statusCode: 400,
      });
    }
    const gzipped = await post()
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      // As bytes: superagent would otherwise JSON-encode a Buffer sent with a JSON content type.
      .serialize((bytes: Buffer) => bytes as unknown as string)
      .send(gzipSync(JSON.stringify({ name: 'Gzipped tote', priceKes: 100 })))
      .expect(201);
    expect(gzipped.body.name).toBe('Gzipped tote');
    expect(await productCount()).toBe(String(Number(before) + 1));
  });
});
