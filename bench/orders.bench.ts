import { pgOrderSameRows } from './baselines/pg-order-same-rows.js';
import { pgOrderBaseline } from './baselines/pg-order-tx.js';
import { analyze, flag, freshDatabase, runBench, startAppProcess, writeResults } from './bench-support.js';
import { measure } from './lib/measure.js';
import type { PgbenchResult } from './lib/pgbench.js';
import { postmasterPid } from './lib/proc-cpu.js';
import { alternate, ratio, type Summary } from './lib/rounds.js';
import { buyerAddress, createProduct, orderBody, registerShop } from './lib/shop.js';

/**
 * `npm run bench:orders`: what placing an order costs. The app (`dist/src/main.js`) in its own process, the load
 * (autocannon, 32 connections, bodies drawn from a pre-made list) in another; app CPU and PostgreSQL CPU per order
 * beside pgbench running an order-shaped transaction on the same server (bench/baselines/pg-order-tx.ts), for the
 * spread case (`--shops` x `--products`, 1,000 buyers) and the lock-bound one (one shop, one product).
 */
const SECONDS = flag('seconds', 8);
const ROUNDS = flag('rounds', 3);
const SHOPS = flag('shops', 50);
const PRODUCTS = flag('products', 20);
const BUYERS = 1000;
const CLIENTS = 32;

/** What `bench/results-orders.json` holds (beside seconds and rounds); `npm run bench` reads it. */
export interface OrderFigures {
  shops: number;
  products: number;
  spread: Summary;
  oneProduct: Summary;
  pgSpread: PgbenchResult;
  pgOne: PgbenchResult;
  /** The same transactions with as many pgbench clients as the app's pool has connections (`pool`). */
  pool: number;
  pgSpreadAtPool: PgbenchResult;
  pgOneAtPool: PgbenchResult;
  /** pgbench at the better of its two client counts: what the goals are held to. */
  best: { pgSpreadCpuUs: number; pgOneTps: number };
  /**
   * The rows an order writes, in the app's own tables, written by hand (bench/baselines/pg-order-same-rows.ts), at the
   * better of the two client counts: not a goal, the split of the app's PostgreSQL cost into the rows' and ours.
   */
  sameRows: { spread: PgbenchResult; one: PgbenchResult; oneStatement: PgbenchResult };
  goals: Record<string, { value: number; goal: string; met: boolean }>;
}

/** The app's own pool size, as its /metrics says (DB_POOL_MAX, or the default for this machine's cores). */
async function appPoolSize(base: string): Promise<number> {
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const size = /^db_pool_max_connections (\d+)$/m.exec(metrics)?.[1];
  if (!size) throw new Error('the app did not give its pool size on /metrics');
  return Number(size);
}

async function measureOrders(shops: number, products: number, seconds: number, rounds: number): Promise<OrderFigures> {
  const db = await freshDatabase();
  const postmaster = await postmasterPid(db.url);
  const app = await startAppProcess(db.url);
  try {
    const base = app.url;
    const hotShop = await registerShop(base, 0);
    const hot = await createProduct(base, hotShop, { name: 'Bench Tote', stock: 10_000_000 });
    const spread: { storeSlug: string; products: string[] }[] = [];
    for (let s = 1; s <= shops; s++) {
      const shop = await registerShop(base, s);
      const ids = [];
      for (let p = 0; p < products; p++)
        ids.push(await createProduct(base, shop, { name: `Item ${p}`, stock: 10_000_000 }));
      spread.push({ storeSlug: shop.storeSlug, products: ids });
    }
    const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
    const spreadBodies = Array.from({ length: 20_000 }, (_, i) => {
      const shop = pick(spread);
      return orderBody(shop.storeSlug, pick(shop.products), i % BUYERS);
    });
    const oneBodies = Array.from({ length: BUYERS }, (_, i) => orderBody(hotShop.storeSlug, hot, i));
    // The load's request shapes must work before they are timed.
    for (const body of [spreadBodies[0], oneBodies[0]]) {
      const res = await fetch(`${base}/api/orders`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
      if (res.status !== 201) throw new Error(`a bench order was refused: ${res.status} ${await res.text()}`);
    }
    const target = { pid: app.child.pid!, postmaster };
    const orders = (bodies: string[]) => ({
      url: `${base}/api/orders`,
      method: 'POST' as const,
      bodies,
      // Body i is buyer i % BUYERS's (both lists are made so): each buyer orders from an address of their own.
      addresses: bodies.map((_, i) => buyerAddress(i % BUYERS)),
      connections: CLIENTS,
      seconds,
    });
    await measure('warm-up', target, { ...orders(spreadBodies), seconds: 3 });
    await analyze(db.url);
    const figures = await alternate(rounds, [
      [
        'spread',
        () => measure(`POST /api/orders, ${shops} shops x ${products} products`, target, orders(spreadBodies)),
      ],
      ['oneProduct', () => measure('POST /api/orders, one shop, one product', target, orders(oneBodies))],
    ]);
    const pgSpread = await pgOrderBaseline(db.url, postmaster, { shops, products, clients: CLIENTS, seconds });
    const pgOne = await pgOrderBaseline(db.url, postmaster, { shops: 1, products: 1, clients: CLIENTS, seconds });
    console.log(
      `pgbench order transaction, ${shops} x ${products}: ${pgSpread.tps} tps, ${pgSpread.pgCpuUs} µs PostgreSQL CPU each`,
    );
    console.log(`pgbench order transaction, 1 x 1: ${pgOne.tps} tps, ${pgOne.pgCpuUs} µs PostgreSQL CPU each`);
    // The app funnels its 32 buyers into its pool's connections; pgbench's clients go straight to the server. Its
    // figures with as few clients as the app has connections too: the goals are held to the better of the two.
    const pool = await appPoolSize(base);
    const pgSpreadAtPool = await pgOrderBaseline(db.url, postmaster, { shops, products, clients: pool, seconds });
    const pgOneAtPool = await pgOrderBaseline(db.url, postmaster, { shops: 1, products: 1, clients: pool, seconds });
    for (const [shape, r] of [
      [`${shops} x ${products}`, pgSpreadAtPool],
      ['1 x 1', pgOneAtPool],
    ] as const)
      console.log(
        `pgbench order transaction, ${shape}, ${pool} clients: ${r.tps} tps, ${r.pgCpuUs} µs PostgreSQL CPU each`,
      );
    const sameRows = await sameRowsFigures(db.url, postmaster, { shops, products, seconds, pool });
    const goal = (value: number, text: string, met: boolean) => ({ value, goal: text, met });
    // A goal is met against pgbench at its better client count of the two: fewer clients than the load's 32 helps
    // pgbench on hot rows as much as the app's pool helps the app.
    const best = {
      pgSpreadCpuUs: Math.min(pgSpread.pgCpuUs, pgSpreadAtPool.pgCpuUs),
      pgOneTps: Math.max(pgOne.tps, pgOneAtPool.tps),
    };
    return {
      shops,
      products,
      spread: figures.spread,
      oneProduct: figures.oneProduct,
      pgSpread,
      pgOne,
      pool,
      pgSpreadAtPool,
      pgOneAtPool,
      best,
      sameRows,
      goals: {
        "spread: app CPU µs per order (npm run bench holds it at the run's speed)": goal(
          figures.spread.appCpuUs,
          '<= 500',
          figures.spread.appCpuUs <= 500,
        ),
        'spread: PostgreSQL CPU per order / pgbench order tx (the cheaper of 32 and pool clients)': goal(
          ratio(figures.spread.pgCpuUs!, best.pgSpreadCpuUs),
          '<= 2',
          figures.spread.pgCpuUs! <= 2 * best.pgSpreadCpuUs,
        ),
        'one product: orders/s / pgbench same pattern (the faster of 32 and pool clients)': goal(
          ratio(figures.oneProduct.reqPerSec, best.pgOneTps),
          '>= 0.6',
          figures.oneProduct.reqPerSec >= 0.6 * best.pgOneTps,
        ),
      },
    };
  } finally {
    await app.stop();
    await db.stop();
  }
}

/** The same-rows baseline, spread and one product, each at the better of the load's and the pool's client counts. */
async function sameRowsFigures(
  url: string,
  postmaster: number,
  o: { shops: number; products: number; seconds: number; pool: number },
): Promise<OrderFigures['sameRows']> {
  const clientCounts = [CLIENTS, o.pool];
  const run = async (shops: number, products: number) => {
    const results: PgbenchResult[] = [];
    for (const clients of clientCounts)
      results.push(
        await pgOrderSameRows(url, postmaster, { shops, products, buyers: BUYERS, clients, seconds: o.seconds }),
      );
    for (const [i, r] of results.entries())
      console.log(
        `pgbench, the same rows by hand, ${shops} x ${products}, ${clientCounts[i]} clients: ${r.tps} tps, ` +
          `${r.pgCpuUs} µs PostgreSQL CPU each`,
      );
    return results;
  };
  const spread = await run(o.shops, o.products);
  const one = await run(1, 1);
  // The spread rows once more as one statement, at the pool's client count: the floor of the rows themselves.
  const oneStatement = await pgOrderSameRows(url, postmaster, {
    shops: o.shops,
    products: o.products,
    buyers: BUYERS,
    clients: o.pool,
    seconds: o.seconds,
    oneStatement: true,
  });
  console.log(
    `pgbench, the same rows by hand in one statement, ${o.shops} x ${o.products}: ${oneStatement.tps} tps, ` +
      `${oneStatement.pgCpuUs} µs PostgreSQL CPU each`,
  );
  return {
    oneStatement,
    spread: spread.reduce((a, b) => (b.pgCpuUs < a.pgCpuUs ? b : a)),
    one: one.reduce((a, b) => (b.tps > a.tps ? b : a)),
  };
}

async function main(): Promise<void> {
  const result = await measureOrders(SHOPS, PRODUCTS, SECONDS, ROUNDS);
  console.table(result.goals);
  const { spread, oneProduct, sameRows } = result;
  console.log(
    `against the same rows written by hand: spread ${ratio(spread.pgCpuUs!, sameRows.spread.pgCpuUs)}× ` +
      `PostgreSQL CPU per order, one product ${ratio(oneProduct.reqPerSec, sameRows.one.tps)}× the orders a second`,
  );
  writeResults('orders', { seconds: SECONDS, rounds: ROUNDS, ...result });
}

runBench(main);
