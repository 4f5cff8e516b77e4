import { pgOrderBaseline, type PgBaseline } from './baselines/pg-order-tx.js';
import { flag, freshDatabase, runBench, startAppProcess, startServer, writeResults } from './bench-support.js';
import { load, type LoadResult } from './load.js';

/**
 * `npm run bench:orders -- --seconds 10`: the request path and order placement against baselines outside our code,
 * measured in the same run: a bare NestJS app in its own process (one controller, same response bytes) for the
 * routes, and pgbench running an order-shaped transaction on the same PostgreSQL for orders. The app runs as in
 * production (`dist/src/main.js`, LOG_LEVEL=info) in its own process; the load comes from this one.
 */
const SECONDS = flag('seconds', 10);
const SHOPS = flag('shops', 50);
const PRODUCTS = flag('products', 20);
const BUYERS = flag('buyers', 1000);
/** `--profile 1`: the app writes a V8 CPU profile to .data/profiles/ (open it in Chrome DevTools). */
const PROFILE = flag('profile', 0);
/** `--spread-only 1`: only the spread orders row (for profiling it). */
const SPREAD_ONLY = flag('spread-only', 0);

interface Row extends LoadResult {
  baseline: string;
  baselinePerSec: number;
  ratio: number;
  goal: number;
}

const json = { 'Content-Type': 'application/json' };

async function register(base: string, i: number): Promise<{ storeSlug: string; cookie: string }> {
  const res = await fetch(`${base}/api/auth/register`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      email: `bench-${i}-${Date.now()}@example.co.ke`,
      password: 'bench-password',
      storeName: `Bench Duka ${i}`,
      phone: '0712345678',
    }),
  });
  if (!res.ok) throw new Error(`register ${res.status}: ${await res.text()}`);
  const { seller } = (await res.json()) as { seller: { storeSlug: string } };
  return { storeSlug: seller.storeSlug, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
}

async function product(base: string, cookie: string, name: string, stock: number): Promise<string> {
  const res = await fetch(`${base}/api/products`, {
    method: 'POST',
    headers: { ...json, Cookie: cookie },
    body: JSON.stringify({ name, priceKes: 1500, stock }),
  });
  if (!res.ok) throw new Error(`product ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

function orderBody(storeSlug: string, productId: string, buyer: number): string {
  return JSON.stringify({
    storeSlug,
    customerName: 'Amina Wanjiku',
    customerPhone: `07${String(10_000_000 + buyer).slice(-8)}`,
    deliveryMethod: 'PICKUP',
    paymentMethod: 'CASH_ON_DELIVERY',
    items: [{ productId, quantity: 2 }],
  });
}

function row(r: LoadResult, baseline: string, baselinePerSec: number, goal: number): Row {
  return { ...r, baseline, baselinePerSec, ratio: Math.round((r.reqPerSec / baselinePerSec) * 1000) / 1000, goal };
}

async function main(): Promise<void> {
  const db = await freshDatabase();
  const bare = await startServer('dist/bench/baselines/bare-nest.js', {}, '/events');
  const app = await startAppProcess(
    db.url,
    PROFILE ? { NODE_OPTIONS: '--cpu-prof --cpu-prof-dir=.data/profiles' } : {},
  );
  try {
    const base = app.url;
    const shop = await register(base, 0);
    const hot = await product(base, shop.cookie, 'Bench Tote', 10_000_000);
    for (let i = 0; i < 20; i++) await product(base, shop.cookie, `Listed ${i}`, 50);
    const spread: { storeSlug: string; products: string[] }[] = [];
    for (let s = 1; s <= SHOPS; s++) {
      const other = await register(base, s);
      const products = [];
      for (let p = 0; p < PRODUCTS; p++) products.push(await product(base, other.cookie, `Item ${p}`, 10_000_000));
      spread.push({ storeSlug: other.storeSlug, products });
    }

    if (SPREAD_ONLY) {
      let k = 0;
      const r = await load('spread orders', {
        url: `${base}/api/orders`,
        method: 'POST',
        seconds: SECONDS,
        connections: 32,
        nextBody: () =>
          orderBody(
            spread[k % spread.length].storeSlug,
            spread[k % spread.length].products[k++ % PRODUCTS],
            k % BUYERS,
          ),
      });
      console.log(r);
      return;
    }
    const c50 = { seconds: SECONDS, connections: 50 };
    await load('warm-up bare', { url: `${bare.url}/events`, seconds: 2, connections: 50 });
    await load('warm-up app', { url: `${base}/api/webhooks/events`, seconds: 2, connections: 50 });
    const bareNest = await load('bare NestJS app, own process (GET /events, same bytes)', {
      url: `${bare.url}/events`,
      ...c50,
    });
    const events = await load('GET /api/webhooks/events (full stack, no DB), c=50', {
      url: `${base}/api/webhooks/events`,
      ...c50,
    });
    const products = await load('GET /api/products (20 rows with variants, cookie), c=50', {
      url: `${base}/api/products?limit=20`,
      headers: { Cookie: shop.cookie },
      ...c50,
    });
    const storefront = await load('GET /api/storefront/:slug/products (public), c=50', {
      url: `${base}/api/storefront/${shop.storeSlug}/products?limit=20`,
      ...c50,
    });

    // The load's request shapes must work before they are timed: one of each, checked.
    for (const body of [orderBody(shop.storeSlug, hot, 0), orderBody(spread[0].storeSlug, spread[0].products[0], 1)]) {
      const res = await fetch(`${base}/api/orders`, { method: 'POST', headers: json, body });
      if (res.status !== 201) throw new Error(`a bench order was refused: ${res.status} ${await res.text()}`);
    }
    const c32 = { url: `${base}/api/orders`, method: 'POST' as const, seconds: SECONDS, connections: 32 };
    let n = 0;
    const oneProduct = await load('POST /api/orders, one shop, one product, c=32', {
      ...c32,
      nextBody: () => orderBody(shop.storeSlug, hot, n++ % BUYERS),
    });
    const spreadOrders = await load(`POST /api/orders, ${SHOPS} shops x ${PRODUCTS} products, ${BUYERS} buyers, c=32`, {
      ...c32,
      nextBody: () => {
        const s = spread[Math.floor(Math.random() * spread.length)];
        return orderBody(
          s.storeSlug,
          s.products[Math.floor(Math.random() * s.products.length)],
          Math.floor(Math.random() * BUYERS),
        );
      },
    });

    const pgOne: PgBaseline = await pgOrderBaseline(db.url, { shops: 1, products: 1, clients: 32, seconds: SECONDS });
    const pgSpread: PgBaseline = await pgOrderBaseline(db.url, {
      shops: SHOPS,
      products: PRODUCTS,
      clients: 32,
      seconds: SECONDS,
    });

    const rows: Row[] = [
      row(bareNest, 'itself', bareNest.reqPerSec, 1),
      row(events, 'bare NestJS', bareNest.reqPerSec, 0.3),
      row(products, 'bare NestJS', bareNest.reqPerSec, 0.1),
      row(storefront, 'bare NestJS', bareNest.reqPerSec, 0),
      // The old own-stack ratio, kept as a reported row: what a DB read costs on top of our own no-DB route.
      row(
        { ...products, name: 'GET /api/products vs our own no-DB route (reported)' },
        'GET /api/webhooks/events',
        events.reqPerSec,
        0,
      ),
      row(oneProduct, `${pgOne.tool}, 1 shop x 1 product`, pgOne.tps, 0.06),
      row(spreadOrders, `${pgSpread.tool}, ${SHOPS} x ${PRODUCTS}`, pgSpread.tps, 0.15),
    ];
    console.table(
      Object.fromEntries(
        rows.map((r) => [
          r.name,
          {
            'req/s': r.reqPerSec,
            'p99 ms': r.p99Ms,
            baseline: `${r.baseline} ${r.baselinePerSec}/s`,
            ratio: r.ratio,
            goal: r.goal ? `>= ${r.goal}` : '-',
            non2xx: r.non2xx + r.errors,
          },
        ]),
      ),
    );
    writeResults('orders', { seconds: SECONDS, rows, pgbench: { oneProduct: pgOne, spread: pgSpread } });
  } finally {
    await app.stop();
    await bare.stop();
    await db.stop();
  }
}

runBench(main);
