import { parse } from 'csv-parse/sync';
import { ProductExport } from '../../src/products/product-export.service.js';
import { addMember, registerSeller, type SellerSession } from '../support/factories.js';
import { createProduct } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';

type Row = Record<string, string>;

describe('The catalogue as CSV for a stock take (e2e)', () => {
  let t: TestApp;
  let s: SellerSession;
  const exportCsv = (query = '', auth: [string, string] = ['Cookie', s.cookie]) =>
    t.http
      .get(`/api/products/export${query}`)
      .set(...auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
  const rowsOf = (body: Buffer): Row[] => parse(body.toString('utf8'), { columns: true, bom: true });
  const names = (rows: Row[]) => rows.map((r) => `${r.name}${r.variant ? ` / ${r.variant}` : ''}`);

  beforeAll(async () => {
    t = await bootApp();
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
  afterAll(() => t.close());

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
});
