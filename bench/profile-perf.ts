import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { analyze, flag, freshDatabase, runBench, startAppProcess } from './bench-support.js';
import { measure } from './lib/measure.js';
import { postmasterPid } from './lib/proc-cpu.js';
import { routeLoad } from './lib/shop.js';

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
    const load = await routeLoad(app.url, which);
    const target = { pid: app.child.pid!, postmaster: await postmasterPid(db.url) };
    await measure(`${which} warm-up`, target, { ...load, connections: 32, seconds: 3 });
    // As the benches do: without statistics, the plans cached during the warm-up can read the wrong partial index (the
    // order's open-orders count scanned every open order of the shop), and the profile shows that instead.
    await analyze(db.url);
    const loading = measure(which, target, { ...load, connections: 32, seconds: SECONDS });
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
