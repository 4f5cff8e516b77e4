import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { registerSeller, type SellerSession } from '../support/factories.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { createEndpoint } from '../support/webhook-helpers.js';

/** One metric's samples from the exposition text: `name{labels} value`. */
function samples(text: string, name: string): { labels: string; value: number }[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .map((l) => {
      const m = /^[^{ ]+(\{[^}]*\})? (\S+)$/.exec(l)!;
      return { labels: m[1] ?? '', value: Number(m[2]) };
    });
}

describe('Operator metrics (e2e): /metrics answers the questions operators ask', () => {
  let t: TestApp;
  let rx: Receiver;
  let s: SellerSession;

  beforeAll(async () => {
    rx = await startReceiver();
    t = await bootApp({
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_WORKER_INTERVAL_MS: '100',
      AUTH_RATE_LIMIT_PER_MINUTE: '3',
    });
    s = await registerSeller(t.http);
  });

  afterAll(async () => {
    await rx.close();
    // The harness bounds an app's close (test/support/test-app.ts); SIGTERM shutdown with Prometheus scraping every
    // second is proven by reliability scenario 13.
    await t.close();
  });

  it('counts deliveries, their lag, orders placed and refused, rate-limit refusals, the pool and the backlogs', async () => {
    await createEndpoint(t.http, s, `${rx.url}/ops`);
    const product = await createProduct(t.http, s, { stock: 1 });
    const items = [{ productId: product.id, quantity: 1 }];
    await t.http
      .post('/api/orders')
      .send(orderBody(s, items, { paymentMethod: 'CASH_ON_DELIVERY' }))
      .expect(201);
    // The only unit is gone: refused for stock.
    await t.http.post('/api/orders').send(orderBody(s, items)).expect(409);
    for (let i = 0; i < 4; i++)
      await t.http.post('/api/auth/login').send({ email: 'nobody@example.co.ke', password: 'wrong-password' });
    const deadline = Date.now() + 10_000;
    while (!rx.requests.some((r) => r.path === '/ops') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));

    const text = (await t.http.get('/metrics').expect(200)).text;
    expect(samples(text, 'webhook_delivery_lag_seconds_count')[0].value).toBeGreaterThanOrEqual(1);
    expect(samples(text, 'webhook_delivery_attempts_total')).toContainEqual({
      labels: '{outcome="succeeded"}',
      value: 1,
    });
    expect(samples(text, 'webhook_delivery_responses_total')).toContainEqual({
      labels: '{status_class="2xx"}',
      value: 1,
    });
    expect(samples(text, 'orders_placed_total')).toContainEqual({
      labels: '{payment_method="CASH_ON_DELIVERY",source="storefront"}',
      value: 1,
    });
    expect(samples(text, 'orders_refused_total')).toContainEqual({
      labels: '{reason="stock",source="storefront"}',
      value: 1,
    });
    expect(samples(text, 'rate_limit_refusals_total')).toContainEqual({ labels: '{limit="auth"}', value: 1 });
    expect(samples(text, 'db_pool_connections').map((x) => x.labels)).toEqual(['{state="in_use"}', '{state="idle"}']);
    // Sampled while the scrape's own statements run: a count, not necessarily 0.
    expect(samples(text, 'db_pool_waiting_requests')).toEqual([{ labels: '', value: expect.any(Number) }]);
    expect(samples(text, 'webhook_deliveries_parked')).toEqual([{ labels: '', value: 0 }]);
    expect(samples(text, 'webhook_deliveries_pending')).toHaveLength(1);
    expect(samples(text, 'webhook_oldest_pending_delivery_age_seconds')).toHaveLength(1);
    expect(samples(text, 'webhook_oldest_due_delivery_age_seconds')).toHaveLength(1);
    expect(samples(text, 'webhook_endpoints_disabled')).toContainEqual({ labels: '{kind="seller"}', value: 0 });
    expect(samples(text, 'mpesa_payments_waiting').map((x) => x.labels)).toEqual([
      '{state="pending_past_query"}',
      '{state="flagged"}',
      '{state="unmatched"}',
    ]);
    expect(samples(text, 'sokohub_ready')).toEqual([{ labels: '', value: 1 }]);
    expect(text).toContain('# HELP mpesa_confirmation_lag_seconds From the STK push to the payment being decided');

    // Every metric the alerts and the Grafana dashboard read is one this app exports (a renamed metric fails here).
    const exported = new Set(
      [...text.matchAll(/^# TYPE (\w+) (\w+)$/gm)].flatMap(([, name, type]) =>
        type === 'histogram' ? [name, `${name}_bucket`, `${name}_count`, `${name}_sum`] : [name],
      ),
    );
    const rules = parse(readFileSync('deploy/prometheus/alerts.yml', 'utf8')) as {
      groups: { rules: { expr: string }[] }[];
    };
    const dashboard = JSON.parse(readFileSync('deploy/grafana/sokohub.json', 'utf8')) as {
      panels: { targets?: { expr: string }[] }[];
    };
    const exprs = [
      ...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)),
      ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((x) => x.expr)),
    ];
    const FUNCTIONS = new Set(['histogram_quantile', 'clamp_min', 'label_values']);
    const used = exprs.flatMap((e) =>
      [
        ...e
          .replace(/\{[^}]*\}/g, '')
          .replace(/\bby \([^)]*\)/g, '')
          .matchAll(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g),
      ]
        .map((m) => m[0])
        .filter((n) => !FUNCTIONS.has(n)),
    );
    expect(used.length).toBeGreaterThan(30);
    expect([...new Set(used)].filter((n) => !exported.has(n))).toEqual([]);

    // No label carries an unbounded value: no shop, no id, no URL.
    const labels = text.split('\n').filter((l) => !l.startsWith('#') && l.includes('{'));
    for (const line of labels) expect(line).not.toMatch(/sel_|prod_|ord_|wh_|https?:|127\.0\.0\.1/);
  });
});
