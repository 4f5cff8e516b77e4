import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flag, freshDatabase, runBench, startAppProcess, startServer, writeResults } from './bench-support.js';
import { measure } from './lib/measure.js';
import { pgbench, type PgbenchResult } from './lib/pgbench.js';
import { postmasterPid } from './lib/proc-cpu.js';
import { alternate, ratio } from './lib/rounds.js';
import { createProduct, registerShop } from './lib/shop.js';
import { listPageStatement } from '../src/products/product-page-json.query.js';

/**
 * `npm run bench:routes`: what a request costs around a route, in CPU per request. The app (`dist/src/main.js`, as
 * in production) and a bare NestJS app (bench/baselines/bare-nest.ts) each in a process of their own, the load from a
 * third (autocannon), rounds alternated. Each route stands beside the bare app answering the same bytes; the product
 * list's PostgreSQL CPU stands beside pgbench running one hand-written statement that returns the same rows.
 */
const SECONDS = flag('seconds', 8);
const ROUNDS = flag('rounds', 3);
const C = 50;

const DESCRIPTION =
  'Hand-woven cotton kikoi from Mombasa in the colours of the coast: soft after the first wash, quick to dry, ' +
  'a towel on the beach and a wrap in the evening. Each one is a little different.';

/** The product list as a person would write it for psql: one statement, the page, its variants and the total. */
function listStatement(sellerId: string): string {
  return `select p.id, p.name, p.description, p.price_kes, p.compare_at_price_kes, p.sku, p.category, p.stock,
  p.low_stock_threshold, p.is_active, p.images, p.created_at, p.updated_at, count(*) over () as total,
  coalesce((select json_agg(v order by v.created_at, v.id) from product_variants v where v.product_id = p.id), '[]')
from products p where p.seller_id = '${sellerId}' and p.deleted_at is null
order by p.created_at desc, p.id desc limit 20;
`;
}

/** Our own list statement with its parameters written in, for pgbench: what the statement costs apart from how the
 * app drives it (pool, round trips, the session check). */
function ownListStatement(sellerId: string): string {
  const { sql, params } = listPageStatement(sellerId, { sort: 'newest', page: 1, limit: 20 });
  let i = 0;
  const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`);
  const text = sql.replace(/\?/g, () => literal(params[i++]));
  return `${text.replace(/\s+/g, ' ')};\n`;
}

async function main(): Promise<void> {
  const db = await freshDatabase();
  const postmaster = await postmasterPid(db.url);
  const app = await startAppProcess(db.url);
  let bare: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const base = app.url;
    const shop = await registerShop(base, 0);
    for (let i = 0; i < 20; i++)
      await createProduct(base, shop, { name: `Kikoi ${i}`, stock: 50, description: DESCRIPTION, variants: 2 });
    const listUrl = `${base}/api/products?limit=20`;
    const listBody = await (await fetch(listUrl, { headers: { Cookie: shop.cookie } })).text();
    const sameFile = join(mkdtempSync(join(tmpdir(), 'sokohub-bare-')), 'list.json');
    writeFileSync(sameFile, listBody);
    bare = await startServer('dist/bench/baselines/bare-nest.js', { BARE_SAME_BODY: sameFile }, '/small');
    const b = bare;
    const appTarget = { pid: app.child.pid!, postmaster };
    const bareTarget = { pid: b.child.pid! };
    const get = (url: string, headers: Record<string, string> = {}) => ({
      url,
      headers,
      connections: C,
      seconds: SECONDS,
    });
    // Warm both processes (JIT, pools) before anything is counted.
    await measure('warm-up bare', bareTarget, { ...get(`${b.url}/events`), seconds: 2 });
    await measure('warm-up app', appTarget, { ...get(`${base}/api/webhooks/events`), seconds: 2 });

    const figures = await alternate(ROUNDS, [
      ['bareSmall', () => measure('bare NestJS, 300-byte object', bareTarget, get(`${b.url}/small`))],
      ['bareEvents', () => measure('bare NestJS, the event catalogue', bareTarget, get(`${b.url}/events`))],
      ['events', () => measure('GET /api/webhooks/events (no DB)', appTarget, get(`${base}/api/webhooks/events`))],
      ['bareList', () => measure('bare NestJS, the product list bytes', bareTarget, get(`${b.url}/same`))],
      [
        'list',
        () => measure('GET /api/products (20 with variants, cookie)', appTarget, get(listUrl, { Cookie: shop.cookie })),
      ],
      [
        'storefront',
        () =>
          measure(
            'GET /api/storefront/:slug/products',
            appTarget,
            get(`${base}/api/storefront/${shop.storeSlug}/products?limit=20`),
          ),
      ],
    ]);
    const statement: PgbenchResult = pgbench(db.url, postmaster, listStatement(shop.sellerId), {
      clients: 8,
      seconds: SECONDS,
      prepared: true,
    });
    console.log(
      `pgbench, the list as one prepared statement: ${statement.tps} tps, ${statement.pgCpuUs} µs PostgreSQL CPU each`,
    );
    const own: PgbenchResult = pgbench(db.url, postmaster, ownListStatement(shop.sellerId), {
      clients: 8,
      seconds: SECONDS,
      prepared: true,
    });
    console.log(`pgbench, our own list statement: ${own.tps} tps, ${own.pgCpuUs} µs PostgreSQL CPU each`);

    const goals = {
      noDbRoute: {
        value: ratio(figures.events.appCpuUs, figures.bareEvents.appCpuUs),
        goal: '<= 2 (CPU per request, same bytes)',
      },
      listAppCpuUs: { value: figures.list.appCpuUs, goal: "<= 250 µs at the issue's speed (npm run bench scales it)" },
      listPgCpu: {
        value: ratio(figures.list.pgCpuUs!, statement.pgCpuUs),
        goal: '<= 2 (of one hand-written statement)',
      },
    };
    console.table(
      Object.fromEntries(
        Object.values(figures).map((f) => [
          f.name,
          {
            'app CPU µs/req': `${f.appCpuUs} (${f.appCpuRange.join('–')})`,
            'PostgreSQL µs/req': f.pgCpuUs ?? '-',
            'req/s': `${f.reqPerSec} (${f.reqPerSecRange.join('–')})`,
            'p99 ms': f.p99Ms,
            'load, share of a core': `${f.loadShare}${f.loadBound ? ' load-bound' : ''}`,
          },
        ]),
      ),
    );
    console.table(goals);
    writeResults('routes', {
      seconds: SECONDS,
      rounds: ROUNDS,
      connections: C,
      listBytes: listBody.length,
      figures,
      statement,
      ownStatement: own,
      goals,
    });
  } finally {
    await bare?.stop();
    await app.stop();
    await db.stop();
  }
}

runBench(main);
