import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { flag } from './bench-support.js';
import type { PgbenchResult } from './lib/pgbench.js';
import type { Summary } from './lib/rounds.js';
import type { OrderFigures as OrdersResults } from './orders.bench.js';

/**
 * `npm run bench`: every figure as CPU time per request (the app process, PostgreSQL's processes where the database
 * is involved) beside a baseline outside our code measured in the same run, throughput second, the load generator's
 * share of a core printed. Each part runs on a fresh database in processes of its own; `bench/results.json` keeps it.
 * `npm run bench -- --scale`: how cost grows (orders at 1, 50 and 500 shops; claims at 10k, 1M and 10M pending;
 * analytics at 100k, 1M and 5M orders), written to `bench/results-scale.json`; `--scale --only analytics` (or
 * orders, claim) measures that part again and keeps the others' rows from the file.
 */
const ORDERS = flag('orders', 1_000_000);

function part<T>(name: string, script: string, args: string[]): T {
  console.log(`\n=== ${name} ${args.join(' ')} ===`);
  const run = spawnSync(process.execPath, [`dist/bench/${script}`, ...args], { stdio: 'inherit', timeout: 3_600_000 });
  if (run.status !== 0) throw new Error(`${name} failed (exit ${run.status})`);
  return JSON.parse(readFileSync(`bench/results-${name}.json`, 'utf8')) as T;
}

interface RoutesResults {
  figures: Record<string, Summary>;
  statement: { pgCpuUs: number; tps: number };
}
interface WebhookResults {
  baseline: { deliveriesPerSec: number; cpuUsPerPost: number };
  engine: {
    deliveriesPerSec: number;
    ratio: number;
    cpuUsPerDelivery: number;
    cpuRatio: number;
    pgCpuUsPerDelivery: number;
  };
  halfLoad: { commitToReceiptMs: { p99: number } };
}
interface ClaimResults {
  runs: { pending: number; meanMs: number; p95Ms: number }[];
}
interface TracingResults {
  bestCpuUsPerRequest: Record<string, number>;
}
interface AnalyticsResults {
  endpoints: Record<string, { 'p95 ms': number }>;
}

interface Line {
  figure: string;
  'SokoHub CPU µs/req (PG)': string;
  'baseline CPU µs/req': string;
  ratio: number | string;
  throughput: string;
  load: string;
  goal: string;
  met: boolean;
}

/**
 * The issue's absolute goals (app CPU µs per request) were set against its own measurement, where bare NestJS answered
 * a 300-byte object for 24–30 µs. This machine's speed moves ~2.5× between hours (21–52 µs for the same object), so a
 * goal in µs is held at this run's speed: scaled by the run's own bare-object figure over the issue's 27 µs.
 */
const ISSUE_BARE_SMALL_US = 27;

const r2 = (n: number) => Math.round(n * 100) / 100;
const load = (s: Summary) => `${Math.round(s.loadShare * 100)} %${s.loadBound ? ' LOAD-BOUND' : ''}`;
const cpu = (s: Summary) => `${s.appCpuUs}${s.pgCpuUs !== undefined ? ` (+${s.pgCpuUs} PG)` : ''}`;

/**
 * A reported row: the spread orders' PostgreSQL CPU against a baseline's (`spread`), or the one-product orders a second
 * against its rate (`one`).
 */
function reported(
  orders: OrdersResults,
  kind: 'spread' | 'one',
  against: string,
  base: PgbenchResult,
  note = '',
): Line {
  const spread = kind === 'spread';
  const s = spread ? orders.spread : orders.oneProduct;
  return {
    figure: `POST /api/orders, ${spread ? '50 x 20: PostgreSQL' : 'one product: orders/s'} vs ${against}`,
    'SokoHub CPU µs/req (PG)': cpu(s),
    'baseline CPU µs/req': `PG ${base.pgCpuUs}${note}`,
    ratio: r2(spread ? s.pgCpuUs! / base.pgCpuUs : s.reqPerSec / base.tps),
    throughput: `${s.reqPerSec} orders/s vs ${base.tps} tx/s`,
    load: load(s),
    goal: '(reported)',
    met: true,
  };
}

/**
 * The order figures beside pgbench with as many clients as the app's pool has connections (the goal rows above are met
 * only against the better of the two: `orders.best`), and beside the same rows written by hand
 * (bench/baselines/pg-order-same-rows.ts): ours against the rows' own cost.
 */
function otherOrderBaselines(orders: OrdersResults): Line[] {
  const { pool, sameRows } = orders;
  const atPool = `pgbench with ${pool} clients (the app's pool)`;
  const byHand = 'the same rows written by hand (pgbench)';
  const floor = ` (pgbench order tx: ${orders.best.pgSpreadCpuUs})`;
  return [
    reported(orders, 'spread', atPool, orders.pgSpreadAtPool),
    reported(orders, 'one', atPool, orders.pgOneAtPool),
    reported(orders, 'spread', byHand, sameRows.spread),
    reported(
      orders,
      'spread',
      `the same rows in one statement (pgbench, ${pool} clients)`,
      sameRows.oneStatement,
      floor,
    ),
    reported(orders, 'one', byHand, sameRows.one),
  ];
}

function standard(): void {
  const routes = part<RoutesResults>('routes', 'routes.bench.js', ['--rounds', '3', '--seconds', '8']);
  const orders = part<OrdersResults>('orders', 'orders.bench.js', ['--rounds', '3', '--seconds', '8']);
  const webhooks = part<WebhookResults>('webhooks', 'webhooks.bench.js', ['--imports', '2', '--endpoints', '8']);
  const claim = part<ClaimResults>('claim', 'claim.bench.js', ['--sizes', '10000,1000000']);
  const tracing = part<TracingResults>('tracing', 'tracing.bench.js', ['--rounds', '2', '--seconds', '8']);
  const analytics = part<AnalyticsResults>('analytics', 'analytics.bench.js', [
    '--orders',
    String(ORDERS),
    '--runs',
    '40',
  ]);

  const f = routes.figures;
  const atThisSpeed = (us: number) => Math.round((us * f.bareSmall.appCpuUs) / ISSUE_BARE_SMALL_US);
  const listGoal = atThisSpeed(250);
  const orderGoal = atThisSpeed(500);
  const lines: Line[] = [
    {
      figure: 'GET /api/webhooks/events (no DB) vs bare NestJS, same bytes',
      'SokoHub CPU µs/req (PG)': cpu(f.events),
      'baseline CPU µs/req': `${f.bareEvents.appCpuUs} (300-byte object: ${f.bareSmall.appCpuUs})`,
      ratio: r2(f.events.appCpuUs / f.bareEvents.appCpuUs),
      throughput: `${f.events.reqPerSec} vs ${f.bareEvents.reqPerSec} req/s`,
      load: `${load(f.events)} / ${load(f.bareEvents)}`,
      goal: '<= 2',
      met: f.events.appCpuUs <= 2 * f.bareEvents.appCpuUs,
    },
    {
      figure: 'GET /api/products (20 with variants, cookie) vs bare NestJS, same bytes',
      'SokoHub CPU µs/req (PG)': cpu(f.list),
      'baseline CPU µs/req': String(f.bareList.appCpuUs),
      ratio: r2(f.list.appCpuUs / f.bareList.appCpuUs),
      throughput: `${f.list.reqPerSec} vs ${f.bareList.reqPerSec} req/s`,
      load: `${load(f.list)} / ${load(f.bareList)}`,
      goal: `app <= 250 µs at the issue's speed: ${listGoal} µs at this run's`,
      met: f.list.appCpuUs <= listGoal,
    },
    {
      figure: 'GET /api/products: PostgreSQL vs one hand-written statement (pgbench)',
      'SokoHub CPU µs/req (PG)': `PG ${f.list.pgCpuUs}`,
      'baseline CPU µs/req': `PG ${routes.statement.pgCpuUs}`,
      ratio: r2(f.list.pgCpuUs! / routes.statement.pgCpuUs),
      throughput: `${routes.statement.tps} statements/s`,
      load: '-',
      goal: '<= 2',
      met: f.list.pgCpuUs! <= 2 * routes.statement.pgCpuUs,
    },
    {
      figure: 'GET /api/storefront/:slug/products (public)',
      'SokoHub CPU µs/req (PG)': cpu(f.storefront),
      'baseline CPU µs/req': String(f.bareList.appCpuUs),
      ratio: r2(f.storefront.appCpuUs / f.bareList.appCpuUs),
      throughput: `${f.storefront.reqPerSec} req/s`,
      load: load(f.storefront),
      goal: '(reported)',
      met: true,
    },
    {
      figure: 'POST /api/orders, 50 shops x 20 products: app CPU per order',
      'SokoHub CPU µs/req (PG)': cpu(orders.spread),
      'baseline CPU µs/req': `pgbench order tx: PG ${orders.pgSpread.pgCpuUs}`,
      ratio: r2(orders.spread.pgCpuUs! / orders.pgSpread.pgCpuUs),
      throughput: `${orders.spread.reqPerSec} orders/s vs ${orders.pgSpread.tps} tx/s`,
      load: load(orders.spread),
      goal: `app <= 500 µs at the issue's speed (${orderGoal} µs at this run's); PG ratio <= 2 (also vs the pool-sized pgbench)`,
      met: orders.spread.appCpuUs <= orderGoal && orders.spread.pgCpuUs! <= 2 * orders.best.pgSpreadCpuUs,
    },
    {
      figure: 'POST /api/orders, one shop, one product (lock-bound): orders/s vs pgbench',
      'SokoHub CPU µs/req (PG)': cpu(orders.oneProduct),
      'baseline CPU µs/req': `PG ${orders.pgOne.pgCpuUs}`,
      ratio: r2(orders.oneProduct.reqPerSec / orders.pgOne.tps),
      throughput: `${orders.oneProduct.reqPerSec} orders/s vs ${orders.pgOne.tps} tx/s`,
      load: load(orders.oneProduct),
      goal: '>= 0.6 (also against the pool-sized pgbench below)',
      met: orders.oneProduct.reqPerSec >= 0.6 * orders.best.pgOneTps,
    },
    ...otherOrderBaselines(orders),
    {
      figure: 'engine: bulk import to 8 endpoints, drained, vs undici keep-alive loop',
      'SokoHub CPU µs/req (PG)': `${webhooks.engine.cpuUsPerDelivery} (+${webhooks.engine.pgCpuUsPerDelivery} PG)`,
      'baseline CPU µs/req': String(webhooks.baseline.cpuUsPerPost),
      ratio: webhooks.engine.ratio,
      throughput: `${webhooks.engine.deliveriesPerSec} vs ${webhooks.baseline.deliveriesPerSec} deliveries/s`,
      load: '-',
      goal: '>= 0.2; CPU <= 3x',
      met: webhooks.engine.ratio >= 0.2 && webhooks.engine.cpuRatio <= 3,
    },
    {
      figure: 'engine commit -> receipt p99 at half the drain rate (ms)',
      'SokoHub CPU µs/req (PG)': '-',
      'baseline CPU µs/req': '-',
      ratio: webhooks.halfLoad.commitToReceiptMs.p99,
      throughput: '-',
      load: '-',
      goal: '< 250',
      met: webhooks.halfLoad.commitToReceiptMs.p99 < 250,
    },
  ];
  const [small, large] = claim.runs;
  lines.push({
    figure: `claim of 100 due deliveries, ${large.pending.toLocaleString('en')} vs ${small.pending.toLocaleString('en')} pending (mean ms)`,
    'SokoHub CPU µs/req (PG)': String(large.meanMs),
    'baseline CPU µs/req': String(small.meanMs),
    ratio: r2(large.meanMs / small.meanMs),
    throughput: '-',
    load: '-',
    goal: '<= 1.5',
    met: large.meanMs <= 1.5 * small.meanMs,
  });
  const t = tracing.bestCpuUsPerRequest;
  lines.push({
    figure: 'GET /api/webhooks/events, npm start with tracing off vs no preload',
    'SokoHub CPU µs/req (PG)': String(t['preload, tracing off (npm start)']),
    'baseline CPU µs/req': String(t['no preload']),
    ratio: r2(t['preload, tracing off (npm start)'] / t['no preload']),
    throughput: '-',
    load: '-',
    goal: '<= 1.1',
    met: t['preload, tracing off (npm start)'] <= 1.1 * t['no preload'],
  });
  for (const [path, goal] of [
    ['/api/analytics/overview', 150],
    ['/api/analytics/top-products', 150],
    ['/api/analytics/customers', 100],
  ] as const) {
    const p95 = analytics.endpoints[path]['p95 ms'];
    lines.push({
      figure: `${path} p95 on ${ORDERS.toLocaleString('en')} orders (ms)`,
      'SokoHub CPU µs/req (PG)': '-',
      'baseline CPU µs/req': '-',
      ratio: p95,
      throughput: '-',
      load: '-',
      goal: `< ${goal}`,
      met: p95 < goal,
    });
  }
  console.log('\n=== CPU per request against baselines outside our code (same run) ===');
  console.table(lines);
  const machine = { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  const results = {
    machine,
    measuredAt: new Date().toISOString(),
    lines,
    routes,
    orders,
    webhooks,
    claim,
    tracing,
    analytics,
  };
  writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
  console.log('written bench/results.json');
}

interface ScaleResults {
  measuredAt: string | Record<string, string>;
  orders: unknown[];
  claim: unknown[];
  analytics: { orders: number; p95Ms: Record<string, number> }[];
}

/** How cost grows: each size on a fresh database. */
function scale(): void {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : '';
  const kept = only ? (JSON.parse(readFileSync('bench/results-scale.json', 'utf8')) as ScaleResults) : undefined;
  const measure = (name: keyof ScaleResults) => !kept || only === name;
  const orders = !measure('orders')
    ? kept!.orders
    : [1, 50, 500].map((shops) => {
        const r = part<OrdersResults>('orders', 'orders.bench.js', [
          '--rounds',
          '1',
          '--seconds',
          '8',
          '--shops',
          String(shops),
          '--products',
          '20',
        ]);
        return { shops, appCpuUs: r.spread.appCpuUs, pgCpuUs: r.spread.pgCpuUs, ordersPerSec: r.spread.reqPerSec };
      });
  const claim = !measure('claim')
    ? kept!.claim
    : part<ClaimResults>('claim', 'claim.bench.js', ['--sizes', '10000,1000000,10000000']).runs;
  const analytics = !measure('analytics')
    ? kept!.analytics
    : [100_000, 1_000_000, 5_000_000].map((n) => {
        const r = part<AnalyticsResults>('analytics', 'analytics.bench.js', ['--orders', String(n), '--runs', '20']);
        return { orders: n, p95Ms: Object.fromEntries(Object.entries(r.endpoints).map(([k, v]) => [k, v['p95 ms']])) };
      });
  console.table(orders);
  console.table(claim);
  console.table(analytics.map((a) => ({ orders: a.orders, ...a.p95Ms })));
  const machine = { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  writeFileSync(
    'bench/results-scale.json',
    JSON.stringify({ machine, measuredAt: measuredAt(kept, only), orders, claim, analytics }, null, 2) + '\n',
  );
  console.log('written bench/results-scale.json');
}

/** When each part was measured: one time for a whole run; a part measured again gets its own. */
function measuredAt(kept: ScaleResults | undefined, only: string): string | Record<string, string> {
  const now = new Date().toISOString();
  if (!kept) return now;
  const before =
    typeof kept.measuredAt === 'string'
      ? { orders: kept.measuredAt, claim: kept.measuredAt, analytics: kept.measuredAt }
      : kept.measuredAt;
  return { ...before, [only]: now };
}

if (process.argv.includes('--scale')) scale();
else standard();
