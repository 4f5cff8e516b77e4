import { spawn } from 'node:child_process';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { DomainEvent } from '../src/events/domain-event.js';
import {
  startAppProcess,
  appUrl,
  bootBenchApp,
  flag,
  freshDatabase,
  percentile,
  receiver,
  registerBenchSeller,
  runBench,
  writeResults,
} from './bench-support.js';

/**
 * `npm run bench:webhooks -- --events 20000`: in one run, the baseline (an undici keep-alive signed-POST loop in its
 * own process, to the same local receiver, at the engine's concurrency) and the engine delivering N events end to end
 * (commit -> receipt), at full and half load.
 */
const EVENTS = flag('events', 20_000);
const CONCURRENCY = flag('concurrency', 64);
const BATCH = 100;
/** `--profile 1`: the engine's process writes a V8 CPU profile to .data/profiles/. */
const PROFILE = flag('profile', 0);

async function main(): Promise<void> {
  const db = await freshDatabase();
  const receipts = new Map<string, number>();
  const rx = await receiver((req, at) => {
    const id = req.headers['x-sokohub-event-id'];
    if (typeof id === 'string' && !receipts.has(id)) receipts.set(id, at);
  });
  // Two instances on one database, as in production: this one (no worker) publishes the events; the engine runs in
  // an app process of its own, like the baseline, and finds them by its claim loop.
  const key = Buffer.alloc(32, 7).toString('base64');
  const app = await bootBenchApp(db.url, {
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_WORKER_ENABLED: 'false',
    SECRETS_KEY: key,
  });
  const startWorker = () =>
    startAppProcess(db.url, {
      // Loopback receivers are refused in production; the engine's code path is the same in development.
      NODE_ENV: 'development',
      SECRETS_KEY: key,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_CONCURRENCY: String(CONCURRENCY),
      WEBHOOK_PER_ENDPOINT_CONCURRENCY: '8',
      WEBHOOK_BATCH_SIZE: '100',
      // Another instance's commits are found by polling (this instance's own are nudged at once).
      WEBHOOK_WORKER_INTERVAL_MS: '50',
      ...(PROFILE ? { NODE_OPTIONS: '--cpu-prof --cpu-prof-dir=.data/profiles' } : {}),
    });
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  try {
    const base = appUrl(app);
    const { sellerId, cookie } = await registerBenchSeller(base);
    const wh = await fetch(`${base}/api/webhooks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: JSON.stringify({ url: `${rx.url}/hook`, events: ['ORDER_CREATED'] }),
    });
    const { secret } = (await wh.json()) as { secret: string };

    // 1. Baseline, outside our code and in its own process: an undici keep-alive loop POSTing signed JSON to the
    //    same receiver at the engine's concurrency.
    // Spawned without blocking: the receiver answering it lives in this process.
    const ceilingPerSec = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [
        'dist/bench/baselines/undici-post.js',
        `${rx.url}/ceiling`,
        secret,
        String(EVENTS),
        String(CONCURRENCY),
      ]);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.pipe(process.stderr);
      child.on('exit', (code) =>
        code === 0
          ? resolve((JSON.parse(out.trim().split('\n').pop()!) as { perSec: number }).perSec)
          : reject(new Error(`undici baseline exited with ${code}`)),
      );
    });
    receipts.clear();

    // 2. Engine throughput: N events already committed, then the engine's process starts and drains them; the rate
    //    runs from the first receipt to the last (the process's start-up and the publishing are not counted).
    await publish(app, sellerId, EVENTS);
    worker = await startWorker();
    const drained = await drain(receipts, EVENTS);
    const full = { perSec: (EVENTS - 1) / drained };
    receipts.clear();
    // 3. Engine, half load: publish live at half the throughput just measured; commit -> receipt per event.
    const half = await runEngine(app, sellerId, Math.max(1000, Math.floor(EVENTS / 4)), receipts, full.perSec / 2);

    const results = {
      events: EVENTS,
      concurrency: CONCURRENCY,
      ceiling: { deliveriesPerSec: round(ceilingPerSec) },
      engineFullLoad: {
        deliveriesPerSec: round(full.perSec),
        ratioToCeiling: round(full.perSec / ceilingPerSec, 3),
        note: 'drain of N committed events by the engine process from its start',
      },
      engineHalfLoad: {
        offeredPerSec: round(full.perSec / 2),
        deliveriesPerSec: round(half.perSec),
        commitToReceiptMs: half.latency,
      },
      goals: { ratio: '>= 0.15', halfLoadP99Ms: '< 250' },
    };
    console.table({
      'undici keep-alive signed POST, own process (baseline)': {
        'deliveries/s': round(ceilingPerSec),
        ratio: 1,
        'p50 ms': '',
        'p99 ms': '',
      },
      'engine, full load': {
        'deliveries/s': round(full.perSec),
        ratio: round(full.perSec / ceilingPerSec, 3),
        'p50 ms': '',
        'p99 ms': '',
      },
      'engine, half load': {
        'deliveries/s': round(half.perSec),
        ratio: round(half.perSec / ceilingPerSec, 3),
        'p50 ms': half.latency.p50,
        'p99 ms': half.latency.p99,
      },
    });
    writeResults('webhooks', results);
  } finally {
    await worker?.stop();
    await app.close();
    rx.server.closeAllConnections();
    rx.server.close();
    await db.stop();
  }
}

/** Commits `count` events (100 per transaction) through the publishing instance. */
async function publish(app: Awaited<ReturnType<typeof bootBenchApp>>, sellerId: string, count: number): Promise<void> {
  const uow = app.get(UnitOfWork);
  for (let i = 0; i < count; i += BATCH) {
    const events = Array.from(
      { length: Math.min(BATCH, count - i) },
      (_, j) => new DomainEvent('ORDER_CREATED', sellerId, sample(i + j)),
    );
    await uow.run(async (tx) => {
      for (const event of events) await tx.publish(event);
    });
  }
}

/** Seconds from the first to the last of `count` distinct events received. */
async function drain(receipts: Map<string, number>, count: number): Promise<number> {
  const deadline = Date.now() + 600_000;
  while (receipts.size < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (receipts.size < count) throw new Error(`only ${receipts.size} of ${count} events arrived`);
  const at = [...receipts.values()];
  return (Math.max(...at) - Math.min(...at)) / 1000;
}

async function runEngine(
  app: Awaited<ReturnType<typeof bootBenchApp>>,
  sellerId: string,
  count: number,
  receipts: Map<string, number>,
  ratePerSec: number,
) {
  const uow = app.get(UnitOfWork);
  const commits = new Map<string, number>();
  const started = performance.now();
  for (let i = 0; i < count; i += BATCH) {
    const events = Array.from(
      { length: Math.min(BATCH, count - i) },
      (_, j) => new DomainEvent('ORDER_CREATED', sellerId, sample(i + j)),
    );
    if (ratePerSec > 0) {
      const due = started + (i / ratePerSec) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await uow.run(async (tx) => {
      for (const event of events) await tx.publish(event);
    });
    const at = performance.now();
    for (const event of events) commits.set(event.id, at);
  }
  const deadline = Date.now() + 600_000;
  while ([...commits.keys()].some((id) => !receipts.has(id)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  const lastReceipt = Math.max(...[...commits.keys()].map((id) => receipts.get(id) ?? Infinity));
  const latencies = [...commits].map(([id, at]) => (receipts.get(id) ?? Infinity) - at).sort((a, b) => a - b);
  return {
    perSec: count / ((lastReceipt - started) / 1000),
    latency: {
      p50: round(percentile(latencies, 50), 1),
      p99: round(percentile(latencies, 99), 1),
      lost: latencies.filter((l) => l === Infinity).length,
    },
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

function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

runBench(main);
