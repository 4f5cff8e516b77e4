import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { flag, freshDatabase, runBench, startAppProcess } from './bench-support.js';
import { measure } from './lib/measure.js';
import type { LoadSpec } from './lib/load-runner.js';
import { postmasterPid } from './lib/proc-cpu.js';
import { createProduct, orderBody, registerShop } from './lib/shop.js';

/**
 * `node dist/bench/profile-perf.js <events|list|storefront|me|orders>`: Linux perf samples of the app process (every
 * thread: the event loop, GC helpers, the libuv pool; with PERF_ALL=1 the whole machine, PostgreSQL included) under
 * one route's load, JIT frames named through --perf-basic-prof-only-functions. Writes .data/perf.data; read it with
 * `perf report -i .data/perf.data --no-children --sort comm,sym -g none`. With V8_PROFILE=1 the app writes a V8 CPU
 * profile to .data/profiles/ instead (when it stops), summarised by dist/bench/lib/profile-summary.js.
 */
const V8_PROFILE = process.env.V8_PROFILE === '1';
const SECONDS = flag('seconds', 8);

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'list';
  const db = await freshDatabase();
  const profiler = V8_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${join(process.cwd(), '.data', 'profiles')}`]
    : ['--perf-basic-prof-only-functions'];
  const app = await startAppProcess(db.url, {}, profiler);
  try {
    const shop = await registerShop(app.url, 0);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++)
      ids.push(
        await createProduct(app.url, shop, {
          name: `Kikoi ${i}`,
          stock: which === 'orders' ? 10_000_000 : 50,
          variants: which === 'orders' ? 0 : 2,
        }),
      );
    const get = (path: string): Omit<LoadSpec, 'connections' | 'seconds'> => ({
      url: `${app.url}${path}`,
      method: 'GET',
      headers: { Cookie: shop.cookie },
    });
    const loads: Record<string, Omit<LoadSpec, 'connections' | 'seconds'>> = {
      events: get('/api/webhooks/events'),
      list: get('/api/products?limit=20'),
      storefront: get(`/api/storefront/${shop.storeSlug}/products?limit=20`),
      me: get('/api/auth/me'),
      orders: {
        url: `${app.url}/api/orders`,
        method: 'POST',
        headers: {},
        bodies: Array.from({ length: 5000 }, (_, i) => orderBody(shop.storeSlug, ids[i % 20], i % 1000)),
      },
    };
    const target = { pid: app.child.pid!, postmaster: await postmasterPid(db.url) };
    await measure(`${which} warm-up`, target, { ...loads[which], connections: 32, seconds: 3 });
    const loading = measure(which, target, { ...loads[which], connections: 32, seconds: SECONDS });
    if (!V8_PROFILE) {
      await new Promise((r) => setTimeout(r, 1000));
      const scope = process.env.PERF_ALL ? ['-a'] : ['-p', String(app.child.pid)];
      spawnSync(
        'perf',
        ['record', '-F', '999', '-g', '-o', '.data/perf.data', ...scope, '--', 'sleep', String(SECONDS - 2)],
        {
          stdio: 'inherit',
        },
      );
    }
    await loading;
  } finally {
    await app.stop();
    await db.stop();
  }
}

runBench(main);
