import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { flag } from './bench-support.js';

/**
 * `npm run bench`: every figure we promise, measured the same way in one run (each part on a fresh database, loopback
 * only, every loop bounded), then one table of goals and `bench/results.json`.
 */
const ORDERS = flag('orders', 1_000_000);
const EVENTS = flag('events', 20_000);

/** The parts of each result file this summary reads. */
interface HttpResults {
  rows: { name: string; ratio: number }[];
}
interface WebhookResults {
  engineFullLoad: { ratioToCeiling: number };
  engineHalfLoad: { commitToReceiptMs: { p99: number } };
}
interface ClaimResults {
  ratio: number;
}
interface AnalyticsResults {
  endpoints: Record<string, { 'p95 ms': number }>;
}

function part<T>(name: string, script: string, args: string[]): T {
  console.log(`\n=== ${name} ===`);
  const run = spawnSync(process.execPath, [`dist/bench/${script}`, ...args], { stdio: 'inherit', timeout: 1_800_000 });
  if (run.status !== 0) throw new Error(`${name} failed (exit ${run.status})`);
  return JSON.parse(readFileSync(`bench/results-${name}.json`, 'utf8')) as T;
}

function main(): void {
  const http = part<HttpResults>('orders', 'orders.bench.js', ['--seconds', '10', '--connections', '32']);
  const webhooks = part<WebhookResults>('webhooks', 'webhooks.bench.js', ['--events', String(EVENTS)]);
  const claim = part<ClaimResults>('claim', 'claim.bench.js', []);
  const analytics = part<AnalyticsResults>('analytics', 'analytics.bench.js', [
    '--orders',
    String(ORDERS),
    '--runs',
    '40',
    '--only',
    'overview',
  ]);

  const byName = (name: string) => http.rows.find((r) => r.name.startsWith(name))!;
  const products = byName('GET /api/products');
  const overview = analytics.endpoints['/api/analytics/overview'];
  const goals = [
    {
      figure: 'products list vs bare route (req/s ratio)',
      value: products.ratio,
      goal: '>= 0.40',
      met: products.ratio >= 0.4,
    },
    {
      figure: 'storefront list vs bare route',
      value: byName('GET /api/storefront').ratio,
      goal: '(reported)',
      met: true,
    },
    {
      figure: 'POST /api/orders vs bare route',
      value: byName('POST /api/orders').ratio,
      goal: '(reported)',
      met: true,
    },
    {
      figure: 'engine vs bare signed POST (deliveries/s ratio)',
      value: webhooks.engineFullLoad.ratioToCeiling,
      goal: '>= 0.25',
      met: webhooks.engineFullLoad.ratioToCeiling >= 0.25,
    },
    {
      figure: 'commit->receipt p99 at half load (ms)',
      value: webhooks.engineHalfLoad.commitToReceiptMs.p99,
      goal: '< 250',
      met: webhooks.engineHalfLoad.commitToReceiptMs.p99 < 250,
    },
    { figure: 'claim time, 1M vs 10k pending (ratio)', value: claim.ratio, goal: '<= 1.5', met: claim.ratio <= 1.5 },
    {
      figure: 'analytics overview p95 on 1M orders (ms)',
      value: overview['p95 ms'],
      goal: '< 150',
      met: overview['p95 ms'] < 150,
    },
  ];
  console.log('\n=== goals ===');
  console.table(goals);
  const results = {
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    measuredAt: new Date().toISOString(),
    goals,
    http,
    webhooks,
    claim,
    analytics,
  };
  writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
  console.log('written bench/results.json');
}

main();
