import { spawnSync } from 'node:child_process';
import { flag, freshDatabase, runBench, startAppProcess } from './bench-support.js';
import { measure } from './lib/measure.js';
import { postmasterPid } from './lib/proc-cpu.js';
import { createProduct, registerShop } from './lib/shop.js';

/**
 * `node dist/bench/profile-perf.js <events|list|storefront|me>`: Linux perf samples of the app process (every thread:
 * the event loop, GC helpers, the libuv pool) under one route's load, JIT frames named through --perf-basic-prof.
 * Writes .data/perf.data; read it with `perf report -i .data/perf.data --sort comm,dso,sym`.
 */
const SECONDS = flag('seconds', 8);

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'list';
  const db = await freshDatabase();
  const app = await startAppProcess(db.url, {}, ['--perf-basic-prof-only-functions']);
  try {
    const shop = await registerShop(app.url, 0);
    for (let i = 0; i < 20; i++) await createProduct(app.url, shop, { name: `Kikoi ${i}`, stock: 50, variants: 2 });
    const url = {
      events: `${app.url}/api/webhooks/events`,
      list: `${app.url}/api/products?limit=20`,
      storefront: `${app.url}/api/storefront/${shop.storeSlug}/products?limit=20`,
      me: `${app.url}/api/auth/me`,
    }[which]!;
    const target = { pid: app.child.pid!, postmaster: await postmasterPid(db.url) };
    await measure(`${which} warm-up`, target, { url, headers: { Cookie: shop.cookie }, connections: 50, seconds: 3 });
    const loading = measure(which, target, {
      url,
      headers: { Cookie: shop.cookie },
      connections: 50,
      seconds: SECONDS,
    });
    await new Promise((r) => setTimeout(r, 1000));
    spawnSync(
      'perf',
      [
        'record',
        '-F',
        '1999',
        '-g',
        '-o',
        '.data/perf.data',
        '-p',
        String(app.child.pid),
        '--',
        'sleep',
        String(SECONDS - 2),
      ],
      {
        stdio: 'inherit',
      },
    );
    await loading;
  } finally {
    await app.stop();
    await db.stop();
  }
}

runBench(main);
