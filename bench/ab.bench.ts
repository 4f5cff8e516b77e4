import { analyze, type ChildServer, flag, freshDatabase, runBench, startAppProcess } from './bench-support.js';
import { measure, type Figure } from './lib/measure.js';
import { postmasterPid } from './lib/proc-cpu.js';
import { type RouteLoad, routeLoad } from './lib/shop.js';

/**
 * `node dist/bench/ab.bench.js <list|me|storefront|events|orders>`: two builds of the app compared on one route, for a
 * change too small to see across runs (this machine's speed moves by half within minutes). Both run at once on one
 * database; short bursts of load go to A, then B, then B, then A..., and each side's CPU is summed over all its bursts,
 * so a drift of the machine's speed falls on both alike. A is `AB_A` (default `.data/ab-a/src/main.js`: copy `dist`
 * there before the change, then build the change), B is `dist/src/main.js`; `AB_A_ARGS` / `AB_B_ARGS` give either
 * process Node flags. `--rounds` bursts per side (default 6), `--seconds` each (3). `--own-databases 1` gives each side a
 * database of its own on the same server (for a change of schema: migrations run when an app starts).
 */
const ROUNDS = flag('rounds', 6);
const SECONDS = flag('seconds', 3);
const OWN_DATABASES = flag('own-databases', 0) === 1;
const CONNECTIONS = { orders: 32 } as Record<string, number>;

interface Side {
  name: 'A' | 'B';
  app: ChildServer;
  load: RouteLoad;
}

async function main(): Promise<void> {
  const route = process.argv[2] ?? 'list';
  const dbA = await freshDatabase();
  const dbB = OWN_DATABASES ? await freshDatabase() : dbA;
  const postmaster = await postmasterPid(dbA.url);
  const args = (v?: string) => (v ?? '').split(' ').filter(Boolean);
  const a = await startAppProcess(
    dbA.url,
    {},
    args(process.env.AB_A_ARGS),
    process.env.AB_A ?? '.data/ab-a/src/main.js',
  );
  const b = await startAppProcess(dbB.url, {}, args(process.env.AB_B_ARGS));
  try {
    const sideA: Side = { name: 'A', app: a, load: await routeLoad(a.url, route) };
    // One database: B serves A's shop (the same rows); two: its own, made the same way.
    const sideB: Side = OWN_DATABASES
      ? { name: 'B', app: b, load: await routeLoad(b.url, route) }
      : { name: 'B', app: b, load: rebase(sideA.load, a.url, b.url) };
    const connections = CONNECTIONS[route] ?? 50;
    for (const s of [sideA, sideB])
      await measure(`warm-up ${s.name}`, { pid: s.app.child.pid!, postmaster }, { ...s.load, connections, seconds: 3 });
    // Databases of their own: each gets the planner statistics its warm-up's rows call for (see analyze).
    if (OWN_DATABASES) for (const db of [dbA, dbB]) await analyze(db.url);
    const sum = { A: { cpu: 0, pg: 0, n: 0 }, B: { cpu: 0, pg: 0, n: 0 } };
    for (let r = 0; r < ROUNDS; r++)
      for (const s of r % 2 ? [sideB, sideA] : [sideA, sideB]) {
        const f: Figure = await measure(
          `${route} ${s.name}`,
          { pid: s.app.child.pid!, postmaster },
          { ...s.load, connections, seconds: SECONDS },
        );
        sum[s.name].cpu += f.appCpuUs * f.requests;
        sum[s.name].pg += (f.pgCpuUs ?? 0) * f.requests;
        sum[s.name].n += f.requests;
      }
    const per = (x: { cpu: number; pg: number; n: number }) => ({ app: x.cpu / x.n, pg: x.pg / x.n });
    const [pa, pb] = [per(sum.A), per(sum.B)];
    console.log(`A: ${Math.round(pa.app)} µs app + ${Math.round(pa.pg)} µs PostgreSQL per request (${sum.A.n})`);
    console.log(`B: ${Math.round(pb.app)} µs app + ${Math.round(pb.pg)} µs PostgreSQL per request (${sum.B.n})`);
    console.log(`B/A: app ${(pb.app / pa.app).toFixed(3)}, PostgreSQL ${(pb.pg / pa.pg).toFixed(3)}`);
  } finally {
    await a.stop();
    await b.stop();
    if (OWN_DATABASES) await dbB.drop();
    await dbA.stop();
  }
}

function rebase(load: Side['load'], from: string, to: string): Side['load'] {
  return { ...load, url: load.url.replace(from, to) };
}

runBench(main);
