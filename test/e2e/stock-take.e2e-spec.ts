import { stringify } from 'csv-stringify/sync';
import { SELLER_EVENT_NAMES } from '../../src/events/event-catalogue.js';
import { ProductExport } from '../../src/products/product-export.service.js';
import { addMember, registerSeller, type SellerSession } from '../support/factories.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import { csvRowsOf, downloadCsv } from '../support/csv.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { createEndpoint, sql } from '../support/webhook-helpers.js';

type Row = Record<string, string>;

describe('Stock take: the catalogue as CSV, and the counts back (e2e)', () => {
  let t: TestApp;
  let s: SellerSession;
  let rx: Receiver;
  const exportCsv = (query = '', auth: [string, string] = ['Cookie', s.cookie]) =>
    downloadCsv(t.http, `/api/products/export${query}`, auth);
  const rowsOf = csvRowsOf;
  const names = (rows: Row[]) => rows.map((r) => `${r.name}${r.variant ? ` / ${r.variant}` : ''}`);

  beforeAll(async () => {
    t = await bootApp({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    rx = await startReceiver();
    s = await registerSeller(t.http);
    await createProduct(t.http, s, {
      name: 'kikoi',
      priceKes: 1200,
      compareAtPriceKes: 1500,
      stock: 4,
      sku: 'KK-1',
      category: 'Fabric',
    });
    await t.http
      .post('/api/products')
      .set('Cookie', s.cookie)
      .send({
        name: 'Sandals',
        priceKes: 900,
        category: 'Shoes',
        lowStockThreshold: 2,
        variants: [
          { name: 'Size 40', sku: 'SND-40', priceKes: 950, stock: 10 },
          { name: 'Size 41', stock: 1 },
        ],
      })
      .expect(201);
    // A name the seller pasted from somewhere that a spreadsheet would run.
    await createProduct(t.http, s, { name: '=1+2 Beads', priceKes: 50, stock: 100, isActive: false });
    const gone = await createProduct(t.http, s, { name: 'Discontinued', stock: 3 });
    await t.http.delete(`/api/products/${gone.id}`).set('Cookie', s.cookie).expect(204);
  });
  afterAll(async () => {
    await rx.close();
    await t.close();
  });

  it('lists each thing on the shelf once, by name: a product, or each of its variants, with prices and stock value', async () => {
    const res = await exportCsv().expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="products-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect([...(res.body as Buffer).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = rowsOf(res.body);
    expect(Object.keys(rows[0])).toEqual([
      'name',
      'variant',
      'sku',
      'category',
      'priceKes',
      'compareAtPriceKes',
      'stock',
      'lowStockThreshold',
      'stockValueKes',
      'isActive',
      'updatedAt',
      'productId',
      'variantId',
    ]);
    // Case-insensitive by name; the deleted product is not on the shelf; the product with variants has no row of
    // its own, so the stock column sums to the units held (4 + 10 + 1 + 100).
    expect(names(rows)).toEqual(["'=1+2 Beads", 'kikoi', 'Sandals / Size 40', 'Sandals / Size 41']);
    expect(rows.reduce((sum, r) => sum + Number(r.stock), 0)).toBe(115);
    const [beads, kikoi, size40, size41] = rows;
    expect(beads).toMatchObject({ isActive: 'false', stockValueKes: '5000', variantId: '' });
    expect(kikoi).toMatchObject({
      sku: 'KK-1',
      category: 'Fabric',
      priceKes: '1200',
      compareAtPriceKes: '1500',
      stock: '4',
      lowStockThreshold: '5',
      stockValueKes: '4800',
      isActive: 'true',
    });
    expect(kikoi.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);
    // A variant at its own price, and one at the product's.
    expect(size40).toMatchObject({ sku: 'SND-40', category: 'Shoes', priceKes: '950', stock: '10' });
    expect(size41).toMatchObject({ sku: '', priceKes: '900', stock: '1', stockValueKes: '900' });
    const sandals = (await t.http.get(`/api/products/${size40.productId}`).set('Cookie', s.cookie).expect(200)).body;
    expect([size40.variantId, size41.variantId]).toEqual(sandals.variants.map((v: { id: string }) => v.id));
  });

  it("takes the list's filters; a paging or unknown one is a 400 in the envelope", async () => {
    expect(names(rowsOf((await exportCsv('?lowStock=true').expect(200)).body))).toEqual([
      'kikoi',
      'Sandals / Size 40',
      'Sandals / Size 41',
    ]);
    expect(names(rowsOf((await exportCsv('?q=kik').expect(200)).body))).toEqual(['kikoi']);
    expect(names(rowsOf((await exportCsv('?category=shoes&inStock=true').expect(200)).body))).toHaveLength(2);
    expect(names(rowsOf((await exportCsv('?isActive=false').expect(200)).body))).toEqual(["'=1+2 Beads"]);
    for (const bad of ['?page=2', '?sort=name', '?lowStock=maybe']) {
      const res = await t.http.get(`/api/products/export${bad}`).set('Cookie', s.cookie).expect(400);
      expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR', statusCode: 400 });
    }
  });

  it('crosses batches without losing or repeating a product, names alike in any case included', async () => {
    const shop = await registerSeller(t.http);
    for (const name of ['Mat', 'MAT', 'mat', 'Basket', 'Zebra print']) await createProduct(t.http, shop, { name });
    await t.http
      .post('/api/products')
      .set('Cookie', shop.cookie)
      .send({ name: 'mAt', priceKes: 300, variants: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] })
      .expect(201);
    const exporter = t.app.get(ProductExport);
    const before = exporter.batchSize;
    exporter.batchSize = 2;
    try {
      const rows = rowsOf((await exportCsv('', ['Cookie', shop.cookie]).expect(200)).body);
      expect(rows).toHaveLength(8);
      expect(new Set(rows.map((r) => r.variantId || r.productId)).size).toBe(8);
      expect(rows.map((r) => r.name.toLowerCase())).toEqual([
        'basket',
        'mat',
        'mat',
        'mat',
        'mat',
        'mat',
        'mat',
        'zebra print',
      ]);
      // The product with variants keeps its three together, wherever the batch ends.
      const variants = rows.filter((r) => r.variant).map((r) => r.variant);
      expect(variants).toEqual(['A', 'B', 'C']);
    } finally {
      exporter.batchSize = before;
    }
  });

  it('is readable by a VIEWER and a read key; another shop gets only its own; no session, a 401', async () => {
    const viewer = await addMember(t.http, s, 'VIEWER');
    expect(rowsOf((await exportCsv('', ['Cookie', viewer.cookie]).expect(200)).body)).toHaveLength(4);
    const key = await t.http.post('/api/api-keys').set('Cookie', s.cookie).send({ name: 'stock', access: 'read' });
    expect(rowsOf((await exportCsv('', ['Authorization', `Bearer ${key.body.key}`]).expect(200)).body)).toHaveLength(4);
    const other = await registerSeller(t.http);
    expect(rowsOf((await exportCsv('', ['Cookie', other.cookie]).expect(200)).body)).toEqual([]);
    const res = await t.http.get('/api/products/export').expect(401);
    expect(res.body).toMatchObject({ success: false, code: 'UNAUTHORIZED' });
  });

  /** A shop with a product sold as it is, one sold by variant, and one left alone; every event read back. */
  const shelf = async () => {
    const shop = await registerSeller(t.http);
    await createEndpoint(t.http, shop, `${rx.url}/all`, [...SELLER_EVENT_NAMES]);
    const kikoi = await createProduct(t.http, shop, { name: 'Kikoi', priceKes: 1200, stock: 4, sku: 'KK-1' });
    const sandals = (
      await t.http
        .post('/api/products')
        .set('Cookie', shop.cookie)
        .send({
          name: 'Sandals',
          priceKes: 900,
          lowStockThreshold: 2,
          variants: [
            { name: 'Size 40', sku: 'SND-40', stock: 10 },
            { name: 'Size 41', stock: 1 },
          ],
        })
        .expect(201)
    ).body as { id: string; variants: { id: string }[] };
    const beads = await createProduct(t.http, shop, { name: 'Beads', priceKes: 50, stock: 100 });
    return { shop, kikoi, sandals, beads };
  };
  const stockOf = async (shop: SellerSession, id: string) =>
    (await t.http.get(`/api/products/${id}`).set('Cookie', shop.cookie).expect(200)).body as {
      stock: number;
      variants: { stock: number }[];
    };
  const eventsOf = (sellerId: string) =>
    sql<{ name: string; data: { productId: string; stock: number } }>(
      t.app,
      `select name, data from webhook_events where seller_id = ? and name in ('PRODUCT_UPDATED', 'LOW_STOCK_ALERT')
       order by occurred_at, id`,
      [sellerId],
    );

  it('takes the exported file back with its stock column edited: counts applied, empty cells skipped, audited', async () => {
    const { shop, kikoi, sandals, beads } = await shelf();
    const file = rowsOf((await exportCsv('', ['Cookie', shop.cookie]).expect(200)).body);
    expect(names(file)).toEqual(['Beads', 'Kikoi', 'Sandals / Size 40', 'Sandals / Size 41']);
    file[1].stock = '7';
    file[2].stock = '1';
    file[3].stock = '';
    const res = await t.http
      .post('/api/products/stock-take')
      .set('Cookie', shop.cookie)
      .attach('file', Buffer.from(stringify(file, { header: true, bom: true })), 'stock-take.csv')
      .expect(200);
    expect(res.body).toEqual({
      updated: 2,
      unchanged: 1,
      skipped: 1,
      changes: [
        { row: 2, productId: kikoi.id, variantId: null, name: 'Kikoi', from: 4, to: 7 },
        {
          row: 3,
          productId: sandals.id,
          variantId: sandals.variants[0].id,
          name: 'Sandals (Size 40)',
          from: 10,
          to: 1,
        },
      ],
    });
    expect((await stockOf(shop, kikoi.id)).stock).toBe(7);
    expect((await stockOf(shop, sandals.id)).variants.map((v) => v.stock)).toEqual([1, 1]);
    expect((await stockOf(shop, beads.id)).stock).toBe(100);
    // One PRODUCT_UPDATED per product that changed, with its stock after; Size 40 crossed down to its threshold.
    const events = await eventsOf(shop.sellerId);
    expect(events.map((e) => [e.name, e.data.productId, e.data.stock])).toEqual(
      expect.arrayContaining([
        ['PRODUCT_UPDATED', kikoi.id, 7],
        ['PRODUCT_UPDATED', sandals.id, 2],
        ['LOW_STOCK_ALERT', sandals.id, 1],
      ]),
    );
    expect(events.filter((e) => e.name === 'PRODUCT_UPDATED' && e.data.productId !== kikoi.id)).toHaveLength(1);
    expect(events.some((e) => e.data.productId === beads.id)).toBe(false);
    const audit = await t.http.get('/api/audit-log').set('Cookie', shop.cookie).expect(200);
    expect(audit.body.items.find((e: { action: string }) => e.action === 'products.stock_counted')).toMatchObject({
      actor: { type: 'user', email: shop.email },
      changes: { updated: 2, unchanged: 1, skipped: 1 },
    });
  });

  it('names every bad line and changes nothing; then counts by SKU in any case', async () => {
    const { shop, kikoi, sandals } = await shelf();
    const theirs = await createProduct(t.http, s, { name: 'Not yours', stock: 9 });
    const lines = [
      { sku: 'kk-1', stock: 3 },
      { productId: sandals.id, stock: 5 },
      { sku: 'NOPE', stock: 1 },
      { variantId: sandals.variants[0].id, productId: kikoi.id, stock: 1 },
      { sku: 'KK-1', stock: 2 },
      { productId: theirs.id, stock: 1 },
      { sku: 'SND-40', stock: -1 },
      { stock: 1 },
      { sku: 'SND-40', stock: 2, priceKes: 5 },
      { sku: 'SND-40', stock: 1.5 },
    ];
    const res = await t.http.post('/api/products/stock-take').set('Cookie', shop.cookie).send(lines).expect(400);
    expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR', statusCode: 400, updated: 0 });
    expect(res.body.message).toBe('9 lines have problems: no stock was changed (correct them and send again)');
    expect(res.body.errors).toEqual([
      { row: 2, field: 'productId', message: 'sold by variant: count each variant on its own line' },
      { row: 3, field: 'sku', message: 'no such sku in your shop' },
      { row: 4, field: 'productId', message: 'is not the product of this variant' },
      { row: 5, field: 'stock', message: 'counted twice (row 1)' },
      { row: 6, field: 'productId', message: 'no such product in your shop' },
      { row: 7, field: 'stock', message: 'stock must not be negative' },
      { row: 8, field: 'productId', message: 'give productId, variantId or sku' },
      { row: 9, field: 'priceKes', message: 'priceKes is not an allowed field' },
      { row: 10, field: 'stock', message: 'stock must be a whole number' },
    ]);
    expect((await stockOf(shop, kikoi.id)).stock).toBe(4);
    expect((await stockOf(s, theirs.id)).stock).toBe(9);
    const ok = await t.http
      .post('/api/products/stock-take')
      .set('Cookie', shop.cookie)
      .set('Content-Type', 'text/csv')
      .send('sku,stock\nkk-1,3\nsnd-40,10\n')
      .expect(200);
    expect(ok.body).toMatchObject({ updated: 1, unchanged: 1, skipped: 0 });
    expect((await stockOf(shop, kikoi.id)).stock).toBe(3);
    for (const [body, message] of [
      ['sku,count\nkk-1,3\n', 'The file has no stock column'],
      ['sku,stock\n', 'Nothing was counted'],
    ]) {
      const refused = await t.http
        .post('/api/products/stock-take')
        .set('Cookie', shop.cookie)
        .set('Content-Type', 'text/csv')
        .send(body)
        .expect(400);
      expect(refused.body).toMatchObject({ code: 'VALIDATION_ERROR', message });
    }
  });

  it('is a write: a VIEWER and a read key are refused, a full key may; orders placed alongside are never lost', async () => {
    const { shop, kikoi } = await shelf();
    const viewer = await addMember(t.http, shop, 'VIEWER');
    const count = [{ productId: kikoi.id, stock: 50 }];
    await t.http.post('/api/products/stock-take').set('Cookie', viewer.cookie).send(count).expect(403);
    const keys = await Promise.all(
      (['read', 'full'] as const).map(
        async (access) =>
          (await t.http.post('/api/api-keys').set('Cookie', shop.cookie).send({ name: access, access })).body.key,
      ),
    );
    await t.http.post('/api/products/stock-take').set('Authorization', `Bearer ${keys[0]}`).send(count).expect(403);
    await t.http.post('/api/products/stock-take').set('Authorization', `Bearer ${keys[1]}`).send(count).expect(200);
    await t.http.post('/api/products/stock-take').send(count).expect(401);
    expect((await stockOf(shop, kikoi.id)).stock).toBe(50);
    // Orders and a count at the same moment: each order either came before the count (which replaced its take) or
    // after it (and took from the count); none fails for a lock or a deadlock.
    const orders = Array.from({ length: 6 }, (_, i) =>
      t.http.post('/api/orders').send(
        orderBody(shop, [{ productId: kikoi.id, quantity: 1 }], {
          customerPhone: `0722${String(i).padStart(6, '0')}`,
        }),
      ),
    );
    const take = t.http
      .post('/api/products/stock-take')
      .set('Cookie', shop.cookie)
      .send([{ productId: kikoi.id, stock: 40 }]);
    const [counted, ...placed] = await Promise.all([take, ...orders]);
    expect([counted.status, ...placed.map((r) => r.status)]).toEqual([200, 201, 201, 201, 201, 201, 201]);
    const left = (await stockOf(shop, kikoi.id)).stock;
    expect(left).toBeGreaterThanOrEqual(40 - 6);
    expect(left).toBeLessThanOrEqual(40);
  });
});
