import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, newShop, startApp, stopApp, until, type AppProcess } from '../../scripts/reliability/harness.js';
import { attr, type OtlpReceiver, type OtlpSpan, startOtlpReceiver } from '../support/otlp-receiver.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { createTestDatabase } from '../support/test-database.js';

const SERVER = 2;
const PRODUCER = 4;

/**
 * The built app (dist, started as `npm start` starts it) with the standard OTEL_* variables pointing at a local OTLP
 * receiver: one order's story from the request that placed it to the webhook attempt that carried it.
 */
describe('Tracing (e2e): OpenTelemetry from the order request to the receiver', () => {
  let db: { url: string; drop: () => Promise<void> };
  let otlp: OtlpReceiver;
  let rx: Receiver;
  const logFile = join(mkdtempSync(join(tmpdir(), 'sokohub-trace-')), 'app.log');

  const otel = (protocol: string) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_SERVICE_NAME: 'sokohub-e2e',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_WORKER_INTERVAL_MS: '100',
    LOG_LEVEL: 'info',
  });

  beforeAll(async () => {
    if (!existsSync('dist/src/telemetry/preload.js')) throw new Error('run npm run build:server first (npm test does)');
    db = await createTestDatabase();
    otlp = await startOtlpReceiver();
    rx = await startReceiver();
  });

  afterAll(async () => {
    await rx.close();
    await otlp.close();
    await db.drop();
  });

  it('follows an order through its statements and the outbox to the delivery, linked, with traceparent sent', async () => {
    const app = await startApp(db.url, otel('http/json'), { logFile });
    try {
      await followOneOrder(app);
    } finally {
      await stopApp(app);
    }
  });

  async function followOneOrder(app: AppProcess): Promise<void> {
    const shop = await newShop(app.url);
    const hook = await api<{ id: string }>(
      app.url,
      'POST',
      '/api/webhooks',
      { url: `${rx.url}/traced`, events: ['ORDER_CREATED'] },
      shop.cookie,
    );
    const product = await api<{ id: string }>(
      app.url,
      'POST',
      '/api/products',
      { name: 'Kiondo', priceKes: 900, stock: 5 },
      shop.cookie,
    );
    const order = await api<{ id: string; referenceCode: string }>(app.url, 'POST', '/api/orders', {
      storeSlug: shop.storeSlug,
      customerName: 'Achieng Otieno',
      customerPhone: '0722111222',
      deliveryMethod: 'PICKUP',
      paymentMethod: 'CASH_ON_DELIVERY',
      items: [{ productId: product.body.id, quantity: 1 }],
    });
    expect(order.status).toBe(201);

    const received = await until(() => rx.requests.find((r) => r.path === '/traced'), 15_000, 'the webhook');
    const placing = await until(
      () =>
        otlp.spans.find(
          (s) => s.kind === SERVER && (attr(s, 'http.route') === '/api/orders' || s.name === 'POST /api/orders'),
        ),
      15_000,
      'the order request span',
    );
    const traceId = placing.traceId;
    const inTrace = () => otlp.spans.filter((s) => s.traceId === traceId);
    const delivery = await until(
      () => inTrace().find((s) => s.name === 'webhook deliver' && s.kind === PRODUCER),
      15_000,
      'the delivery span',
    );

    // The request's statements, the outbox row among them, are in the order's trace.
    const statements = inTrace().filter((s) => (attr(s, 'db.system.name') ?? attr(s, 'db.system')) === 'postgresql');
    const sql = (s: OtlpSpan) => attr(s, 'db.statement') ?? attr(s, 'db.query.text') ?? '';
    expect(statements.some((s) => /insert into webhook_events/i.test(sql(s)))).toBe(true);
    expect(statements.some((s) => /insert into "?orders"?/i.test(sql(s)))).toBe(true);

    // The delivery ran later in the engine: same trace, and a span link back to the request that made the event.
    expect(delivery.links?.[0]?.traceId).toBe(traceId);
    expect(attr(delivery, 'sokohub.event')).toBe('ORDER_CREATED');
    expect(attr(delivery, 'sokohub.outcome')).toBe('succeeded');

    // The receiver continues the same trace, and the attempt's recorded headers show what was sent.
    const traceparent = String(received.headers.traceparent);
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    expect(traceparent.split('-')[1]).toBe(traceId);
    const log = await api<{ data: { id: string }[] }>(
      app.url,
      'GET',
      `/api/webhooks/${hook.body.id}/deliveries`,
      undefined,
      shop.cookie,
    );
    const detail = await api<{ attemptLog: { requestHeaders: Record<string, string> }[] }>(
      app.url,
      'GET',
      `/api/webhooks/${hook.body.id}/deliveries/${log.body.data[0].id}`,
      undefined,
      shop.cookie,
    );
    expect(detail.body.attemptLog[0].requestHeaders.traceparent.split('-')[1]).toBe(traceId);

    // Customers' data and secrets stay out of spans: statements keep their shape only, receivers only their host.
    const everything = JSON.stringify(otlp.spans);
    for (const value of ['Achieng Otieno', '254722111222', shop.storeSlug]) expect(everything).not.toContain(value);
    const urls = otlp.spans.flatMap((s) => [attr(s, 'http.url'), attr(s, 'url.full')]).filter(Boolean);
    expect(urls.some((u) => String(u).includes('/traced'))).toBe(false);

    // Log lines written inside the request carry its trace.
    await until(
      () => readFileSync(logFile, 'utf8').includes(`"trace_id":"${traceId}"`),
      5_000,
      'a log line with the trace id',
    );
    const line = readFileSync(logFile, 'utf8')
      .split('\n')
      .find((l) => l.includes(`"trace_id":"${traceId}"`));
    expect(JSON.parse(line!)).toMatchObject({ trace_id: traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });

    // Request lines say who asked for what, never with what: no session token, password or header.
    const written = readFileSync(logFile, 'utf8');
    expect(written).toContain('"url":"/api/products"');
    for (const secret of [shop.cookie.split('=')[1], 'reliability-pw', 'Cookie', 'cookie"'])
      expect(written).not.toContain(secret);
  }

  it('exports with http/protobuf too, and loads nothing when no OTEL_* variable is set', async () => {
    const before = otlp.bytes;
    let app = await startApp(db.url, otel('http/protobuf'));
    try {
      await api(app.url, 'GET', '/api/webhooks/events');
      await until(() => otlp.contentTypes.includes('application/x-protobuf'), 10_000, 'a protobuf export');
      expect(otlp.bytes).toBeGreaterThan(before);
    } finally {
      await stopApp(app);
    }

    const quiet = otlp.contentTypes.length;
    app = await startApp(db.url, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    try {
      const shop = await newShop(app.url);
      await api(app.url, 'GET', '/api/products', undefined, shop.cookie);
      await new Promise((r) => setTimeout(r, 500));
      expect(otlp.contentTypes.length).toBe(quiet);
    } finally {
      await stopApp(app);
    }
  });
});
