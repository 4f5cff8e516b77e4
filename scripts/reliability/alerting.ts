import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { api, freePort, newShop, startApp, stopApp, until } from './harness.js';
import { CountingReceiver } from './receiver.js';
import type { Figure } from './scenarios.js';

const ALERT = 'SokoHubDeliveryBacklogGrowing';
const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

interface Rule {
  alert: string;
  expr: string;
  for?: string;
}

/**
 * deploy/prometheus/alerts.yml with the backlog alert's clock run 30 times faster (5 minutes become 10 seconds, in
 * its threshold, its window and its `for:`); its logic is the file's own.
 */
function scaledRules(): string {
  const doc = parse(readFileSync('deploy/prometheus/alerts.yml', 'utf8')) as { groups: { rules: Rule[] }[] };
  const rule = doc.groups.flatMap((g) => g.rules).find((r) => r.alert === ALERT);
  if (!rule) throw new Error(`${ALERT} is not in alerts.yml`);
  rule.expr = rule.expr.replace('> 300', '> 10').replace('[5m:30s]', '[10s:1s]');
  rule.for = '10s';
  return stringify(doc);
}

interface PromAlert {
  labels: { alertname: string };
  state: 'pending' | 'firing';
}

/**
 * 13. A real Prometheus (Debian's) scrapes the app every second with alerts.yml loaded: a receiver goes down while
 * orders keep coming, the backlog alert must fire within its threshold + `for:` window (plus scrape slack), and
 * resolve once the receiver is back and the backlog is delivered.
 */
export async function alerting(db: string, orders: number): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'sokohub-prom-'));
  const rx = await new CountingReceiver().start();
  const app = await startApp(db, {
    // 20 attempts 3 s apart outlast the outage: every order is still delivered once the receiver is back.
    WEBHOOK_RETRY_DELAYS_MS: '3000',
    WEBHOOK_MAX_ATTEMPTS: '20',
    WEBHOOK_DISABLE_AFTER_FAILURES: '100000',
  });
  const promPort = await freePort();
  const prom = `http://127.0.0.1:${promPort}`;
  writeFileSync(join(dir, 'alerts.yml'), scaledRules());
  writeFileSync(
    join(dir, 'prometheus.yml'),
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: ['alerts.yml'],
      scrape_configs: [{ job_name: 'sokohub', static_configs: [{ targets: [new URL(app.url).host] }] }],
    }),
  );
  const server = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ],
    { stdio: 'ignore' },
  );
  const alertState = async (): Promise<string> => {
    const res = await fetch(`${prom}/api/v1/alerts`);
    const body = (await res.json()) as { data: { alerts: PromAlert[] } };
    return body.data.alerts.find((a) => a.labels.alertname === ALERT)?.state ?? 'inactive';
  };
  try {
    await until(async () => (await fetch(`${prom}/-/ready`).catch(() => undefined))?.ok, 30_000, 'Prometheus');
    const shop = await newShop(app.url);
    await api(app.url, 'POST', '/api/webhooks', { url: rx.url, events: ['ORDER_CREATED'] }, shop.cookie);
    const product = await api<{ id: string }>(
      app.url,
      'POST',
      '/api/products',
      { name: 'Kanga', priceKes: 700, stock: 1_000_000 },
      shop.cookie,
    );
    const order = () =>
      api(app.url, 'POST', '/api/orders', {
        storeSlug: shop.storeSlug,
        customerName: 'Njeri',
        customerPhone: '0711000222',
        deliveryMethod: 'PICKUP',
        paymentMethod: 'CASH_ON_DELIVERY',
        items: [{ productId: product.body.id, quantity: 1 }],
      });
    await order();
    await until(() => rx.receivedIds().length === 1, 10_000, 'the first delivery');
    const quietState = await alertState();

    // The receiver goes down while orders keep coming, one every 400 ms.
    const port = rx.port;
    await rx.stop();
    const downAt = Date.now();
    let placed = 1;
    let ordering = true;
    const orderLoop = (async () => {
      while (ordering && placed < orders) {
        await order();
        placed++;
        await new Promise((r) => setTimeout(r, 400));
      }
    })();
    await until(async () => (await alertState()) === 'firing', 90_000, 'the backlog alert to fire');
    const firedAfterS = (Date.now() - downAt) / 1000;

    // Back up: the backlog drains, the alert resolves.
    ordering = false;
    await orderLoop;
    await rx.start(port);
    const upAt = Date.now();
    await until(async () => (await alertState()) === 'inactive', 90_000, 'the backlog alert to resolve');
    const resolvedAfterS = (Date.now() - upAt) / 1000;
    await until(() => rx.receivedIds().length >= placed, 60_000, 'every order delivered');
    // Threshold 10 s + for 10 s, scraped and evaluated every second: 30 s leaves room for a slow box, not a wrong rule.
    const window = 10 + 10 + 30;
    const figures = {
      quietBefore: quietState,
      firedAfterS: Number(firedAfterS.toFixed(1)),
      allowedS: window,
      resolvedAfterS: Number(resolvedAfterS.toFixed(1)),
      ordersPlaced: placed,
      delivered: rx.receivedIds().length,
    };
    const pass = quietState === 'inactive' && firedAfterS <= window && figures.delivered >= placed;
    return { scenario: '13. alerting with a real Prometheus', result: pass ? 'pass' : 'FAIL', figures };
  } finally {
    server.kill('SIGTERM');
    await stopApp(app);
    await rx.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
