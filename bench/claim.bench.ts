import { ALL_ENTITIES } from '../src/app.entities.js';
import { MikroORM } from '@mikro-orm/postgresql';
import { mikroOrmOptions } from '../src/database/mikro-orm.options.js';
import { DeliveryStore } from '../src/webhooks/delivery/delivery.store.js';
import { flag, freshDatabase, percentile, runBench, writeResults } from './bench-support.js';

/**
 * `npm run bench:claim -- --sizes 10000,1000000`: time per claimed batch (100 deliveries, SKIP LOCKED) with each
 * number of pending deliveries in the queue, and the largest against the smallest (goal ≤ 1.5: the claim must not
 * slow down as the backlog grows).
 */
const SIZES = (process.argv.includes('--sizes') ? process.argv[process.argv.indexOf('--sizes') + 1] : '10000,1000000')
  .split(',')
  .map(Number);
// Each claim takes 100 rows out of the due set: 50 + 5 warm-up claims fit in the smaller queue.
const CLAIMS = flag('claims', 50);

async function timeClaims(
  orm: MikroORM,
  pending: number,
): Promise<{ pending: number; p50Ms: number; p95Ms: number; meanMs: number }> {
  const em = orm.em.fork();
  await em.execute('truncate webhook_attempts, webhook_deliveries, webhook_events cascade');
  await em.execute(
    "insert into sellers (id, store_name, store_slug, phone) values ('sel_bench', 'Bench', 'bench-claim', '+254712345678') on conflict do nothing",
  );
  await em.execute(
    "insert into webhook_events (id, seller_id, name, data, occurred_at) values ('evt_bench', 'sel_bench', 'ORDER_CREATED', '{}', now())",
  );
  await em.execute(
    `insert into webhook_deliveries (id, event_id, seller_id, subscriber_kind, subscription_id, event_name, url, body, max_attempts, next_attempt_at, created_at)
     select 'dlv_bench' || lpad(i::text, 20, '0'), 'evt_bench', 'sel_bench', 'seller', 'wh_bench' || (i % 100), 'ORDER_CREATED',
            'http://127.0.0.1:9/hook', '{}', 3, now() - interval '1 hour' + (i::double precision / ?::int) * interval '1 hour', now()
     from generate_series(1, ?::int) i`,
    [pending, pending],
  );
  await em.execute('vacuum analyze webhook_deliveries');
  const store = new DeliveryStore();
  const times: number[] = [];
  for (let i = 0; i < CLAIMS + 5; i++) {
    const t0 = performance.now();
    const batch = await store.claim(orm.em.fork(), 100, 60_000, []);
    if (i >= 5) times.push(performance.now() - t0);
    if (batch.length !== 100) throw new Error(`claim returned ${batch.length} rows`);
  }
  times.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    pending,
    p50Ms: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    meanMs: round(times.reduce((a, b) => a + b, 0) / times.length),
  };
}

async function main(): Promise<void> {
  const db = await freshDatabase();
  try {
    const orm = await MikroORM.init(mikroOrmOptions(db.url, 2, 0, ALL_ENTITIES));
    try {
      await orm.migrator.up();
      const runs = [];
      for (const size of SIZES) runs.push(await timeClaims(orm, size));
      const ratio = Math.round((runs[runs.length - 1].meanMs / runs[0].meanMs) * 100) / 100;
      console.table(runs);
      console.log(`ratio (mean per batch, largest / smallest): ${ratio} (goal ≤ 1.5)`);
      writeResults('claim', { claimsPerRun: CLAIMS, batchSize: 100, runs, ratio, goal: 'ratio <= 1.5' });
    } finally {
      await orm.close(true);
    }
  } finally {
    await db.stop();
  }
}

runBench(main);
