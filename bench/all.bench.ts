import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { flag } from './bench-support.js';

/**
 * `npm run bench`: every figure against a baseline outside our code, measured in the same run (each part on a fresh
 * database, loopback only, every loop bounded), then one table and `bench/results.json`.
 */
const ORDERS = flag('orders', 1_000_000);
const EVENTS = flag('events', 20_000);

/** The parts of each result file this summary reads. */
interface HttpRow {
  name: string;
  reqPerSec: number;
  p99Ms: number;
  baseline: string;
  baselinePerSec: number;
  ratio: number;
  goal: number;
}
interface HttpResults {
  rows: HttpRow[];
}
interface WebhookResults {
  ceiling: { deliveriesPerSec: number };
  engineFullLoad: { deliveriesPerSec: number; ratioToCeiling: number };
  engineHalfLoad: { commitToReceiptMs: { p99: number } };
}
interface ClaimResults {
  ratio: number;
}
interface TracingResults {
  bestCpuUsPerRequest: Record<string, number>;
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

interface Line {
  figure: string;
  sokohub: string;
  baseline: string;
  ratio: number | string;
  goal: string;
  met: boolean;
}

function main(): void {
  const http = part<HttpResults>('orders', 'orders.bench.js', ['--seconds', '10']);
  const webhooks = part<WebhookResults>('webhooks', 'webhooks.bench.js', ['--events', String(EVENTS)]);
  const claim = part<ClaimResults>('claim', 'claim.bench.js', []);
  const tracing = part<TracingResults>('tracing', 'tracing.bench.js', ['--rounds', '2', '--seconds', '8']);
  const analytics = part<AnalyticsResults>('analytics', 'analytics.bench.js', [
    '--orders',
    String(ORDERS),
    '--runs',
    '40',
  ]);

  const lines: Line[] = http.rows
    .filter((r) => r.baseline !== 'itself')
    .map((r) => ({
      figure: r.name,
      sokohub: `${r.reqPerSec}/s, p99 ${r.p99Ms} ms`,
      baseline: `${r.baseline} ${r.baselinePerSec}/s`,
      ratio: r.ratio,
      goal: r.goal ? `>= ${r.goal}` : '(reported)',
      met: !r.goal || r.ratio >= r.goal,
    }));
  const engineRatio = webhooks.engineFullLoad.ratioToCeiling;
  const halfP99 = webhooks.engineHalfLoad.commitToReceiptMs.p99;
  lines.push(
    {
      figure: 'engine, 20,000 deliveries to one receiver (own process)',
      sokohub: `${webhooks.engineFullLoad.deliveriesPerSec}/s`,
      baseline: `undici keep-alive signed POST ${webhooks.ceiling.deliveriesPerSec}/s`,
      ratio: engineRatio,
      goal: '>= 0.15',
      met: engineRatio >= 0.15,
    },
    {
      figure: 'engine commit -> receipt p99 at half the measured maximum (ms)',
      sokohub: String(halfP99),
      baseline: '-',
      ratio: '-',
      goal: '< 250',
      met: halfP99 < 250,
    },
    {
      figure: 'claim time, 1M vs 10k pending (ratio)',
      sokohub: String(claim.ratio),
      baseline: '10k pending',
      ratio: claim.ratio,
      goal: '<= 1.5',
      met: claim.ratio <= 1.5,
    },
  );
  // Tracing off must cost nothing: the preload with no OTEL_* set against the app started without it (CPU per request).
  const cpu = tracing.bestCpuUsPerRequest;
  const off = cpu['preload, tracing off (npm start)'];
  const bare = cpu['no preload'];
  lines.push({
    figure: 'GET /api/webhooks/events, tracing off (npm start), app CPU per request (µs)',
    sokohub: String(off),
    baseline: `no preload ${bare} µs (tracing on: ${cpu['tracing on, every request sampled']} µs)`,
    ratio: Number((off / bare).toFixed(2)),
    goal: '<= 1.1',
    met: off / bare <= 1.1,
  });
  for (const [path, goal] of [
    ['/api/analytics/overview', 150],
    ['/api/analytics/top-products', 150],
    ['/api/analytics/customers', 150],
  ] as const) {
    const p95 = analytics.endpoints[path]['p95 ms'];
    lines.push({
      figure: `${path} p95 on ${ORDERS.toLocaleString('en')} orders (ms)`,
      sokohub: String(p95),
      baseline: '-',
      ratio: '-',
      goal: `< ${goal}`,
      met: p95 < goal,
    });
  }
  console.log('\n=== figures against their baselines (same run) ===');
  console.table(lines);
  const results = {
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    measuredAt: new Date().toISOString(),
    lines,
    http,
    webhooks,
    claim,
    tracing,
    analytics,
  };
  writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
  console.log('written bench/results.json');
}

main();
