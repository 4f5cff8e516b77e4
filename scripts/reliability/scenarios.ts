import { api, newShop, query, queueEvents, startApp, stopApp, until } from './harness.js';
import { CountingReceiver } from './receiver.js';

export interface Figure {
  scenario: string;
  result: 'pass' | 'FAIL';
  figures: Record<string, number | string>;
}

async function endpoint(base: string, cookie: string, url: string): Promise<string> {
  const res = await api<{ id: string }>(base, 'POST', '/api/webhooks', { url, events: ['ORDER_CREATED'] }, cookie);
  if (res.status !== 201) throw new Error(`endpoint create answered ${res.status}`);
  return res.body.id;
}

/** 1. kill -9 while delivering; restart; every event arrives (leases expire and are claimed again). */
export async function crash(db: string, events: number): Promise<Figure> {
  const rx = await new CountingReceiver().start();
  rx.delayMs = 2;
  let app = await startApp(db);
  try {
    const shop = await newShop(app.url);
    const wh = await endpoint(app.url, shop.cookie, rx.url);
    const ids = await queueEvents(db, shop.sellerId, wh, rx.url, events, 'crash');
    await until(() => rx.seen.size >= events / 5, 120_000, 'a fifth delivered');
    await stopApp(app, 'SIGKILL');
    const atKill = rx.seen.size;
    app = await startApp(db);
    await until(() => rx.lostOf(ids) === 0, 300_000, 'every event after restart');
    const figures = { events, deliveredBeforeKill: atKill, lost: rx.lostOf(ids), duplicates: rx.duplicatesOf(ids) };
    return {
      scenario: '1. crash (kill -9 mid-delivery, restart)',
      result: figures.lost === 0 ? 'pass' : 'FAIL',
      figures,
    };
  } finally {
    await stopApp(app);
    await rx.stop();
  }
}

/** 2. The receiver answers 503, then refuses connections, then recovers; retries and `recover` leave nothing lost. */
export async function outage(db: string, events: number): Promise<Figure> {
  const rx = await new CountingReceiver().start();
  const app = await startApp(db);
  try {
    const shop = await newShop(app.url);
    const wh = await endpoint(app.url, shop.cookie, rx.url);
    const since = new Date(Date.now() - 1000).toISOString();
    rx.mode = '503';
    const first = await queueEvents(db, shop.sellerId, wh, rx.url, events / 2, 'out503');
    await new Promise((r) => setTimeout(r, 1500));
    const port = rx.port;
    await rx.stop();
    const second = await queueEvents(db, shop.sellerId, wh, rx.url, events / 2, 'outdown');
    await new Promise((r) => setTimeout(r, 1500));
    rx.mode = 'ok';
    await rx.start(port);
    await until(
      async () =>
        (
          await query<{ n: string }>(
            db,
            "select count(*) as n from webhook_deliveries where subscription_id = $1 and status = 'PENDING'",
            [wh],
          )
        )[0].n === '0',
      60_000,
      'retries to finish',
    );
    const recovered = await api<{ requeued: number }>(
      app.url,
      'POST',
      `/api/webhooks/${wh}/recover`,
      { since },
      shop.cookie,
    );
    // The endpoint may have been auto-disabled by the failures: switch it on again as a seller would.
    await api(app.url, 'PATCH', `/api/webhooks/${wh}/toggle`, { isActive: true }, shop.cookie);
    const ids = [...first, ...second];
    await until(() => rx.lostOf(ids) === 0, 120_000, 'every event after recovery').catch(async (error: unknown) => {
      const states = await query(
        db,
        'select status, count(*) as n, bool_or(claim_token is not null) as claimed, min(next_attempt_at) - now() as next from webhook_deliveries where subscription_id = $1 group by 1',
        [wh],
      );
      const [ep] = await query(db, 'select is_active, disabled_reason from webhook_endpoints where id = $1', [wh]);
      throw new Error(
        `${String(error)}; lost ${rx.lostOf(ids)}; deliveries ${JSON.stringify(states)}; endpoint ${JSON.stringify(ep)}; recover ${JSON.stringify(recovered)}`,
      );
    });
    const figures = {
      events,
      requeuedByRecover: recovered.body.requeued,
      lost: rx.lostOf(ids),
      duplicates: rx.duplicatesOf(ids),
    };
    return {
      scenario: '2. receiver outage (503, then down, then back)',
      result: figures.lost === 0 ? 'pass' : 'FAIL',
      figures,
    };
  } finally {
    await stopApp(app);
    await rx.stop();
  }
}

/** 3. Two instances on one database under a burst: nothing lost, nothing sent twice. */
export async function twoInstances(db: string, events: number): Promise<Figure> {
  const rx = await new CountingReceiver().start();
  const a = await startApp(db);
  const b = await startApp(db);
  try {
    const shop = await newShop(a.url);
    const wh = await endpoint(a.url, shop.cookie, rx.url);
    const ids = await queueEvents(db, shop.sellerId, wh, rx.url, events, 'two');
    await until(() => rx.lostOf(ids) === 0, 180_000, 'every event');
    await new Promise((r) => setTimeout(r, 500));
    const figures = { events, lost: rx.lostOf(ids), sentTwice: rx.duplicatesOf(ids) };
    return {
      scenario: '3. two instances, one database, burst',
      result: figures.lost === 0 && figures.sentTwice === 0 ? 'pass' : 'FAIL',
      figures,
    };
  } finally {
    await Promise.all([stopApp(a), stopApp(b)]);
    await rx.stop();
  }
}

/** 4. 50 concurrent buyers for the last 10 units, 20 times: exactly 10 orders each time. */
export async function oversell(db: string, rounds: number): Promise<Figure> {
  const app = await startApp(db);
  try {
    const shop = await newShop(app.url);
    const counts: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const p = await api<{ id: string }>(
        app.url,
        'POST',
        '/api/products',
        { name: `Last units ${r}`, priceKes: 100, stock: 10 },
        shop.cookie,
      );
      const body = {
        storeSlug: shop.storeSlug,
        customerName: 'Buyer',
        customerPhone: '0712345678',
        deliveryMethod: 'PICKUP',
        paymentMethod: 'CASH_ON_DELIVERY',
        items: [{ productId: p.body.id, quantity: 1 }],
      };
      const results = await Promise.all(Array.from({ length: 50 }, () => api(app.url, 'POST', '/api/orders', body)));
      counts.push(results.filter((x) => x.status === 201).length);
      const [{ stock }] = await query<{ stock: number }>(db, 'select stock from products where id = $1', [p.body.id]);
      if (stock !== 0) counts.push(-1);
    }
    const figures = {
      rounds,
      exactlyTen: counts.filter((c) => c === 10).length,
      otherCounts: counts.filter((c) => c !== 10).join(',') || 'none',
    };
    return {
      scenario: '4. oversell race (50 buyers, 10 units)',
      result: figures.exactlyTen === rounds ? 'pass' : 'FAIL',
      figures,
    };
  } finally {
    await stopApp(app);
  }
}

/** 8. SIGTERM during deliveries: in-flight sends finish or are released; nothing stuck after restart. */
export async function drain(db: string, events: number): Promise<Figure> {
  const rx = await new CountingReceiver().start();
  rx.delayMs = 300;
  let app = await startApp(db, { WEBHOOK_PER_ENDPOINT_CONCURRENCY: '16' });
  try {
    const shop = await newShop(app.url);
    const wh = await endpoint(app.url, shop.cookie, rx.url);
    const ids = await queueEvents(db, shop.sellerId, wh, rx.url, events, 'drain');
    await until(() => rx.seen.size >= 20, 60_000, 'deliveries under way');
    const t0 = Date.now();
    // Readiness must turn 503 while the instance still answers, before it stops taking work.
    app.child.kill('SIGTERM');
    let readyBeforeStop = false;
    while (app.child.exitCode === null && !readyBeforeStop) {
      const status = await fetch(`${app.url}/health/ready`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 503) readyBeforeStop = true;
      else if (status === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await stopApp(app, 'SIGTERM');
    const drainMs = Date.now() - t0;
    const [{ held }] = await query<{ held: string }>(
      db,
      "select count(*) as held from webhook_deliveries where claim_token is not null and status = 'PENDING' and next_attempt_at > now() + interval '1 second'",
    );
    app = await startApp(db);
    await until(() => rx.lostOf(ids) === 0, 120_000, 'every event after restart');
    const figures = {
      events,
      drainMs,
      readiness503BeforeStop: readyBeforeStop ? 'yes' : 'no',
      leasesLeftHeld: Number(held),
      lost: rx.lostOf(ids),
      duplicates: rx.duplicatesOf(ids),
    };
    return {
      scenario: '8. drain on SIGTERM',
      result: figures.lost === 0 && figures.leasesLeftHeld === 0 && readyBeforeStop ? 'pass' : 'FAIL',
      figures,
    };
  } finally {
    await stopApp(app);
    await rx.stop();
  }
}

/** 7. Every private, loopback, link-local, metadata and IPv6-mapped form is refused as an endpoint and at send time. */
export async function ssrf(db: string): Promise<Figure> {
  const rx = await new CountingReceiver().start();
  const app = await startApp(db, { WEBHOOK_ALLOW_PRIVATE_URLS: 'false', WEBHOOK_MAX_ATTEMPTS: '1' });
  const hosts = [
    '127.0.0.1',
    '127.1',
    '2130706433',
    '0x7f000001',
    '0177.0.0.1',
    'localhost',
    'localhost.',
    '0.0.0.0',
    '10.0.0.1',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '[::1]',
    '[::]',
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]',
    '[::ffff:169.254.169.254]',
    '[fe80::1]',
    '[fc00::1]',
    '224.0.0.1',
  ];
  try {
    const shop = await newShop(app.url);
    let refusedAtSave = 0;
    let refusedAtSend = 0;
    for (const [i, host] of hosts.entries()) {
      const url = `http://${host}:${rx.port}/hook`;
      const saved = await api(app.url, 'POST', '/api/webhooks', { url, events: ['ORDER_CREATED'] }, shop.cookie);
      if (saved.status === 400) refusedAtSave++;
      // At send time: as if DNS had changed after saving, the stored endpoint points at the private address.
      const ok = await api<{ id: string }>(
        app.url,
        'POST',
        '/api/webhooks',
        { url: 'https://8.8.8.8/hook', events: ['ORDER_CREATED'] },
        shop.cookie,
      );
      await query(db, 'update webhook_endpoints set url = $1 where id = $2', [url, ok.body.id]);
      const [id] = await queueEvents(db, shop.sellerId, ok.body.id, url, 1, `ssrf${i}x`);
      const [row] = await until(
        async () => {
          const r = await query<{ status: string }>(db, 'select status from webhook_deliveries where event_id = $1', [
            id,
          ]);
          return r[0]?.status === 'FAILED' || r[0]?.status === 'SUCCEEDED' ? r : undefined;
        },
        30_000,
        `the send to ${host}`,
      );
      if (row.status === 'FAILED' && !rx.seen.has(id)) refusedAtSend++;
      await api(app.url, 'DELETE', `/api/webhooks/${ok.body.id}`, undefined, shop.cookie);
      if (saved.status === 201)
        await api(app.url, 'DELETE', `/api/webhooks/${(saved.body as { id: string }).id}`, undefined, shop.cookie);
    }
    const figures = { forms: hosts.length, refusedAtSave, refusedAtSend, reachedReceiver: rx.seen.size };
    return {
      scenario: '7. SSRF forms (save and send time)',
      result: refusedAtSave === hosts.length && refusedAtSend === hosts.length && rx.seen.size === 0 ? 'pass' : 'FAIL',
      figures,
    };
  } finally {
    await stopApp(app);
    await rx.stop();
  }
}
