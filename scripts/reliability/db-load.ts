import { readFileSync } from 'node:fs';
import { Client, type Reply } from './balanced.js';
import { type AppProcess, newShop, type Shop } from './harness.js';
import { CountingReceiver } from './receiver.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the clients saw while the database went away and came back. */
export interface LoadOutcome {
  /** Idempotency-Key → the order ids the API answered 201 with (more than one = a duplicate). */
  acknowledged: Map<string, Set<string>>;
  /** Order id → when its 201 arrived. */
  ackedAt: Map<string, number>;
  sellerWrites: number;
  byStatus: Record<number, number>;
  /** Answers that were neither 2xx nor a 503 in the error envelope (a 500, a bare error page...). */
  badAnswers: string[];
  /** Requests that got no answer within the client's 15 s timeout, or a cut connection. */
  noAnswer: number;
  /** Keys still not placed when the run ended (the client gave up after 60 s of retries). */
  gaveUp: number;
  /** [time, status] of every answer, to find when writes came back. */
  timeline: [number, number][];
}

export interface LoadSetup {
  shop: Shop;
  productId: string;
  rx: CountingReceiver;
}

/** A shop with one product and a webhook endpoint on a counting receiver, made through the API. */
export async function setUpShop(base: string): Promise<LoadSetup> {
  const rx = await new CountingReceiver().start();
  const shop = await newShop(base);
  const seller = new Client(base, '127.0.0.1');
  const cookie = { Cookie: shop.cookie };
  const product = await seller.send('POST', '/api/products', { name: 'Sukuma', priceKes: 50, stock: 1e7 }, cookie);
  const hook = await seller.send(
    'POST',
    '/api/webhooks',
    { url: rx.url, events: ['ORDER_CREATED', 'PRODUCT_UPDATED'] },
    cookie,
  );
  seller.close();
  if (product.status !== 201 || hook.status !== 201) throw new Error('shop set-up failed');
  return { shop, productId: String(product.body.id), rx };
}

const isEnvelope503 = (r: Reply) => r.status === 503 && r.body.success === false && typeof r.body.code === 'string';

/**
 * Buyers placing orders (each retried with its Idempotency-Key until placed, as a careful client does) and a seller
 * changing a price, for `seconds`, while `operator` does its damage.
 */
export async function runLoad(
  base: string,
  setup: LoadSetup,
  seconds: number,
  operator: () => Promise<void>,
  buyers = 8,
): Promise<LoadOutcome> {
  const out: LoadOutcome = {
    acknowledged: new Map(),
    ackedAt: new Map(),
    sellerWrites: 0,
    byStatus: {},
    badAnswers: [],
    noAnswer: 0,
    gaveUp: 0,
    timeline: [],
  };
  const clients: Client[] = [];
  const end = Date.now() + seconds * 1000;
  const note = (method: string, path: string, r: Reply) => {
    out.byStatus[r.status] = (out.byStatus[r.status] ?? 0) + 1;
    out.timeline.push([Date.now(), r.status]);
    if (r.status === 0) out.noAnswer++;
    else if (r.status >= 300 && !isEnvelope503(r) && out.badAnswers.length < 10)
      out.badAnswers.push(`${method} ${path} ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  };
  /** Until placed (201) or refused for good (another 4xx), for at most 60 s. */
  const untilDone = async (client: Client, method: string, path: string, body: unknown, headers = {}) => {
    const giveUpAt = Date.now() + 60_000;
    for (let i = 0; ; i++) {
      const r = await client.send(method, path, body, headers);
      note(method, path, r);
      if (r.status !== 0 && r.status !== 503) return r;
      if (Date.now() > giveUpAt) return r;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 100 * 2 ** i)));
    }
  };
  const buyer = async (i: number) => {
    const client = new Client(base, `127.0.2.${i + 1}`);
    clients.push(client);
    for (let n = 0; Date.now() < end; n++) {
      const key = `db-${i}-${n}`;
      const r = await untilDone(
        client,
        'POST',
        '/api/orders',
        {
          storeSlug: setup.shop.storeSlug,
          customerName: `Buyer ${i}`,
          customerPhone: `07${String(20_000_000 + i * 100_000 + n).slice(-8)}`,
          deliveryMethod: 'PICKUP',
          paymentMethod: 'CASH_ON_DELIVERY',
          items: [{ productId: setup.productId, quantity: 1 }],
        },
        { 'Idempotency-Key': key },
      );
      if (r.status === 201) {
        out.acknowledged.set(key, (out.acknowledged.get(key) ?? new Set()).add(String(r.body.id)));
        out.ackedAt.set(String(r.body.id), Date.now());
      } else out.gaveUp++;
    }
  };
  const seller = async () => {
    const client = new Client(base, '127.0.2.200');
    clients.push(client);
    for (let n = 0; Date.now() < end; n++) {
      const path = `/api/products/${setup.productId}`;
      const r = await untilDone(client, 'PATCH', path, { priceKes: 50 + (n % 40) }, { Cookie: setup.shop.cookie });
      if (r.status === 200) out.sellerWrites++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  try {
    await Promise.all([...Array.from({ length: buyers }, (_, i) => buyer(i)), seller(), operator()]);
  } finally {
    for (const c of clients) c.close();
  }
  return out;
}

/** The first moment after `since` from which every answer was a success (writes are served again). */
export function servedAgainAt(timeline: [number, number][], since: number): number | undefined {
  const after = timeline.filter(([t]) => t >= since).sort((a, b) => a[0] - b[0]);
  let candidate: number | undefined;
  for (const [t, status] of after) {
    if (status >= 200 && status < 300) candidate ??= t;
    else if (status === 0 || status >= 500) candidate = undefined;
  }
  return candidate;
}

/** The app's readiness every 200 ms while `running` says so: [time, status]. */
export function watchReadiness(app: AppProcess, running: () => boolean): Promise<[number, number][]> {
  const seen: [number, number][] = [];
  return (async () => {
    while (running()) {
      const status = await fetch(`${app.url}/health/ready`, { signal: AbortSignal.timeout(5000) }).then(
        (r) => r.status,
        () => 0,
      );
      seen.push([Date.now(), status]);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return seen;
  })();
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after the "pid (comm) " prefix; clock ticks of 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
