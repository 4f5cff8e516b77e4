import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { flag, freshDatabase, runBench, startAppProcess, writeResults } from './bench-support.js';
import { measure } from './lib/measure.js';

/**
 * `npm run bench:tracing`: what tracing costs on the request path. The same no-database route (the public event
 * catalogue) served three ways, each app in its own process, the load from autocannon in another (bench/lib/load-runner.ts):
 * without the preload, with the preload and no OTEL_* variable (how `npm start` runs by default: nothing loaded),
 * and with tracing on (every request sampled, exported over OTLP/HTTP to a local sink). Figures: requests a second
 * and the app's CPU time per request (user + system from /proc/<pid>/stat over the measured window).
 */
const SECONDS = flag('seconds', 10);
const ROUNDS = flag('rounds', 2);

async function main(): Promise<void> {
  const db = await freshDatabase();
  // A sink that takes every export at once, as a collector on the same host would.
  const sink = createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end('{}')));
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const otlp = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const preload = ['--import', './dist/src/telemetry/preload.js'];
  const ways: [string, string[], Record<string, string>][] = [
    ['no preload', [], {}],
    ['preload, tracing off (npm start)', preload, {}],
    ['tracing on, every request sampled', preload, { OTEL_EXPORTER_OTLP_ENDPOINT: otlp, OTEL_SERVICE_NAME: 'bench' }],
  ];
  const rows: { name: string; reqPerSec: number; cpuUsPerRequest: number }[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++)
      for (const [name, args, env] of ways) {
        const app = await startAppProcess(db.url, { LOG_LEVEL: 'warn', ...env }, args);
        try {
          const target = { pid: app.child.pid! };
          const load = { url: `${app.url}/api/webhooks/events`, connections: 32, seconds: SECONDS };
          await measure(`${name} (warm-up)`, target, load);
          const f = await measure(name, target, load);
          rows.push({ name, reqPerSec: f.reqPerSec, cpuUsPerRequest: f.appCpuUs });
        } finally {
          await app.stop();
        }
      }
  } finally {
    sink.close();
    await db.stop();
  }
  const best = (name: string) => Math.min(...rows.filter((r) => r.name === name).map((r) => r.cpuUsPerRequest));
  writeResults('tracing', {
    route: 'GET /api/webhooks/events',
    seconds: SECONDS,
    rounds: ROUNDS,
    rows,
    bestCpuUsPerRequest: Object.fromEntries(ways.map(([name]) => [name, best(name)])),
  });
}

runBench(main);
