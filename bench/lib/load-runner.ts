import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

/**
 * The load generator, run as a process of its own by `measure()`: autocannon with a spec from a JSON file, bodies
 * cycled from a list when given (spread load: many shops, products, buyers), each with its buyer's client address
 * (`X-Forwarded-For`, the app trusting loopback as its proxy) when `addresses` is given beside them. Prints one JSON
 * line: what autocannon measured and the CPU this process spent while it ran.
 * Usage: node dist/bench/lib/load-runner.js <spec.json>
 */
export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  body?: string;
  bodies?: string[];
  /** The client address of each body (same index), sent as X-Forwarded-For. */
  addresses?: string[];
}

export interface LoadOutput {
  requests2xx: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  cpuSeconds: number;
  seconds: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadSpec;
  const { bodies, addresses } = spec;
  let next = 0;
  const setupRequest = (req: autocannon.Request): autocannon.Request => {
    const i = next++;
    const address = addresses?.[i % addresses.length];
    return {
      ...req,
      body: bodies![i % bodies!.length],
      ...(address ? { headers: { ...req.headers, 'x-forwarded-for': address } } : {}),
    };
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await autocannon({
    url: spec.url,
    method: spec.method,
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    duration: spec.seconds,
    ...(bodies?.length ? { requests: [{ setupRequest }] } : {}),
  });
  const cpu = process.cpuUsage(cpu0);
  const out: LoadOutput = {
    requests2xx: result['2xx'],
    reqPerSec: Math.round(result['2xx'] / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    seconds: (performance.now() - t0) / 1000,
  };
  console.log(JSON.stringify(out));
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
