import autocannon from 'autocannon';

export interface LoadResult {
  name: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** One bounded autocannon run (loopback only): `seconds` long, `connections` in flight. */
export async function load(
  name: string,
  opts: {
    url: string;
    method?: 'GET' | 'POST';
    body?: string;
    headers?: Record<string, string>;
    seconds: number;
    connections: number;
    /** A fresh body per request (spread load: many shops, products, buyers). */
    nextBody?: () => string;
  },
): Promise<LoadResult> {
  const next = opts.nextBody;
  const result = await autocannon({
    url: opts.url,
    method: opts.method ?? 'GET',
    body: opts.body,
    ...(next ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: next() }) }] } : {}),
    headers: { 'content-type': 'application/json', ...opts.headers },
    duration: opts.seconds,
    connections: opts.connections,
  });
  return {
    name,
    reqPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
