import { buildShop, partnerCall, type ShopFixture } from './fixture.js';
import { authHeaders, knownIds, realIds } from './fuzz-cases.js';
import { ADMIN_TOKEN } from './fuzz.js';
import { query, request, startApp, stopApp, until } from './harness.js';
import { fillPath, fetchDocument, type OpenApiDocument, type Operation, operations, sample } from './openapi.js';
import { CountingReceiver } from './receiver.js';
import type { Figure } from './scenarios.js';
import { startDarajaStub } from './daraja-stub.js';

/**
 * Routes with an id that are not a shop's own data, so they are outside the matrix (and why). Any other route with a
 * path parameter is in it: a new route joins the matrix without anyone remembering to add it.
 */
const OUTSIDE: [RegExp, string][] = [
  [/^\/api\/admin\//, 'operator routes, not a shop'],
  [/^PUT \/api\/partner-access\//, 'companies are global: any shop may grant any company'],
  [/^\/api\/media\//, 'public image URLs by design'],
  [/^\/api\/payments\/mpesa\/callback\//, 'Daraja callback, addressed by a secret token'],
  [/^\/api\/c2b\//, 'Daraja C2B confirmations and status results, addressed by secret tokens'],
];

interface Row {
  route: string;
  status: number;
  controlStatus: number;
}

/** 6. Shop B calls every id-taking route with shop A's ids: 404 each time, and nothing of A's changes. */
export async function isolation(db: string): Promise<Figure> {
  const rx = await new CountingReceiver().start();
  const daraja = await startDarajaStub();
  const app = await startApp(db, { ADMIN_TOKEN, MPESA_BASE_URL: daraja.url });
  try {
    const doc = await fetchDocument(app.url);
    const a = await buildShop(app.url, ADMIN_TOKEN, rx.url);
    const b = await buildShop(app.url, ADMIN_TOKEN, rx.url);
    const inMatrix = operations(doc).filter(
      (op) =>
        op.pathParams.some((p) => p !== 'storeSlug') &&
        !OUTSIDE.some(([re]) => re.test(op.path) || re.test(`${op.method} ${op.path}`)),
    );
    await settle(db, a.sellerId);
    const before = await snapshot(db, a.sellerId);
    const rows: Row[] = [];
    for (const op of inMatrix)
      rows.push({ route: `${op.method} ${op.path}`, status: await call(app.url, doc, op, b, a), controlStatus: 0 });
    // Ids in bodies too: B's storefront or staff ordering A's product, B's partner company hooking A's shop.
    const bodyIds = [
      {
        route: 'POST /api/orders (B slug, A product)',
        status: (
          await request(app.url, 'POST', '/api/orders', {
            storeSlug: b.storeSlug,
            customerName: 'X',
            customerPhone: '0712345678',
            deliveryMethod: 'PICKUP',
            paymentMethod: 'CASH_ON_DELIVERY',
            items: [{ productId: a.ids.product, quantity: 1 }],
          })
        ).status,
      },
      {
        route: "POST /api/orders/manual (B's manager ordering A's product)",
        status: (
          await request(
            app.url,
            'POST',
            '/api/orders/manual',
            {
              customerName: 'X',
              customerPhone: '0712345678',
              deliveryMethod: 'PICKUP',
              paymentMethod: 'CASH_ON_DELIVERY',
              items: [{ productId: a.ids.product, quantity: 1 }],
            },
            { Cookie: b.cookie },
          )
        ).status,
      },
      {
        route: 'POST /api/v1/partner/webHooks (B partner, A shop)',
        status: (
          await partnerCall(app.url, b.partnerKey, 'POST', '/api/v1/partner/webHooks', {
            shopId: a.sellerId,
            webHookUrls: [rx.url],
          })
        ).status,
      },
      {
        route: "POST /api/products/stock-take (B counting A's product and variant)",
        status: (
          await request(
            app.url,
            'POST',
            '/api/products/stock-take',
            [
              { productId: a.ids.product, stock: 0 },
              { variantId: a.ids.variant, stock: 0 },
            ],
            { Cookie: b.cookie },
          )
        ).status,
      },
      {
        route: 'PUT /api/v1/partner/webHooks/{B hook} (moved to A shop)',
        status: (
          await partnerCall(app.url, b.partnerKey, 'PUT', `/api/v1/partner/webHooks/${b.ids.partnerHook}`, {
            shopId: a.sellerId,
            webHookUrls: [rx.url],
          })
        ).status,
      },
    ];
    await settle(db, a.sellerId);
    const after = await snapshot(db, a.sellerId);
    const changed = Object.keys(before).filter((t) => before[t] !== after[t]);
    // Control: the same requests as A's own owner reach the resource (not 404), so each 404 above was isolation.
    // Deletions last and children before parents, so they do not hide the resources the other controls need.
    const weight = (op: Operation) => (op.method === 'DELETE' ? 1000 - op.path.length : 0);
    const order = [...inMatrix.keys()].sort((x, y) => weight(inMatrix[x]) - weight(inMatrix[y]));
    for (const i of order) rows[i].controlStatus = await call(app.url, doc, inMatrix[i], a, a);
    const not404 = rows.filter((r) => r.status !== 404);
    const controlMissing = rows.filter((r) => r.controlStatus === 404 || r.controlStatus >= 500);
    const figures = {
      routes: rows.length,
      answered404: rows.length - not404.length,
      notFound404: not404.map((r) => `${r.route} -> ${r.status}`).join('; ') || 'none',
      bodyIds: bodyIds.map((r) => `${r.route} -> ${r.status}`).join('; '),
      tablesOfAChanged: changed.join(',') || 'none',
      controlFailures: controlMissing.map((r) => `${r.route} -> ${r.controlStatus}`).join('; ') || 'none',
      outside: OUTSIDE.map(([re, why]) => `${re.source}: ${why}`).join('; '),
    };
    const bodyIdsAccepted = bodyIds.filter((r) => r.status < 400 || r.status >= 500);
    const pass =
      rows.length > 0 &&
      not404.length === 0 &&
      changed.length === 0 &&
      controlMissing.length === 0 &&
      bodyIdsAccepted.length === 0;
    return { scenario: '6. isolation matrix (shop B with shop A ids)', result: pass ? 'pass' : 'FAIL', figures };
  } finally {
    await stopApp(app);
    await rx.stop();
    await daraja.close();
  }
}

/** `caller` calls `op` with `owner`'s ids and a body valid for the caller (storefront: the caller's slug). */
async function call(
  base: string,
  doc: OpenApiDocument,
  op: Operation,
  caller: ShopFixture,
  owner: ShopFixture,
): Promise<number> {
  const ids = { ...realIds(op, owner), storeSlug: caller.storeSlug };
  const known = knownIds(caller);
  let body = op.body ? sample(doc, op.body, known) : undefined;
  // A manual payment needs a receipt no other payment used and the order's own total.
  if (op.path.endsWith('/payments') && body)
    body = { ...body, mpesaReceipt: `QI${Date.now().toString(36).toUpperCase()}`, amountKes: 1200 };
  const path = fillPath(op.path, ids);
  return (await request(base, op.method, path, body, authHeaders(op, caller, ADMIN_TOKEN))).status;
}

/** Waits until the engine has nothing left to do for the shop, so its bookkeeping does not count as a change. */
async function settle(db: string, sellerId: string): Promise<void> {
  await until(
    async () => {
      const [{ n }] = await query<{ n: string }>(
        db,
        "select count(*) as n from webhook_deliveries where status = 'PENDING' and (seller_id = $1 or subscription_id in (select id from partner_webhooks where shop_id = $1))",
        [sellerId],
      );
      return n === '0';
    },
    60_000,
    'deliveries to settle',
  );
}

/** One digest per table of every row that belongs to the shop. */
async function snapshot(db: string, sellerId: string): Promise<Record<string, string>> {
  const tables = await query<{ table_name: string }>(
    db,
    "select table_name from information_schema.columns where table_schema = 'public' and column_name = 'seller_id' order by 1",
  );
  const scoped: [string, string][] = [
    ...tables.map((t): [string, string] => [t.table_name, `select * from ${t.table_name} where seller_id = $1`]),
    ['sellers', 'select * from sellers where id = $1'],
    ['partner_webhooks', 'select * from partner_webhooks where shop_id = $1'],
    ['order_timeline', 'select * from order_timeline where order_id in (select id from orders where seller_id = $1)'],
    [
      'webhook_attempts',
      'select * from webhook_attempts where delivery_id in (select id from webhook_deliveries where seller_id = $1)',
    ],
    [
      'payment_queries',
      'select * from payment_queries where payment_id in (select id from payments where seller_id = $1)',
    ],
  ];
  const out: Record<string, string> = {};
  for (const [name, sql] of scoped) {
    const [{ digest }] = await query<{ digest: string | null }>(
      db,
      `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from (${sql}) t`,
      [sellerId],
    );
    out[name] = digest ?? '';
  }
  return out;
}
