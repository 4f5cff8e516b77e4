import { ALL_ENTITIES } from '../src/app.entities.js';
import { MikroORM } from '@mikro-orm/postgresql';
import { mikroOrmOptions } from '../src/database/mikro-orm.options.js';
import { DEMO_EMAIL, DEMO_PASSWORD, seedDemo } from '../scripts/lib/demo-shop.js';
import { appUrl, bootBenchApp, flag, freshDatabase, percentile, runBench, writeResults } from './bench-support.js';

/** `npm run bench:analytics -- --orders 1000000 --runs 40`: p50/p95 of each analytics endpoint on a demo shop. */
const ORDERS = flag('orders', 1_000_000);
const RUNS = flag('runs', 40);
// `--only overview` measures just the endpoints whose path contains that word.
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : '';

async function main(): Promise<void> {
  const db = await freshDatabase();
  try {
    const orm = await MikroORM.init(mikroOrmOptions(db.url, 2, 0, ALL_ENTITIES));
    await orm.migrator.up();
    await orm.close(true);
    await seedDemo(db.url, ORDERS);
    const app = await bootBenchApp(db.url);
    try {
      const base = appUrl(app);
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: DEMO_EMAIL, password: DEMO_PASSWORD }),
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      const endpoints = [
        '/api/analytics/overview',
        '/api/analytics/overview?period=90d',
        '/api/analytics/revenue?granularity=daily',
        '/api/analytics/top-products',
        '/api/analytics/customers',
      ];
      const rows: Record<string, { 'p50 ms': number; 'p95 ms': number }> = {};
      for (const path of endpoints.filter((e) => e.includes(ONLY))) {
        const times: number[] = [];
        for (let i = 0; i < RUNS + 3; i++) {
          const t0 = performance.now();
          const res = await fetch(`${base}${path}`, { headers: { Cookie: cookie } });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
          if (i >= 3) times.push(performance.now() - t0); // the first three warm the caches
        }
        times.sort((a, b) => a - b);
        rows[path] = {
          'p50 ms': Math.round(percentile(times, 50) * 10) / 10,
          'p95 ms': Math.round(percentile(times, 95) * 10) / 10,
        };
      }
      console.table(rows);
      writeResults('analytics', { orders: ORDERS, runs: RUNS, endpoints: rows, goal: 'overview p95 < 150 ms' });
    } finally {
      await app.close();
    }
  } finally {
    await db.stop();
  }
}

runBench(main);
