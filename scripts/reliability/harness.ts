import { freePort } from '../lib/free-port.js';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** One app process of the built server (`dist/src/main.js`), as an operator would run it. */
export interface AppProcess {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

export { freePort };

export const SHARED_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'error',
  JWT_SECRET: 'reliability-jwt-secret-0123456789abcdef',
  SECRETS_KEY: Buffer.alloc(32, 9).toString('base64'),
  RATE_LIMIT_PER_MINUTE: '10000000',
  AUTH_RATE_LIMIT_PER_MINUTE: '100000',
  ORDER_RATE_LIMIT_PER_MINUTE: '100000000',
  ORDER_OPEN_PER_PHONE: '1000000',
  ORDER_OPEN_PER_ADDRESS: '1000000',
  ORDER_MAX_UNITS_PER_LINE: '1000',
  SIGNUP_PER_ADDRESS_PER_HOUR: '1000000',
  MPESA_CALLBACK_RATE_LIMIT_PER_MINUTE: '1000000',
  STK_PROMPTS_PER_PHONE_PER_HOUR: '1000',
  COOKIE_SECURE: 'false',
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_RETRY_DELAYS_MS: '200,400',
  WEBHOOK_WORKER_INTERVAL_MS: '200',
  WEBHOOK_LEASE_MS: '3000',
  MPESA_JOBS_ENABLED: 'false',
  SHUTDOWN_GRACE_MS: '300',
};

/** `env.PORT` pins the port (a restart behind a balancer comes back where the balancer looks for it). */
export async function startApp(
  databaseUrl: string,
  env: Record<string, string> = {},
  options: { logFile?: string } = {},
): Promise<AppProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const logFile = options.logFile ?? process.env.REL_APP_LOG;
  // As `npm start` runs it: the tracing preload first (it loads nothing unless OTEL_* variables ask for traces).
  const child = spawn(process.execPath, ['--import', './dist/src/telemetry/preload.js', 'dist/src/main.js'], {
    env: {
      ...process.env,
      ...SHARED_ENV,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sokohub-rel-')),
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      ...env,
    },
    // REL_APP_LOG=file keeps the apps' logs (error level unless LOG_LEVEL says otherwise) for a failing run.
    stdio: ['ignore', logFile ? openSync(logFile, 'a') : 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error('app exited during start');
    if (Date.now() > deadline) throw new Error('app did not start in 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, exited };
}

export async function stopApp(app: AppProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (app.child.exitCode !== null) return;
  app.child.kill(signal);
  await app.exited;
}

export async function query<T = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function until<T>(
  check: () => T | Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<Exclude<T, undefined | null | false | 0 | ''>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as Exclude<T, undefined | null | false | 0 | ''>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Shop {
  sellerId: string;
  storeSlug: string;
  cookie: string;
}

/** One JSON request with the given headers; the body parsed when it is JSON. */
export async function request<T = unknown>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed as T };
}

/** A request as a signed-in seller (or anonymous without a cookie). */
export async function api<T = unknown>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  cookie?: string,
): Promise<{ status: number; body: T }> {
  return request<T>(base, method, path, body, cookie ? { Cookie: cookie } : {});
}

export async function newShop(base: string): Promise<Shop> {
  const res = await fetch(`${base}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      email: `rel-${Date.now()}-${Math.random().toString(36).slice(2)}@example.co.ke`,
      password: 'reliability-pw',
      storeName: 'Reliability Duka',
      phone: '0712345678',
    }),
  });
  const body = (await res.json()) as { seller: { id: string; storeSlug: string } };
  return {
    sellerId: body.seller.id,
    storeSlug: body.seller.storeSlug,
    cookie: (res.headers.get('set-cookie') ?? '').split(';')[0],
  };
}

/** Queues `count` committed ORDER_CREATED deliveries for an endpoint straight into the outbox (as committed changes would). */
export async function queueEvents(
  databaseUrl: string,
  sellerId: string,
  endpointId: string,
  url: string,
  count: number,
  tag: string,
): Promise<string[]> {
  const rows = await query<{ id: string }>(
    databaseUrl,
    `with e as (
       insert into webhook_events (id, seller_id, name, data, occurred_at)
       select 'evt_' || $4 || lpad(i::text, 10, '0'), $1, 'ORDER_CREATED', json_build_object('n', i), now() from generate_series(1, $5::int) i
       returning id
     )
     insert into webhook_deliveries (id, event_id, seller_id, subscriber_kind, subscription_id, event_name, url, body, max_attempts, next_attempt_at, created_at)
     select 'dlv_' || substr(e.id, 5), e.id, $1, 'seller', $2, 'ORDER_CREATED', $3,
            json_build_object('event', 'ORDER_CREATED', 'sellerId', $1, 'timestamp', now(), 'data', json_build_object('id', e.id))::text, 3, now(), now()
     from e returning event_id as id`,
    [sellerId, endpointId, url, tag, count],
  );
  return rows.map((r) => r.id);
}
