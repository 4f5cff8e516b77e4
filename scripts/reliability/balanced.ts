import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { type AppProcess, freePort, newShop, query, startApp, stopApp, until } from './harness.js';
import { CountingReceiver } from './receiver.js';
import type { Figure } from './scenarios.js';

/** The general limit the three instances must hold together (per client address and route, per minute). */
const LIMIT = 600;

/** Debian's haproxy, installed with apt-get when missing (CI runs as root on a Debian machine). */
export function haproxyBinary(): string {
  for (const path of ['/usr/sbin/haproxy', '/usr/bin/haproxy']) if (existsSync(path)) return path;
  console.log('installing haproxy (apt-get) for the balancer scenarios');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'haproxy'], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return '/usr/sbin/haproxy';
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Keep-alive HTTP from one client address (any 127.x.y.z is the loopback interface on Linux), so the balancer and the
 * apps see distinct clients. Status 0 = the connection failed or was cut.
 */
export class Client {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

  constructor(
    private readonly base: string,
    private readonly localAddress: string,
  ) {}

  send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve) => {
      const req = http.request(
        `${this.base}${path}`,
        {
          method,
          agent: this.agent,
          localAddress: this.localAddress,
          timeout: 15_000,
          headers: { ...(payload ? { 'Content-Type': 'application/json' } : {}), ...headers },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parse(text) }));
          res.on('error', () => resolve({ status: 0, body: {} }));
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve({ status: 0, body: {} }));
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function parse(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

interface Failure {
  startedAt: number;
  endedAt: number;
  status: number;
}

/** What a careful client does: the same request (same Idempotency-Key) again on a cut connection or a 502/503/504. */
async function withRetries(attempt: () => Promise<Reply>, failures: Failure[]): Promise<Reply> {
  for (let i = 0; ; i++) {
    const startedAt = Date.now();
    const res = await attempt();
    if (![0, 502, 503, 504].includes(res.status) || i === 10) return res;
    failures.push({ startedAt, endedAt: Date.now(), status: res.status });
    await new Promise((r) => setTimeout(r, 100 * (i + 1)));
  }
}

/** Per-server session totals and states from HAProxy's CSV stats. */
async function serverStats(statsUrl: string): Promise<Map<string, { total: number; status: string }>> {
  const csv = await (await fetch(`${statsUrl}/stats;csv`)).text();
  const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n');
  const cols = header.split(',');
  const at = (row: string[], name: string) => row[cols.indexOf(name)];
  const out = new Map<string, { total: number; status: string }>();
  for (const row of rows.map((r) => r.split(',')))
    if (at(row, 'pxname') === 'sokohub_instances' && at(row, 'svname').startsWith('app'))
      out.set(at(row, 'svname'), { total: Number(at(row, 'stot')), status: at(row, 'status') });
  return out;
}

/**
 * HAProxy in front of the three instances, on two ports picked just before: should one have been taken meanwhile,
 * HAProxy exits at once, and it is started again on two others.
 */
async function startBalancer(
  haproxy: string,
  ports: number[],
): Promise<{ lb: ChildProcess; lbPort: number; statsPort: number }> {
  for (let attempt = 1; ; attempt++) {
    const [lbPort, statsPort] = [await freePort(), await freePort()];
    const lb = spawn(haproxy, ['-f', 'deploy/haproxy.cfg', '-db'], {
      env: {
        ...process.env,
        SOKOHUB_BIND: `127.0.0.1:${lbPort}`,
        SOKOHUB_STATS_BIND: `127.0.0.1:${statsPort}`,
        SOKOHUB_APP1: `127.0.0.1:${ports[0]}`,
        SOKOHUB_APP2: `127.0.0.1:${ports[1]}`,
        SOKOHUB_APP3: `127.0.0.1:${ports[2]}`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = await new Promise<boolean>((resolve) => {
      const running = setTimeout(() => resolve(false), 1500);
      lb.once('exit', () => {
        clearTimeout(running);
        resolve(true);
      });
    });
    if (!exited) return { lb, lbPort, statsPort };
    if (attempt === 3) throw new Error('HAProxy could not bind its ports three times over');
  }
}

/**
 * 9. HAProxy (deploy/haproxy.cfg) in front of three instances on one PostgreSQL and one Redis. Public orders (with
 * Idempotency-Keys, retried on cut connections), seller writes and webhook deliveries run while one instance is killed
 * with SIGKILL (and brought back) and another is restarted with SIGTERM; then the general rate limit is hammered from
 * one client address and must hold across the three instances, not three times over.
 */
export async function balanced(db: string, seconds: number): Promise<Figure> {
  const haproxy = haproxyBinary();
  const rx = await new CountingReceiver().start();
  const env = (port: number) => ({
    PORT: String(port),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    TRUST_PROXY: '1',
    RATE_LIMIT_PER_MINUTE: String(LIMIT),
    SHUTDOWN_GRACE_MS: '3000',
  });
  // Each port is taken right after it is picked: an instance's outgoing connections draw their local ports from the
  // same range, and one picked early can be in use by the time it is bound.
  const ports: number[] = [];
  const apps: AppProcess[] = [];
  for (let i = 0; i < 3; i++) {
    ports.push(await freePort());
    apps.push(await startApp(db, env(ports[i])));
  }
  const { lb, lbPort, statsPort } = await startBalancer(haproxy, ports);
  const base = `http://127.0.0.1:${lbPort}`;
  const statsUrl = `http://127.0.0.1:${statsPort}`;
  const allUp = async () =>
    [...(await serverStats(statsUrl).catch(() => new Map<string, { status: string }>())).values()].filter(
      (s) => s.status === 'UP',
    ).length === 3;
  const clients: Client[] = [];
  try {
    await until(allUp, 20_000, 'HAProxy to see three ready instances');
    const shop = await newShop(base);
    const seller = new Client(base, '127.0.0.1');
    clients.push(seller);
    const cookie = { Cookie: shop.cookie };
    const product = await seller.send('POST', '/api/products', { name: 'Kanga', priceKes: 500, stock: 1e7 }, cookie);
    const hook = await seller.send(
      'POST',
      '/api/webhooks',
      { url: rx.url, events: ['ORDER_CREATED', 'PRODUCT_UPDATED'] },
      cookie,
    );
    if (product.status !== 201 || hook.status !== 201) throw new Error('set-up through the balancer failed');
    const productId = String(product.body.id);

    const failures: Failure[] = [];
    const ordersByKey = new Map<string, Set<string>>();
    let finalFailures = 0;
    let requests = 0;
    const t0 = Date.now();
    const end = t0 + seconds * 1000;
    const buyer = async (i: number) => {
      const client = new Client(base, `127.0.1.${i + 1}`);
      clients.push(client);
      for (let n = 0; Date.now() < end; n++) {
        const key = `s9-${i}-${n}`;
        const body = {
          storeSlug: shop.storeSlug,
          customerName: `Buyer ${i}`,
          customerPhone: `07${String(10_000_000 + i * 100_000 + n).slice(-8)}`,
          deliveryMethod: 'PICKUP',
          paymentMethod: 'CASH_ON_DELIVERY',
          items: [{ productId, quantity: 1 }],
        };
        const res = await withRetries(() => {
          requests++;
          return client.send('POST', '/api/orders', body, { 'Idempotency-Key': key });
        }, failures);
        if (res.status !== 201) finalFailures++;
        else ordersByKey.set(key, (ordersByKey.get(key) ?? new Set()).add(String(res.body.id)));
      }
    };
    let sellerWrites = 0;
    const sellerLoop = async () => {
      for (let n = 0; Date.now() < end; n++) {
        const res = await withRetries(() => {
          requests++;
          return seller.send('PATCH', `/api/products/${productId}`, { priceKes: 500 + (n % 50) }, cookie);
        }, failures);
        if (res.status !== 200) finalFailures++;
        else sellerWrites++;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    // The operator's side: a SIGKILL (the instance comes back 2 s later, as a supervisor would bring it), then a
    // rolling restart of another (SIGTERM, wait for it to exit, start it again).
    let killedAt = 0;
    let diedAt = 0;
    let sigtermAt = 0;
    let sigtermDoneAt = 0;
    const operator = async () => {
      await new Promise((r) => setTimeout(r, seconds * 300));
      killedAt = Date.now();
      await stopApp(apps[0], 'SIGKILL');
      diedAt = Date.now();
      await new Promise((r) => setTimeout(r, 2000));
      apps[0] = await startApp(db, env(ports[0]));
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + seconds * 600 - Date.now())));
      sigtermAt = Date.now();
      await stopApp(apps[1], 'SIGTERM');
      apps[1] = await startApp(db, env(ports[1]));
      sigtermDoneAt = Date.now();
    };
    await Promise.all([...Array.from({ length: 24 }, (_, i) => buyer(i)), sellerLoop(), operator()]);

    // Every order and product change committed while instances came and went reaches the receiver.
    const events = await query<{ id: string; name: string }>(
      db,
      "select id, name from webhook_events where seller_id = $1 and name in ('ORDER_CREATED', 'PRODUCT_UPDATED')",
      [shop.sellerId],
    );
    const ids = events.map((e) => e.id);
    await until(() => rx.lostOf(ids) === 0, 120_000, 'every event delivered').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    const [{ orders, keys }] = await query<{ orders: string; keys: string }>(
      db,
      'select count(*) as orders, count(distinct idempotency_key) as keys from orders where seller_id = $1',
      [shop.sellerId],
    );
    const orderEvents = events.filter((e) => e.name === 'ORDER_CREATED').length;

    // JSON through the balancer is gzipped for a client that accepts it (deploy/haproxy.cfg), and stays JSON.
    const listed = await fetch(`${base}/api/storefront/${shop.storeSlug}/products`, {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    const listedBody = (await listed.json()) as { data?: unknown[] };
    const jsonGzipped = listed.headers.get('content-encoding') === 'gzip' && Array.isArray(listedBody.data);

    // The general limit, from one new client address, spread by the balancer over the three instances.
    await until(allUp, 20_000, 'three ready instances before the limit check');
    const before = await serverStats(statsUrl);
    const probe = new Client(base, `127.${1 + rnd(200)}.${rnd(250)}.${1 + rnd(250)}`);
    clients.push(probe);
    let allowed = 0;
    let limited = 0;
    const probeSends = Math.round(LIMIT * 1.5);
    let sent = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (sent++ < probeSends) {
          const res = await probe.send('GET', '/api/webhooks/events');
          if (res.status === 200) allowed++;
          else if (res.status === 429) limited++;
        }
      }),
    );
    const after = await serverStats(statsUrl);
    const spread = [...after].map(([name, s]) => s.total - (before.get(name)?.total ?? 0));

    // In flight on the killed instance: started before it was gone, ended after the kill. A request HAProxy still sent
    // down a pooled connection to it before noticing the close, or before two failed checks (<= 1.5 s) took it out,
    // is counted apart; anything else is a failure the deployment should not have.
    const inFlight = (f: Failure) => f.startedAt <= diedAt && f.endedAt >= killedAt;
    const beforeMarkedDown = (f: Failure) => !inFlight(f) && f.startedAt > diedAt && f.startedAt <= diedAt + 1500;
    const other = failures.filter((f) => !inFlight(f) && !beforeMarkedDown(f));
    const figures = {
      seconds,
      clientRequests: requests,
      ordersPlaced: ordersByKey.size,
      sellerWrites,
      failedAttempts: failures.length,
      failedAttemptsInFlightOnKilled: failures.filter(inFlight).length,
      failedAttemptsBeforeMarkedDown: failures.filter(beforeMarkedDown).length,
      failedAttemptsOther: other.length,
      otherFailures: other.map((f) => `${f.status}@${f.startedAt - killedAt}ms`).join(' ') || 'none',
      failedDuringSigtermRestart: failures.filter((f) => f.startedAt >= sigtermAt && f.startedAt <= sigtermDoneAt)
        .length,
      failedAfterRetries: finalFailures,
      ordersDuplicated: Number(orders) - Number(keys) + [...ordersByKey.values()].filter((s) => s.size > 1).length,
      ordersWithoutEvent: Number(orders) - orderEvents,
      eventsLost: rx.lostOf(ids),
      events: ids.length,
      deliveriesSentTwice: rx.duplicatesOf(ids),
      rateLimitConfigured: LIMIT,
      rateLimitAllowed: allowed,
      rateLimitRefused: limited,
      probeSpreadOverInstances: spread.join('/'),
      jsonGzippedByBalancer: jsonGzipped ? 'yes' : 'no',
    };
    const ok =
      figures.failedAfterRetries === 0 &&
      figures.failedAttemptsOther === 0 &&
      figures.failedDuringSigtermRestart === 0 &&
      figures.ordersDuplicated === 0 &&
      figures.ordersWithoutEvent === 0 &&
      figures.eventsLost === 0 &&
      Number(orders) === ordersByKey.size &&
      Math.abs(allowed - LIMIT) <= LIMIT * 0.1 &&
      spread.filter((n) => n > 0).length === 3 &&
      jsonGzipped;
    return { scenario: '9. HAProxy, three instances, SIGKILL + SIGTERM', result: ok ? 'pass' : 'FAIL', figures };
  } finally {
    for (const c of clients) c.close();
    lb.kill('SIGTERM');
    await Promise.all(apps.map((a) => stopApp(a)));
    await rx.stop();
  }
}

function rnd(n: number): number {
  return Math.floor(Math.random() * n);
}
