import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { DomainEvent } from '../src/events/domain-event.js';
import {
  appUrl,
  bootBenchApp,
  flag,
  freshDatabase,
  percentile,
  receiver,
  runBench,
  startAppProcess,
  writeResults,
} from './bench-support.js';
import { postgresCpu, postmasterPid, processCpu } from './lib/proc-cpu.js';
import { registerShop } from './lib/shop.js';

/**
 * `npm run bench:webhooks -- --imports 2 --endpoints 8`: the delivery engine against an undici keep-alive loop.
 * A shop with 8 endpoints imports products in bulk (1,000 rows a request: 1,000 PRODUCT_CREATED events, 8,000
 * deliveries); the engine runs in an app process of its own (started before the import, idle until then) and
 * drains them to a loopback receiver. Figures: deliveries a second from the first receipt to the last, the engine
 * process's CPU and PostgreSQL's per delivery over the drain, beside the loop (bench/baselines/undici-post.ts, own
 * process, same receiver, same concurrency) and its CPU per POST. Then commit -> receipt latency at half that rate.
 */
const IMPORTS = flag('imports', 2);
const ENDPOINTS = flag('endpoints', 8);
const CONCURRENCY = flag('concurrency', 64);
const ROWS = 1000;
const PERF = process.env.PERF === '1';
// V8_PROFILE=1: the engine writes a V8 CPU profile to .data/profiles/ when it stops (dist/bench/lib/profile-summary.js).
const V8_PROFILE = process.env.V8_PROFILE === '1';
const BATCH = 100;

interface Baseline {
  perSec: number;
  cpuUsPerPost: number;
}

function undiciLoop(url: string, secret: string, count: number): Promise<Baseline> {
  // Spawned without blocking: the receiver answering it lives in this process.
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      'dist/bench/baselines/undici-post.js',
      url,
      secret,
      String(count),
      String(CONCURRENCY),
    ]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.pipe(process.stderr);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Baseline)
        : reject(new Error(`undici baseline exited with ${code}`)),
    );
  });
}

async function until(check: () => boolean, what: string, ms = 600_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
  const db = await freshDatabase();
  const postmaster = await postmasterPid(db.url);
  // A receipt per (event, endpoint): each endpoint gets every event.
  const receipts = new Map<string, number>();
  const rx = await receiver((req, at) => {
    const id = req.headers['x-sokohub-event-id'];
    const key = `${String(id)}${req.url}`;
    if (typeof id === 'string' && !receipts.has(key)) receipts.set(key, at);
  });
  const key = Buffer.alloc(32, 7).toString('base64');
  // The API (no engine) runs here; the engine in its own process, measured.
  const app = await bootBenchApp(db.url, {
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_WORKER_ENABLED: 'false',
    SECRETS_KEY: key,
  });
  let engine: Awaited<ReturnType<typeof startAppProcess>> | undefined;
  try {
    const base = appUrl(app);
    const shop = await registerShop(base, 0);
    let secret = '';
    for (let i = 0; i < ENDPOINTS; i++) {
      const res = await fetch(`${base}/api/webhooks`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: shop.cookie },
        body: JSON.stringify({ url: `${rx.url}/hook/${i}`, events: ['PRODUCT_CREATED', 'ORDER_CREATED'] }),
      });
      if (res.status !== 201) throw new Error(`endpoint ${res.status}: ${await res.text()}`);
      secret = ((await res.json()) as { secret: string }).secret;
    }
    const deliveries = IMPORTS * ROWS * ENDPOINTS;

    const baseline = await undiciLoop(`${rx.url}/ceiling`, secret, deliveries);
    console.log(`undici keep-alive signed POST loop: ${baseline.perSec}/s, ${baseline.cpuUsPerPost} µs CPU per POST`);
    receipts.clear();

    engine = await startAppProcess(
      db.url,
      {
        // Loopback receivers are refused in production; the engine's code path is the same in development.
        NODE_ENV: 'development',
        SECRETS_KEY: key,
        WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
        WEBHOOK_CONCURRENCY: String(CONCURRENCY),
        WEBHOOK_PER_ENDPOINT_CONCURRENCY: '8',
        WEBHOOK_BATCH_SIZE: '100',
        // Another instance's commits are found by polling (this instance's own are nudged at once).
        WEBHOOK_WORKER_INTERVAL_MS: '50',
      },
      PERF
        ? ['--perf-basic-prof-only-functions']
        : V8_PROFILE
          ? ['--cpu-prof', `--cpu-prof-dir=${join(process.cwd(), '.data', 'profiles')}`]
          : [],
    );
    const pid = engine.child.pid!;
    await new Promise((r) => setTimeout(r, 1000)); // its start-up is not counted
    // PERF=1: Linux perf samples of the engine's process over the drain, to .data/perf.data.
    const perf = PERF
      ? spawn('perf', ['record', '-F', '999', '-g', '-o', '.data/perf.data', '-p', String(pid)], { stdio: 'ignore' })
      : undefined;
    const cpu0 = processCpu(pid);
    const pg0 = postgresCpu(postmaster);
    for (let i = 0; i < IMPORTS; i++) {
      const rows = Array.from({ length: ROWS }, (_, j) => ({ name: `Kikoi ${i}-${j}`, priceKes: 1500, stock: 10 }));
      const res = await fetch(`${base}/api/products/bulk`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: shop.cookie },
        body: JSON.stringify(rows),
      });
      if (res.status !== 200) throw new Error(`bulk import ${res.status}: ${await res.text()}`);
    }
    await until(() => receipts.size >= deliveries, `${deliveries} deliveries`);
    const engineCpu = processCpu(pid) - cpu0;
    perf?.kill('SIGINT');
    const pgCpu = postgresCpu(postmaster) - pg0;
    const at = [...receipts.values()];
    const perSec = (deliveries - 1) / ((Math.max(...at) - Math.min(...at)) / 1000);
    const engineCpuUs = Math.round((engineCpu / deliveries) * 1e6);
    const pgCpuUs = Math.round((pgCpu / deliveries) * 1e6);
    console.log(
      `engine: ${Math.round(perSec)} deliveries/s, ${engineCpuUs} µs engine CPU + ${pgCpuUs} µs PostgreSQL per delivery`,
    );
    receipts.clear();

    const half = await halfLoad(
      app,
      shop.sellerId,
      Math.max(500, Math.floor(deliveries / ENDPOINTS / 4)),
      receipts,
      perSec / ENDPOINTS / 2,
    );
    console.log(`half load: commit -> receipt p50 ${half.p50} ms, p99 ${half.p99} ms`);

    const results = {
      imports: IMPORTS,
      endpoints: ENDPOINTS,
      deliveries,
      concurrency: CONCURRENCY,
      baseline: { deliveriesPerSec: baseline.perSec, cpuUsPerPost: baseline.cpuUsPerPost },
      engine: {
        deliveriesPerSec: Math.round(perSec),
        ratio: Math.round((perSec / baseline.perSec) * 100) / 100,
        cpuUsPerDelivery: engineCpuUs,
        cpuRatio: Math.round((engineCpuUs / baseline.cpuUsPerPost) * 100) / 100,
        pgCpuUsPerDelivery: pgCpuUs,
      },
      halfLoad: { commitToReceiptMs: half },
      goals: { ratio: '>= 0.2', cpuRatio: '<= 3', halfLoadP99Ms: '< 250' },
    };
    console.table({ baseline: results.baseline, engine: results.engine });
    writeResults('webhooks', results);
  } finally {
    await engine?.stop();
    await app.close();
    rx.server.closeAllConnections();
    rx.server.close();
    await db.stop();
  }
}

/** Publishes ORDER_CREATED events live (100 a transaction) at `eventsPerSec`; commit -> receipt of each delivery. */
async function halfLoad(
  app: Awaited<ReturnType<typeof bootBenchApp>>,
  sellerId: string,
  count: number,
  receipts: Map<string, number>,
  eventsPerSec: number,
): Promise<{ p50: number; p99: number; lost: number }> {
  const uow = app.get(UnitOfWork);
  const commits = new Map<string, number>();
  const started = performance.now();
  for (let i = 0; i < count; i += BATCH) {
    const events = Array.from(
      { length: Math.min(BATCH, count - i) },
      (_, j) => new DomainEvent('ORDER_CREATED', sellerId, sample(i + j)),
    );
    const wait = started + (i / eventsPerSec) * 1000 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await uow.run(async (tx) => {
      for (const event of events) await tx.publish(event);
    });
    const at = performance.now();
    for (const event of events) commits.set(event.id, at);
  }
  await until(() => receipts.size >= commits.size * ENDPOINTS, 'half-load deliveries', 300_000).catch(() => undefined);
  const latencies = [...receipts].map(([k, at]) => at - (commits.get(k.split('/')[0]) ?? at)).sort((a, b) => a - b);
  return {
    p50: Math.round(percentile(latencies, 50) * 10) / 10,
    p99: Math.round(percentile(latencies, 99) * 10) / 10,
    lost: commits.size * ENDPOINTS - receipts.size,
  };
}

function sample(n: number) {
  return {
    orderId: `ord_${n}`,
    referenceCode: `SKH-2025-${String(n % 100000).padStart(5, '0')}`,
    status: 'PENDING',
    totalKes: 4500,
    customerName: 'Amina Wanjiku',
    customerPhone: '+254712345678',
    itemCount: 3,
  };
}

runBench(main);
