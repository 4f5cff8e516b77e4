import { addMember, registerSeller, type SellerSession } from '../support/factories.js';
import { startReceiver, waitFor, type Receiver } from '../support/receiver.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { createEndpoint, sql } from '../support/webhook-helpers.js';
import { PNG_1X1 } from '../support/shop.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { StockService } from '../../src/products/stock.service.js';
import { SELLER_EVENT_NAMES } from '../../src/events/event-catalogue.js';

// A real 1×1 PNG, and a PDF wearing a .png name.
const PNG = PNG_1X1;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('Catalogue (e2e)', () => {
  let t: TestApp;
  let s: SellerSession;
  let rx: Receiver;

  beforeAll(async () => {
    t = await bootApp({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_WORKER_INTERVAL_MS: '100' });
    rx = await startReceiver();
  });
  beforeEach(async () => {
    s = await registerSeller(t.http);
  });
  afterAll(async () => {
    await rx.close();
    await t.close();
  });

  const post = (path: string, body: unknown, who = s) =>
    t.http
      .post(path)
      .set('Cookie', who.cookie)
      .send(body as object);
  const product = (body: Record<string, unknown> = {}) =>
    post('/api/products', { name: 'African Print Tote Bag', priceKes: 1500, stock: 20, ...body }).expect(201);
  // The outbox stores events that some endpoint wants: subscribe one to every event to read them back.
  const subscribeAll = () => createEndpoint(t.http, s, `${rx.url}/all`, [...SELLER_EVENT_NAMES]);
  const events = async (sellerId: string) =>
    sql<{ name: string; data: Record<string, unknown> }>(
      t.app,
      'select name, data from webhook_events where seller_id = ? order by occurred_at, id',
      [sellerId],
    );

  describe('products', () => {
    it('creates from multipart with a real image, served back at a stable URL', async () => {
      const res = await t.http
        .post('/api/products')
        .set('Cookie', s.cookie)
        .field('name', 'Kikoi, red')
        .field('priceKes', '1200')
        .field('stock', '7')
        .field('isActive', 'true')
        .attach('image', PNG, { filename: 'kikoi.png', contentType: 'image/png' })
        .expect(201);
      expect(res.body).toMatchObject({
        name: 'Kikoi, red',
        priceKes: 1200,
        stock: 7,
        isActive: true,
        lowStockThreshold: 5,
        variants: [],
      });
      expect(res.body.id).toMatch(/^prod_/);
      expect(res.body.images).toEqual([
        {
          id: expect.stringMatching(/^img_/),
          url: expect.stringMatching(/^\/api\/media\/products\/img_\w+\.png$/),
          contentType: 'image/png',
          size: PNG.length,
        },
      ]);
      const image = await t.http.get(res.body.images[0].url).expect(200);
      expect(image.headers['content-type']).toBe('image/png');
      expect(Buffer.compare(image.body as Buffer, PNG)).toBe(0);
    });

    it('refuses a PDF named .png (by content), and a 6 MB upload, with nothing written', async () => {
      const pdf = await t.http
        .post('/api/products')
        .set('Cookie', s.cookie)
        .field('name', 'Fake')
        .field('priceKes', '100')
        .attach('image', PDF, { filename: 'x.png', contentType: 'image/png' })
        .expect(400);
      expect(pdf.body).toMatchObject({
        code: 'VALIDATION_ERROR',
        message: 'image must be a JPEG, PNG or WebP file (this one is application/pdf)',
      });
      const big = Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024)]);
      const tooBig = await t.http
        .post('/api/products')
        .set('Cookie', s.cookie)
        .field('name', 'Big')
        .field('priceKes', '100')
        .attach('image', big, { filename: 'big.png', contentType: 'image/png' })
        .expect(413);
      expect(tooBig.body).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE', statusCode: 413 });
      const list = await t.http.get('/api/products').set('Cookie', s.cookie).expect(200);
      expect(list.body.total).toBe(0);
    });

    it.each([
      [{ priceKes: -5 }, 'priceKes'],
      [{ priceKes: 12.5 }, 'priceKes'],
      [{ priceKes: 0 }, 'priceKes'],
      [{ stock: -1 }, 'stock'],
      [{ colour: 'red' }, 'colour'],
      [{ name: '' }, 'name'],
    ])('refuses %j with 400 naming %s', async (body, field) => {
      const res = await post('/api/products', { name: 'Thing', priceKes: 100, ...body }).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('refuses a duplicate SKU in the shop (any case) with 409, but another shop may use it', async () => {
      await product({ sku: 'TOTE-1' });
      const dup = await post('/api/products', { name: 'Other', priceKes: 100, sku: 'tote-1' }).expect(409);
      expect(dup.body.message).toBe('A product with this SKU already exists in your shop');
      const other = await registerSeller(t.http);
      await post('/api/products', { name: 'Theirs', priceKes: 100, sku: 'TOTE-1' }, other).expect(201);
    });

    it('lists with pagination, q, category, isActive, inStock, lowStock and sort', async () => {
      await product({ name: 'Zebra mug', priceKes: 300, category: 'Kitchen', stock: 0, sku: 'MUG-Z' });
      await product({ name: 'Apple basket', priceKes: 900, category: 'Kitchen', stock: 3 });
      await product({ name: 'Kanga wrap', priceKes: 600, category: 'Fashion', stock: 50, isActive: false });
      const q = async (query: string) =>
        (await t.http.get(`/api/products?${query}`).set('Cookie', s.cookie).expect(200)).body;
      expect((await q('')).total).toBe(3);
      expect((await q('limit=2&page=2')).data).toHaveLength(1);
      expect((await q('q=mug-z')).data.map((p: { name: string }) => p.name)).toEqual(['Zebra mug']);
      expect((await q('category=kitchen')).total).toBe(2);
      expect((await q('isActive=false')).data[0].name).toBe('Kanga wrap');
      expect((await q('inStock=false')).data.map((p: { name: string }) => p.name)).toEqual(['Zebra mug']);
      expect((await q('lowStock=true&sort=name')).data.map((p: { name: string }) => p.name)).toEqual([
        'Apple basket',
        'Zebra mug',
      ]);
      expect((await q('sort=-price')).data.map((p: { priceKes: number }) => p.priceKes)).toEqual([900, 600, 300]);
      expect((await q('sort=price')).data.map((p: { priceKes: number }) => p.priceKes)).toEqual([300, 600, 900]);
      await t.http.get('/api/products?sort=cheapest').set('Cookie', s.cookie).expect(400);
      // limit is capped at 100, not refused (DESIGN.md); not a whole number or below 1 is a 400.
      expect((await q('limit=500')).limit).toBe(100);
      expect((await q('limit=500')).data).toHaveLength(3);
      for (const bad of ['0', 'abc', '2.5', ''])
        await t.http.get(`/api/products?limit=${bad}`).set('Cookie', s.cookie).expect(400);
    });

    it("answers each listed product exactly as the product's own route does (the list is written by PostgreSQL)", async () => {
      const plain = (await product({ name: 'Kikoi', description: 'Cotton', compareAtPriceKes: 2000, sku: 'KK-1' }))
        .body;
      const tote = (await product({ name: 'Tote', category: 'Bags', stock: 0 })).body;
      await post(`/api/products/${tote.id}/variants`, { name: 'Large', options: { size: 'L' }, stock: 4 }).expect(201);
      await post(`/api/products/${tote.id}/variants`, {
        name: 'Small',
        options: { size: 'S', colour: 'Red' },
        sku: 'TOTE-S',
        priceKes: 1200,
        stock: 2,
      }).expect(201);
      const list = await t.http.get('/api/products?sort=oldest').set('Cookie', s.cookie).expect(200);
      expect(list.headers['content-type']).toMatch(/^application\/json/);
      const own = async (id: string) =>
        (await t.http.get(`/api/products/${id}`).set('Cookie', s.cookie).expect(200)).body as Record<string, unknown>;
      expect(list.body).toEqual({ data: [await own(plain.id), await own(tote.id)], page: 1, limit: 20, total: 2 });
      expect(list.body.data[1].stock).toBe(6);
      expect(list.body.data[1].variants.map((v: { priceKes: number }) => v.priceKes)).toEqual([1500, 1200]);
      // The instants are stored as text when a row is written: whole seconds, microseconds and later updates come
      // out as Date#toJSON writes them.
      await sql(t.app, `update products set created_at = '2026-01-02 03:04:05+03' where id = ?`, [plain.id]);
      await sql(
        t.app,
        `update product_variants set updated_at = '2026-01-02 03:04:05.123987+00' where product_id = ?`,
        [tote.id],
      );
      await t.http.patch(`/api/products/${tote.id}`).set('Cookie', s.cookie).send({ priceKes: 1700 }).expect(200);
      const again = await t.http.get('/api/products?sort=oldest').set('Cookie', s.cookie).expect(200);
      expect(again.body.data).toEqual([await own(plain.id), await own(tote.id)]);
      expect(again.body.data[0].createdAt).toBe('2026-01-02T00:04:05.000Z');
      expect(again.body.data[1].variants[0].updatedAt).toBe('2026-01-02T03:04:05.123Z');
      expect(again.body.data[1].updatedAt).not.toBe(list.body.data[1].updatedAt);
      // Past the last page: no rows, the total still counted; an empty shop lists nothing.
      expect((await t.http.get('/api/products?page=3&limit=1').set('Cookie', s.cookie).expect(200)).body).toEqual({
        data: [],
        page: 3,
        limit: 1,
        total: 2,
      });
      const empty = await registerSeller(t.http);
      expect((await t.http.get('/api/products').set('Cookie', empty.cookie).expect(200)).body).toEqual({
        data: [],
        page: 1,
        limit: 20,
        total: 0,
      });
    });

    it('serves the event catalogue with an ETag and answers a matching If-None-Match with 304', async () => {
      const first = await t.http.get('/api/webhooks/events').expect(200);
      expect(first.headers['content-type']).toMatch(/^application\/json/);
      expect(first.body).toHaveLength(SELLER_EVENT_NAMES.length);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^"[\w-]{27}"$/);
      await t.http.get('/api/webhooks/events').set('If-None-Match', etag).expect(304);
      await t.http.get('/api/webhooks/events').set('If-None-Match', '"other"').expect(200);
    });

    it('updates with PATCH or PUT, soft-deletes, and emits PRODUCT_CREATED / UPDATED / DELETED', async () => {
      await subscribeAll();
      const { body: p } = await product({ sku: 'EV-1' });
      const patched = await t.http
        .patch(`/api/products/${p.id}`)
        .set('Cookie', s.cookie)
        .send({ priceKes: 1700, description: 'Now with pockets' })
        .expect(200);
      expect(patched.body).toMatchObject({
        priceKes: 1700,
        description: 'Now with pockets',
        name: 'African Print Tote Bag',
      });
      await t.http.put(`/api/products/${p.id}`).set('Cookie', s.cookie).send({ name: 'Tote Bag' }).expect(200);
      await t.http.patch(`/api/products/${p.id}`).set('Cookie', s.cookie).send({ priceKes: null }).expect(400);
      // `sku: null` is documented (nullable) and clears it; the SKU is then free for another product.
      const cleared = await t.http.patch(`/api/products/${p.id}`).set('Cookie', s.cookie).send({ sku: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.sku).toBeNull();
      await t.http.patch(`/api/products/${p.id}`).set('Cookie', s.cookie).send({ sku: 'EV-1' }).expect(200);
      await t.http.delete(`/api/products/${p.id}`).set('Cookie', s.cookie).expect(204);
      await t.http.get(`/api/products/${p.id}`).set('Cookie', s.cookie).expect(404);
      expect((await t.http.get('/api/products').set('Cookie', s.cookie)).body.total).toBe(0);
      const [kept] = await sql<{ deleted_at: Date }>(t.app, 'select deleted_at from products where id = ?', [p.id]);
      expect(kept.deleted_at).toBeTruthy();
      // The deleted product's SKU is free again.
      await product({ sku: 'EV-1' });
      const names = (await events(s.sellerId)).map((e) => e.name);
      expect(names.filter((n) => n.startsWith('PRODUCT_'))).toEqual([
        'PRODUCT_CREATED',
        'PRODUCT_UPDATED',
        'PRODUCT_UPDATED',
        'PRODUCT_UPDATED', // sku cleared
        'PRODUCT_UPDATED', // sku set again
        'PRODUCT_DELETED',
        'PRODUCT_CREATED',
      ]);
    });

    it('sends product events through the engine to a subscribed endpoint', async () => {
      await createEndpoint(t.http, s, `${rx.url}/products`, ['PRODUCT_CREATED']);
      const { body: p } = await product({ sku: 'HOOK-1', category: 'Bags' });
      const req = await waitFor(
        () => rx.requests.find((r) => (r.json.data as { productId?: string })?.productId === p.id),
        5000,
      );
      expect(req.json).toMatchObject({
        event: 'PRODUCT_CREATED',
        sellerId: s.sellerId,
        data: {
          productId: p.id,
          name: 'African Print Tote Bag',
          sku: 'HOOK-1',
          priceKes: 1500,
          stock: 20,
          isActive: true,
          category: 'Bags',
        },
      });
    });

    it("hides another shop's products: 404 on every route, nothing changes", async () => {
      const { body: p } = await product();
      const b = await registerSeller(t.http);
      await t.http.get(`/api/products/${p.id}`).set('Cookie', b.cookie).expect(404);
      await t.http.patch(`/api/products/${p.id}`).set('Cookie', b.cookie).send({ priceKes: 1 }).expect(404);
      await t.http.delete(`/api/products/${p.id}`).set('Cookie', b.cookie).expect(404);
      await t.http.post(`/api/products/${p.id}/variants`).set('Cookie', b.cookie).send({ name: 'X' }).expect(404);
      await t.http.get(`/api/products/${p.id}/reviews`).set('Cookie', b.cookie).expect(404);
      expect((await t.http.get('/api/products').set('Cookie', b.cookie)).body.total).toBe(0);
      expect((await t.http.get(`/api/products/${p.id}`).set('Cookie', s.cookie)).body.priceKes).toBe(1500);
    });

    it('lets a VIEWER read but not write', async () => {
      const viewer = await addMember(t.http, s, 'VIEWER');
      await t.http.get('/api/products').set('Cookie', viewer.cookie).expect(200);
      await post('/api/products', { name: 'x', priceKes: 1 }, viewer).expect(403);
    });
  });

  describe('variants and stock', () => {
    it('creates a product with its variants in one request (JSON or multipart), one event with their stock', async () => {
      await subscribeAll();
      const created = await product({
        name: 'Kitenge Shirt',
        priceKes: 800,
        variants: [
          { name: 'Large', options: { size: 'L' }, stock: 3, sku: 'KS-L' },
          { name: ' Medium ', options: { size: 'M' }, stock: 2, priceKes: 900 },
        ],
      });
      expect(created.body).toMatchObject({
        stock: 5,
        variants: [
          { name: 'Large', options: { size: 'L' }, sku: 'KS-L', priceKes: 800, stock: 3 },
          { name: 'Medium', options: { size: 'M' }, sku: null, priceKes: 900, stock: 2 },
        ],
      });
      expect(created.body.variants[0].id).toMatch(/^var_/);
      const got = await t.http.get(`/api/products/${created.body.id}`).set('Cookie', s.cookie).expect(200);
      expect(got.body).toEqual(created.body);
      const [event] = (await events(s.sellerId)).filter((e) => e.name === 'PRODUCT_CREATED');
      expect(event.data).toMatchObject({ productId: created.body.id, stock: 5 });
      // A form cannot nest: in multipart the field is the array's JSON text, beside the image.
      const form = await t.http
        .post('/api/products')
        .set('Cookie', s.cookie)
        .field('name', 'Kanga')
        .field('priceKes', '600')
        .field('variants', JSON.stringify([{ name: 'Blue', options: { color: 'Blue' }, stock: 4 }]))
        .attach('image', PNG, { filename: 'kanga.png', contentType: 'image/png' })
        .expect(201);
      expect(form.body).toMatchObject({ stock: 4, variants: [{ name: 'Blue', priceKes: 600, stock: 4 }] });
      expect(form.body.images).toHaveLength(1);
      // Refused whole, nothing half-written: a bad variant, two with one SKU, a SKU the shop already uses.
      const before = (await t.http.get('/api/products').set('Cookie', s.cookie)).body.total;
      const bad = await post('/api/products', { name: 'X', priceKes: 5, variants: [{ name: 'A', stock: -1 }] });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'variants.0.stock', message: expect.any(String) }]);
      const twice = await post('/api/products', {
        name: 'X',
        priceKes: 5,
        variants: [
          { name: 'A', sku: 'dup' },
          { name: 'B', sku: 'DUP' },
        ],
      });
      expect(twice.status).toBe(400);
      expect(twice.body.errors).toEqual([{ field: 'variants.1.sku', message: 'repeats the sku of variants.0' }]);
      const taken = await post('/api/products', { name: 'X', priceKes: 5, variants: [{ name: 'A', sku: 'ks-l' }] });
      expect(taken.status).toBe(409);
      await post('/api/products', { name: 'X', priceKes: 5, variants: 'L,M' }).expect(400);
      expect((await t.http.get('/api/products').set('Cookie', s.cookie)).body.total).toBe(before);
      // Variants are edited on their own routes, not through the product's PATCH.
      await t.http.patch(`/api/products/${created.body.id}`).set('Cookie', s.cookie).send({ variants: [] }).expect(400);
    });

    it('adds, changes and removes variants; price defaults to the product; stock is the sum', async () => {
      const { body: p } = await product({ stock: 0 });
      const large = await post(`/api/products/${p.id}/variants`, {
        name: 'Large / Red',
        options: { size: 'L', color: 'Red' },
        stock: 4,
      }).expect(201);
      expect(large.body).toMatchObject({
        name: 'Large / Red',
        options: { size: 'L', color: 'Red' },
        priceKes: 1500,
        stock: 4,
      });
      const small = await post(`/api/products/${p.id}/variants`, {
        name: 'Small',
        priceKes: 1300,
        stock: 6,
        sku: 'TOTE-S',
      }).expect(201);
      expect(small.body.priceKes).toBe(1300);
      const got = await t.http.get(`/api/products/${p.id}`).set('Cookie', s.cookie).expect(200);
      expect(got.body.stock).toBe(10);
      expect(got.body.variants.map((v: { name: string }) => v.name)).toEqual(['Large / Red', 'Small']);
      // The list is read by one raw SQL statement, the detail through the ORM: both must give the same product.
      const listed = await t.http.get('/api/products?limit=100').set('Cookie', s.cookie).expect(200);
      expect(listed.body.data.find((x: { id: string }) => x.id === p.id)).toEqual(got.body);
      await t.http
        .patch(`/api/products/${p.id}/variants/${small.body.id}`)
        .set('Cookie', s.cookie)
        .send({ stock: 9 })
        .expect(200);
      // PUT is taken as PATCH, as for the product itself.
      const put = await t.http
        .put(`/api/products/${p.id}/variants/${small.body.id}`)
        .set('Cookie', s.cookie)
        .send({ name: 'Small / Blue' })
        .expect(200);
      expect(put.body).toMatchObject({ name: 'Small / Blue', stock: 9, sku: 'TOTE-S' });
      await post(`/api/products/${p.id}/variants`, { name: 'Dup', sku: 'tote-s' }).expect(409);
      await post(`/api/products/${p.id}/variants`, { name: 'Bad', options: { size: 5 } }).expect(400);
      await t.http.patch(`/api/products/${p.id}`).set('Cookie', s.cookie).send({ stock: 3 }).expect(409); // sold by variant: the state refuses it
      // The stock it already shows (the sum) is no change: a client sending its whole form back is not refused.
      const same = await t.http
        .patch(`/api/products/${p.id}`)
        .set('Cookie', s.cookie)
        .send({ name: 'Tote, two sizes', stock: 13 })
        .expect(200);
      expect(same.body).toMatchObject({ name: 'Tote, two sizes', stock: 13 });
      await t.http.delete(`/api/products/${p.id}/variants/${large.body.id}`).set('Cookie', s.cookie).expect(204);
      await t.http.delete(`/api/products/${p.id}/variants/${large.body.id}`).set('Cookie', s.cookie).expect(404);
      expect((await t.http.get(`/api/products/${p.id}`).set('Cookie', s.cookie)).body.stock).toBe(9);
    });

    it('fires LOW_STOCK_ALERT once when stock crosses down to the threshold, and again only after a restock above it', async () => {
      await subscribeAll();
      const { body: p } = await product({ stock: 8, lowStockThreshold: 5 });
      const set = (stock: number) =>
        t.http.patch(`/api/products/${p.id}`).set('Cookie', s.cookie).send({ stock }).expect(200);
      await set(6); // above: nothing
      await set(5); // crosses down: alert
      await set(2); // still low: nothing
      await set(9); // restocked above
      await set(4); // crosses again: alert
      const alerts = (await events(s.sellerId)).filter((e) => e.name === 'LOW_STOCK_ALERT');
      expect(alerts.map((a) => a.data.stock)).toEqual([5, 4]);
      expect(alerts[0].data).toEqual({
        productId: p.id,
        variantId: null,
        name: 'African Print Tote Bag',
        sku: null,
        stock: 5,
        lowStockThreshold: 5,
      });
    });

    it('never goes below zero, even with concurrent takes', async () => {
      const { body: p } = await product({ stock: 10 });
      const stock = t.app.get(StockService);
      const uow = t.app.get(UnitOfWork);
      const results = await Promise.allSettled(
        Array.from({ length: 25 }, () => uow.run((tx) => stock.adjust(tx, s.sellerId, { productId: p.id, delta: -1 }))),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused.every((r) => (r.reason as { code: string }).code === 'CONFLICT')).toBe(true);
      expect((await t.http.get(`/api/products/${p.id}`).set('Cookie', s.cookie)).body.stock).toBe(0);
    });
  });

  describe('bulk import', () => {
    it('imports a CSV body with quoted fields, commas and UTF-8 names', async () => {
      const csv =
        'name,priceKes,sku,stock,category\n"Kikoi, red",1200,KK-1,5,Fashion\n"Mama Ngũgĩ\'s ""special"" honey",800,,10,Food\n';
      const res = await t.http
        .post('/api/products/bulk')
        .set('Cookie', s.cookie)
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(200);
      expect(res.body).toMatchObject({ created: 2, errors: [] });
      const list = (await t.http.get('/api/products?sort=name').set('Cookie', s.cookie)).body.data;
      expect(list.map((p: { name: string }) => p.name)).toEqual(['Kikoi, red', 'Mama Ngũgĩ\'s "special" honey']);
      expect(list[0]).toMatchObject({ priceKes: 1200, sku: 'KK-1', stock: 5, category: 'Fashion' });
    });

    it('imports an uploaded CSV file and a JSON array', async () => {
      const file = Buffer.from('name,priceKes\nSoap,50\n');
      await t.http
        .post('/api/products/bulk')
        .set('Cookie', s.cookie)
        .attach('file', file, { filename: 'p.csv', contentType: 'text/csv' })
        .expect(200, /"created":1/);
      const json = await post('/api/products/bulk', [
        { name: 'A', priceKes: 10 },
        { name: 'B', priceKes: 20, stock: 2 },
      ]).expect(200);
      expect(json.body.created).toBe(2);
      expect((await t.http.get('/api/products').set('Cookie', s.cookie)).body.total).toBe(3);
    });

    it('names every bad row and field and creates nothing, unless partial=true', async () => {
      await product({ sku: 'TAKEN' });
      const rows = [
        { name: 'Good', priceKes: 100 },
        { name: 'Negative', priceKes: -1 },
        { name: 'Dup in shop', priceKes: 5, sku: 'taken' },
        { name: 'Good too', priceKes: 100, sku: 'X1' },
        { name: 'Dup in file', priceKes: 100, sku: 'x1' },
        { priceKes: 10, extra: true },
      ];
      const res = await post('/api/products/bulk', rows).expect(400);
      expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR', statusCode: 400, created: 0 });
      expect(res.body.message).toBe(
        '4 rows have problems: nothing was imported (correct them, or send ?partial=true to import the good rows)',
      );
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { row: 2, field: 'priceKes', message: 'priceKes must be greater than 0' },
          { row: 3, field: 'sku', message: 'a product with this sku already exists in your shop' },
          { row: 5, field: 'sku', message: 'sku repeats row 4' },
          expect.objectContaining({ row: 6, field: 'name' }),
          { row: 6, field: 'extra', message: 'extra is not an allowed field' },
        ]),
      );
      expect((await t.http.get('/api/products').set('Cookie', s.cookie)).body.total).toBe(1);
      // Only SKUs already in the shop: a conflict, as for a single create.
      const taken = await post('/api/products/bulk', [rows[0], rows[2]]).expect(409);
      expect(taken.body).toMatchObject({ code: 'CONFLICT', created: 0, errors: [{ row: 2, field: 'sku' }] });
      const partial = await post('/api/products/bulk?partial=true', rows).expect(200);
      expect(partial.body.created).toBe(2);
      expect(partial.body.errors.map((e: { row: number }) => e.row)).toEqual([2, 3, 5, 6, 6]);
      expect((await t.http.get('/api/products').set('Cookie', s.cookie)).body.total).toBe(3);
    });

    it('refuses a 1,001-row CSV and a malformed CSV with 400', async () => {
      const big = 'name,priceKes\n' + Array.from({ length: 1001 }, (_, i) => `P${i},10`).join('\n');
      const res = await t.http
        .post('/api/products/bulk')
        .set('Cookie', s.cookie)
        .set('Content-Type', 'text/csv')
        .send(big)
        .expect(400);
      expect(res.body.message).toBe('At most 1000 products per import (this one has 1001)');
      const bad = await t.http
        .post('/api/products/bulk')
        .set('Cookie', s.cookie)
        .set('Content-Type', 'text/csv')
        .send('name,priceKes\n"unclosed,10\n')
        .expect(400);
      expect(bad.body.message).toMatch(/^CSV could not be read/);
      await post('/api/products/bulk', { name: 'not an array' }).expect(400);
      expect((await t.http.get('/api/products').set('Cookie', s.cookie)).body.total).toBe(0);
    });
  });

  describe('storefront and reviews', () => {
    it('lets a shopper sort the shop window as the seller sorts the list; newest first by default', async () => {
      await product({ name: 'Visible', priceKes: 1500 });
      await product({ name: 'Cheap kikoi', priceKes: 300 });
      const names = async (query: string) =>
        (await t.http.get(`/api/storefront/${s.storeSlug}/products${query}`).expect(200)).body.data.map(
          (p: { name: string }) => p.name,
        );
      expect(await names('')).toEqual(['Cheap kikoi', 'Visible']);
      expect(await names('?sort=price')).toEqual(['Cheap kikoi', 'Visible']);
      expect(await names('?sort=-price')).toEqual(['Visible', 'Cheap kikoi']);
      expect(await names('?sort=oldest')).toEqual(['Visible', 'Cheap kikoi']);
      await t.http.get(`/api/storefront/${s.storeSlug}/products?sort=stock`).expect(400);
    });

    it('shows active products only, with variants, in-stock flag and ratings; counts views per day', async () => {
      await subscribeAll();
      const { body: active } = await product({ name: 'Visible', stock: 0 });
      await post(`/api/products/${active.id}/variants`, { name: 'M', stock: 2 }).expect(201);
      await product({ name: 'Hidden', isActive: false });
      const { body: gone } = await product({ name: 'Deleted' });
      await t.http.delete(`/api/products/${gone.id}`).set('Cookie', s.cookie).expect(204);

      const store = await t.http.get(`/api/storefront/${s.storeSlug}`).expect(200);
      expect(store.body).toEqual({ storeName: expect.any(String), storeSlug: s.storeSlug });
      const list = await t.http.get(`/api/storefront/${s.storeSlug}/products`).expect(200);
      expect(list.body.total).toBe(1);
      expect(list.body.data[0]).toMatchObject({
        name: 'Visible',
        inStock: true,
        averageRating: null,
        reviewCount: 0,
        variants: [{ name: 'M', inStock: true, priceKes: 1500 }],
      });
      expect(list.body.data[0]).not.toHaveProperty('stock');

      await post(`/api/storefront/${s.storeSlug}/products/${active.id}/reviews`, {
        customerName: 'Amina',
        rating: 5,
        comment: 'Lovely',
      }).expect(201);
      const { body: r2 } = await post(`/api/storefront/${s.storeSlug}/products/${active.id}/reviews`, {
        customerName: 'Otieno',
        rating: 2,
      }).expect(201);
      await post(`/api/storefront/${s.storeSlug}/products/${active.id}/reviews`, {
        customerName: 'X',
        rating: 6,
      }).expect(400);
      await post(`/api/storefront/${s.storeSlug}/products/${active.id}/reviews`, {
        customerName: 'X',
        rating: 3,
        comment: 'y'.repeat(2001),
      }).expect(400);
      await t.http
        .patch(`/api/products/${active.id}/reviews/${r2.id}`)
        .set('Cookie', s.cookie)
        .send({ isVisible: false })
        .expect(200);
      const detail = await t.http.get(`/api/storefront/${s.storeSlug}/products/${active.id}`).expect(200);
      expect(detail.body).toMatchObject({ averageRating: 5, reviewCount: 1 });
      // The list (written by PostgreSQL) answers each product exactly as the product's own route does.
      const listed = await t.http.get(`/api/storefront/${s.storeSlug}/products`).expect(200);
      expect(listed.body).toEqual({ data: [detail.body], page: 1, limit: 20, total: 1 });
      await t.http.get(`/api/storefront/${s.storeSlug}/products/${active.id}`).expect(200);
      const visible = await t.http.get(`/api/storefront/${s.storeSlug}/products/${active.id}/reviews`).expect(200);
      expect(visible.body.data.map((r: { customerName: string }) => r.customerName)).toEqual(['Amina']);
      const all = await t.http.get(`/api/products/${active.id}/reviews`).set('Cookie', s.cookie).expect(200);
      expect(all.body.total).toBe(2);

      const views = await sql<{ views: number; n: number }>(
        t.app,
        'select views, (select count(*)::int from product_daily_views where product_id = ?) as n from product_daily_views where product_id = ?',
        [active.id, active.id],
      );
      expect(views).toEqual([{ views: 2, n: 1 }]);
      expect((await events(s.sellerId)).filter((e) => e.name === 'REVIEW_SUBMITTED')).toHaveLength(2);

      await t.http.get(`/api/storefront/${s.storeSlug}/products/${gone.id}`).expect(404);
      await t.http.get('/api/storefront/no-such-shop/products').expect(404);
    });

    it("does not show one shop's product under another shop's slug", async () => {
      const { body: p } = await product();
      const other = await registerSeller(t.http);
      await t.http.get(`/api/storefront/${other.storeSlug}/products/${p.id}`).expect(404);
      await post(`/api/storefront/${other.storeSlug}/products/${p.id}/reviews`, {
        customerName: 'A',
        rating: 4,
      }).expect(404);
    });
  });
});
