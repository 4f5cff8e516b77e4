import {
  appUrl,
  bootBenchApp,
  flag,
  freshDatabase,
  registerBenchSeller,
  runBench,
  writeResults,
} from './bench-support.js';
import { load, type LoadResult } from './load.js';

/**
 * `npm run bench:orders -- --seconds 10 --connections 32`: beside a bare route through the same Nest pipeline, in the
 * same run: the seller's product list (20 rows, authenticated), the public storefront list, and orders placed per
 * second end to end (validation, prices, atomic stock, customer, reference sequence, roll-up, outbox).
 */
const SECONDS = flag('seconds', 10);
const CONNECTIONS = flag('connections', 32);

async function main(): Promise<void> {
  const db = await freshDatabase();
  const app = await bootBenchApp(db.url);
  try {
    const base = appUrl(app);
    const { storeSlug, cookie } = await registerBenchSeller(base);
    const product = (await (
      await fetch(`${base}/api/products`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie },
        body: JSON.stringify({ name: 'Bench Tote', priceKes: 1500, stock: 10_000_000 }),
      })
    ).json()) as { id: string };
    for (let i = 0; i < 20; i++) {
      await fetch(`${base}/api/products`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: cookie },
        body: JSON.stringify({ name: `Listed ${i}`, priceKes: 100 + i, stock: 50 }),
      });
    }
    const order = JSON.stringify({
      storeSlug,
      customerName: 'Amina Wanjiku',
      customerPhone: '0712345678',
      deliveryMethod: 'PICKUP',
      paymentMethod: 'CASH_ON_DELIVERY',
      items: [{ productId: product.id, quantity: 1 }],
    });

    // Warm-up, then the baseline and the orders, back to back on the same app.
    await load('warm-up', { url: `${base}/api/webhooks/events`, seconds: 2, connections: CONNECTIONS });
    const bare = await load('bare route (GET /api/webhooks/events, no DB)', {
      url: `${base}/api/webhooks/events`,
      seconds: SECONDS,
      connections: CONNECTIONS,
    });
    const products = await load('GET /api/products (20 rows, authenticated)', {
      url: `${base}/api/products?limit=20`,
      headers: { Cookie: cookie },
      seconds: SECONDS,
      connections: CONNECTIONS,
    });
    const storefront = await load('GET /api/storefront/:slug/products (public)', {
      url: `${base}/api/storefront/${storeSlug}/products?limit=20`,
      seconds: SECONDS,
      connections: CONNECTIONS,
    });
    const orders = await load('POST /api/orders (public, end to end)', {
      url: `${base}/api/orders`,
      method: 'POST',
      body: order,
      seconds: SECONDS,
      connections: CONNECTIONS,
    });
    const rows: (LoadResult & { ratio: number })[] = [bare, products, storefront, orders].map((r) => ({
      ...r,
      ratio: Math.round((r.reqPerSec / bare.reqPerSec) * 1000) / 1000,
    }));
    console.table(
      Object.fromEntries(
        rows.map((r) => [
          r.name,
          { 'req/s': r.reqPerSec, 'p50 ms': r.p50Ms, 'p99 ms': r.p99Ms, ratio: r.ratio, non2xx: r.non2xx },
        ]),
      ),
    );
    const placed = await fetch(`${base}/api/orders?limit=1`, { headers: { Cookie: cookie } });
    const { total } = (await placed.json()) as { total: number };
    console.log(`orders in the database: ${total}`);
    writeResults('orders', { seconds: SECONDS, connections: CONNECTIONS, rows, ordersInDatabase: total });
  } finally {
    await app.close();
    await db.stop();
  }
}

runBench(main);
