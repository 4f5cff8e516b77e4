import pg from 'pg';
import { OrderExport } from '../../src/orders/order-export.service.js';
import { addMember, registerSeller, type SellerSession } from '../support/factories.js';
import { createProduct, orderBody } from '../support/shop.js';
import { csvRowsOf, downloadCsv } from '../support/csv.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { sql } from '../support/webhook-helpers.js';

describe('Orders as CSV for the books (e2e)', () => {
  let t: TestApp;
  let s: SellerSession;
  let phones = 0;
  const placed: { id: string; referenceCode: string }[] = [];

  const place = async (productId: string, extra: Record<string, unknown> = {}, variantId?: string) => {
    phones++;
    const { body } = await t.http
      .post('/api/orders')
      .send(
        orderBody(s, [{ productId, quantity: 2, ...(variantId ? { variantId } : {}) }], {
          customerPhone: `0711${String(phones).padStart(6, '0')}`,
          paymentMethod: 'CASH_ON_DELIVERY',
          ...extra,
        }),
      )
      .expect(201);
    placed.push(body);
    return body as { id: string; referenceCode: string; totalKes: number };
  };
  const exportCsv = (query = '', auth: [string, string] = ['Cookie', s.cookie]) =>
    downloadCsv(t.http, `/api/orders/export${query}`, auth);
  const rowsOf = csvRowsOf;

  beforeAll(async () => {
    t = await bootApp({ DB_STATEMENT_TIMEOUT_MS: '1500' });
    s = await registerSeller(t.http);
    const plain = await createProduct(t.http, s, { name: 'Kikoi', priceKes: 1200, stock: 50 });
    const withVariants = await t.http
      .post('/api/products')
      .set('Cookie', s.cookie)
      .send({
        name: 'Sandals',
        priceKes: 900,
        variants: [{ name: 'Size 40', options: { size: '40' }, sku: 'SND-40', priceKes: 950, stock: 10 }],
      })
      .expect(201);
    await place(plain.id, { customerName: 'Wanjikũ "Shiru" Kamau, jr' });
    // A name from the public storefront that a spreadsheet would run as a formula.
    await place(plain.id, { customerName: '=HYPERLINK("http://evil.example","Pay here")' });
    await place(withVariants.body.id, {}, withVariants.body.variants[0].id);
    const cancelled = await place(plain.id, { customerName: 'Otieno Cancelled' });
    await t.http
      .post(`/api/orders/${cancelled.id}/cancel`)
      .set('Cookie', s.cookie)
      .send({ reason: '@ changed mind' })
      .expect(200);
  });
  afterAll(() => t.close());

  it('downloads every order, newest first, with its lines, amounts and Nairobi times; formulas neutralised', async () => {
    const res = await exportCsv().expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="orders-\d{4}-\d{2}-\d{2}\.csv"$/);
    const body = res.body as Buffer;
    // A byte-order mark first, so Excel reads UTF-8.
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = rowsOf(body);
    const listed = (await t.http.get('/api/orders?limit=100').set('Cookie', s.cookie).expect(200)).body.data;
    expect(rows.map((r) => r.referenceCode)).toEqual(listed.map((o: { referenceCode: string }) => o.referenceCode));
    expect(Object.keys(rows[0])).toEqual([
      'referenceCode',
      'placedAt',
      'status',
      'customerName',
      'customerPhone',
      'deliveryMethod',
      'deliveryAddress',
      'paymentMethod',
      'items',
      'itemCount',
      'totalKes',
      'amountPaidKes',
      'amountDueKes',
      'mpesaReceipt',
      'paidAt',
      'cancelReason',
      'orderId',
    ]);
    const byName = (name: string) => rows.find((r) => r.customerName === name)!;
    const first = byName('Wanjikũ "Shiru" Kamau, jr');
    const order = listed.find((o: { id: string }) => o.id === first.orderId);
    expect(first).toMatchObject({
      status: 'PENDING',
      customerPhone: order.customerPhone,
      paymentMethod: 'CASH_ON_DELIVERY',
      items: '2 × Kikoi @ 1200',
      itemCount: '2',
      totalKes: '2400',
      amountPaidKes: '0',
      amountDueKes: '2400',
      cancelReason: '',
    });
    // Nairobi's clock: the same instant as the API's createdAt, written with +03:00.
    expect(first.placedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);
    expect(Math.abs(Date.parse(first.placedAt) - Date.parse(order.createdAt))).toBeLessThan(1000);
    expect(byName(`'=HYPERLINK("http://evil.example","Pay here")`)).toBeTruthy();
    expect(rows.find((r) => r.items.startsWith('2 × Sandals (Size 40) @ 950'))).toMatchObject({ totalKes: '1900' });
    expect(byName('Otieno Cancelled')).toMatchObject({
      status: 'CANCELLED',
      amountDueKes: '0',
      cancelReason: "'@ changed mind",
    });
  });

  it('takes the list filters; a bad one is a 400 in the envelope', async () => {
    const cancelled = rowsOf((await exportCsv('?status=CANCELLED').expect(200)).body);
    expect(cancelled.map((r) => r.customerName)).toEqual(['Otieno Cancelled']);
    const found = rowsOf((await exportCsv('?q=Shiru').expect(200)).body);
    expect(found).toHaveLength(1);
    const due = rowsOf((await exportCsv('?awaitingPayment=true').expect(200)).body);
    expect(due.map((r) => r.status)).toEqual(['PENDING', 'PENDING', 'PENDING']);
    const none = await exportCsv('?from=2099-01-01').expect(200);
    expect(rowsOf(none.body)).toEqual([]);
    const bad = await t.http.get('/api/orders/export?status=LOST').set('Cookie', s.cookie).expect(400);
    expect(bad.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
    expect(bad.headers['content-type']).toMatch(/^application\/json/);
    await t.http.get('/api/orders/export?page=2').set('Cookie', s.cookie).expect(400);
  });

  it("reads plain from/to dates as whole days on Nairobi's clock, the list and the export alike", async () => {
    const p = await createProduct(t.http, s, { name: 'Month end', priceKes: 100, stock: 10 });
    const late = await place(p.id, { customerName: 'Night Owl June' }); // 30 June, 23:30 in Nairobi
    const early = await place(p.id, { customerName: 'Night Owl July' }); // 1 July, 00:30 in Nairobi
    await sql(t.app, "update orders set created_at = '2025-06-30T20:30:00Z' where id = ?", [late.id]);
    await sql(t.app, "update orders set created_at = '2025-06-30T21:30:00Z' where id = ?", [early.id]);
    const names = async (range: string) => {
      const listed = (await t.http.get(`/api/orders?q=Night&${range}`).set('Cookie', s.cookie).expect(200)).body.data;
      const exported = rowsOf((await exportCsv(`?q=Night&${range}`).expect(200)).body);
      expect(exported.map((r) => r.orderId)).toEqual(listed.map((o: { id: string }) => o.id));
      return exported.map((r) => r.customerName);
    };
    expect(await names('from=2025-06-01&to=2025-06-30')).toEqual(['Night Owl June']);
    expect(await names('from=2025-07-01&to=2025-07-31')).toEqual(['Night Owl July']);
    expect(await names('from=2025-06-30&to=2025-07-01')).toEqual(['Night Owl July', 'Night Owl June']);
    // A date-time is an instant, inclusive: what UTC says, to the second.
    expect(await names('to=2025-06-30T20:30:00Z')).toEqual(['Night Owl June']);
    expect(await names('from=2025-06-30T21:00:00Z')).toEqual(['Night Owl July']);
  });

  it('crosses batches without losing or repeating an order placed in the same microsecond as another', async () => {
    // Seven orders, five sharing one instant: every batch boundary falls inside a tie.
    const p = await createProduct(t.http, s, { name: 'Tie', priceKes: 100, stock: 100 });
    const tied: string[] = [];
    for (let i = 0; i < 7; i++) tied.push((await place(p.id, { customerName: `Tied ${i}` })).id);
    await sql(t.app, `update orders set created_at = '2026-01-01 10:00:00.123456+00' where id = any(?::text[])`, [
      `{${tied.slice(0, 5).join(',')}}`,
    ]);
    await sql(t.app, `update orders set created_at = '2026-01-01 10:00:00.123999+00' where id = any(?::text[])`, [
      `{${tied.slice(5).join(',')}}`,
    ]);
    const exporter = t.app.get(OrderExport);
    exporter.batchSize = 2;
    try {
      const rows = rowsOf((await exportCsv('?q=Tied').expect(200)).body);
      const listed = (await t.http.get('/api/orders?q=Tied&limit=100').set('Cookie', s.cookie).expect(200)).body.data;
      expect(rows.map((r) => r.orderId)).toEqual(listed.map((o: { id: string }) => o.id));
      expect(new Set(rows.map((r) => r.orderId))).toEqual(new Set(tied));
      const all = rowsOf((await exportCsv().expect(200)).body);
      expect(all).toHaveLength(placed.length);
    } finally {
      exporter.batchSize = 500;
    }
  });

  it('is readable by everyone who may read orders, and shows another shop nothing of this one', async () => {
    const viewer = await addMember(t.http, s, 'VIEWER');
    expect(rowsOf((await exportCsv('', ['Cookie', viewer.cookie]).expect(200)).body)).toHaveLength(placed.length);
    const key = await t.http.post('/api/api-keys').set('Cookie', s.cookie).send({ name: 'books', access: 'read' });
    const viaKey = await exportCsv('', ['Authorization', `Bearer ${key.body.key}`]).expect(200);
    expect(rowsOf(viaKey.body)).toHaveLength(placed.length);
    const other = await registerSeller(t.http);
    expect(rowsOf((await exportCsv('', ['Cookie', other.cookie]).expect(200)).body)).toEqual([]);
    await t.http.get('/api/orders/export').expect(401);
    // Every customer's name and phone leave in one file: the owner's audit log says who took it, with which filters.
    await exportCsv('?status=PENDING&q=Tied', ['Cookie', viewer.cookie]).expect(200);
    const audit = await t.http.get('/api/audit-log?limit=100').set('Cookie', s.cookie).expect(200);
    const exports = audit.body.items.filter((e: { action: string }) => e.action === 'orders.exported');
    expect(exports[0]).toMatchObject({
      actor: { type: 'user', email: viewer.email },
      changes: { status: 'PENDING', q: 'Tied' },
    });
    expect(exports.some((e: { actor: { type: string } }) => e.actor.type === 'key')).toBe(true);
    // Not another shop's log.
    const theirs = await t.http.get('/api/audit-log?limit=100').set('Cookie', other.cookie).expect(200);
    expect(theirs.body.items.filter((e: { action: string }) => e.action === 'orders.exported')).toHaveLength(1);
  });

  it('downloads the customers too: stats, tags, Nairobi times, notes left out; audited; another shop sees none', async () => {
    const listed = (await t.http.get('/api/customers?limit=100').set('Cookie', s.cookie).expect(200)).body.data;
    const shiru = listed.find((c: { name: string }) => c.name.includes('Shiru'));
    await t.http
      .patch(`/api/customers/${shiru.id}`)
      .set('Cookie', s.cookie)
      .send({ tags: ['wholesale', 'nairobi'], notes: 'owes us KES 200 - private' })
      .expect(200);
    const res = await downloadCsv(t.http, '/api/customers/export', ['Cookie', s.cookie]);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"$/);
    const body = res.body as Buffer;
    expect(body.toString('utf8')).not.toContain('private');
    const rows = rowsOf(body);
    expect(rows.map((r) => r.customerId)).toEqual(listed.map((c: { id: string }) => c.id));
    expect(rows.find((r) => r.customerId === shiru.id)).toMatchObject({
      name: shiru.name,
      phone: shiru.phone,
      tags: 'wholesale; nairobi',
      orderCount: '1',
      customerSince: expect.stringMatching(/\+03:00$/),
    });
    expect(rows.some((r) => r.name.startsWith("'=HYPERLINK"))).toBe(true);
    const audit = await t.http.get('/api/audit-log?limit=100').set('Cookie', s.cookie).expect(200);
    expect(audit.body.items.some((e: { action: string }) => e.action === 'customers.exported')).toBe(true);
    const other = await registerSeller(t.http);
    const theirs = await t.http.get('/api/customers/export').set('Cookie', other.cookie).expect(200);
    expect(theirs.text.replace(/^\uFEFF/, '').trim()).toBe(
      'name,phone,email,tags,orderCount,paidOrderCount,spentKes,firstOrderedAt,lastOrderedAt,customerSince,customerId',
    );
    await t.http.get('/api/customers/export?page=2').set('Cookie', s.cookie).expect(400);
  });

  it('answers in the error envelope when the database cannot give the first rows, not with a broken file', async () => {
    const exportsLogged = async () =>
      (await t.http.get('/api/audit-log?limit=100').set('Cookie', s.cookie).expect(200)).body.items.filter(
        (e: { action: string }) => e.action === 'customers.exported',
      ).length;
    const logged = await exportsLogged();
    const blocker = new pg.Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table customers in access exclusive mode');
      const res = await t.http.get('/api/customers/export').set('Cookie', s.cookie).expect(503);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({ success: false, code: 'TIMEOUT', statusCode: 503 });
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
    // Nothing left, so nothing is logged as taken.
    expect(await exportsLogged()).toBe(logged);
  });
});
