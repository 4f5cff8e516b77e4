import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { flag, freshDatabase, runBench, startAppProcess } from './bench-support.js';
import { measure } from './lib/measure.js';
import { postmasterPid } from './lib/proc-cpu.js';
import { createProduct, registerShop } from './lib/shop.js';

/**
 * `node dist/bench/profile-route.js <events|list|storefront>`: the app under one route's load with a V8 CPU
 * profile (written to .data/profiles/ when the app stops); summarise it with dist/bench/lib/profile-summary.js.
 */
const SECONDS = flag('seconds', 8);

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'list';
  const db = await freshDatabase();
  const dir = join(process.cwd(), '.data', 'profiles');
  const app = await startAppProcess(db.url, {}, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  try {
    const shop = await registerShop(app.url, 0);
    for (let i = 0; i < 20; i++) await createProduct(app.url, shop, { name: `Kikoi ${i}`, stock: 50, variants: 2 });
    const url = {
      events: `${app.url}/api/webhooks/events`,
      list: `${app.url}/api/products?limit=20`,
      storefront: `${app.url}/api/storefront/${shop.storeSlug}/products?limit=20`,
    }[which]!;
    const target = { pid: app.child.pid!, postmaster: await postmasterPid(db.url) };
    await measure(which, target, { url, headers: { Cookie: shop.cookie }, connections: 50, seconds: SECONDS });
  } finally {
    await app.stop();
    await db.stop();
  }
  console.log(readdirSync(dir).sort().pop());
}

runBench(main);
