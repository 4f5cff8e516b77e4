import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dumpDatabase, restoreDatabase } from '../lib/pg-dump.js';
import { Client } from './balanced.js';
import { type LoadSetup, runLoad, setUpShop, sleep } from './db-load.js';
import { type AppProcess, startApp, stopApp } from './harness.js';
import { PgServer } from './pg-server.js';
import type { Figure } from './scenarios.js';

/**
 * 12. A backup taken under load (`npm run backup`'s pg_dump), restored into a fresh server: every order and payment
 * acknowledged before the backup started is there, every event delivered before it is there, and the app starts on
 * the restored database and takes orders.
 */
export async function backupRestore(seconds: number): Promise<Figure> {
  const source = await PgServer.create('s12-source');
  source.start();
  await source.query('create database sokohub');
  const target = await PgServer.create('s12-restore');
  target.start();
  await target.query('create database sokohub');
  const dir = mkdtempSync(join(tmpdir(), 'sokohub-backup-'));
  const apps: AppProcess[] = [];
  let setup: LoadSetup | undefined;
  try {
    const app = await startApp(source.url('sokohub'), { WEBHOOK_WORKER_INTERVAL_MS: '200' });
    apps.push(app);
    setup = await setUpShop(app.url);
    const payments = await paidOrders(app.url, setup, 20);
    let backupAt = 0;
    let dump = { file: '', bytes: 0, ms: 0 };
    let receivedBefore: string[] = [];
    const operator = async () => {
      await sleep(seconds * 500);
      receivedBefore = setup!.rx.receivedIds();
      backupAt = Date.now();
      dump = await dumpDatabase(source.url('sokohub'), join(dir, 'sokohub.dump'));
    };
    const load = await runLoad(app.url, setup, seconds, operator);
    const restoreStarted = Date.now();
    await restoreDatabase(dump.file, target.url('sokohub'));
    const restoreMs = Date.now() - restoreStarted;
    const q = <T>(sql: string, params: unknown[] = []) => target.query<T>(sql, params, 'sokohub');
    const restoredOrders = new Set((await q<{ id: string }>('select id from orders')).map((r) => r.id));
    const before = [...load.ackedAt].filter(([, at]) => at < backupAt).map(([id]) => id);
    const restoredPayments = new Set((await q<{ id: string }>('select id from payments')).map((r) => r.id));
    const restoredEvents = new Set((await q<{ id: string }>('select id from webhook_events')).map((r) => r.id));
    // The app starts on the restored copy (migrations already there) and takes an order.
    const restored = await startApp(target.url('sokohub'), { WEBHOOK_WORKER_INTERVAL_MS: '200' });
    apps.push(restored);
    const ready = (await fetch(`${restored.url}/health/ready`)).status;
    const client = new Client(restored.url, '127.0.0.1');
    const order = await client.send('POST', '/api/orders', {
      storeSlug: setup.shop.storeSlug,
      customerName: 'After the restore',
      customerPhone: '0799000111',
      deliveryMethod: 'PICKUP',
      paymentMethod: 'CASH_ON_DELIVERY',
      items: [{ productId: setup.productId, quantity: 1 }],
    });
    client.close();
    const figures = {
      seconds,
      ordersAcknowledged: load.ackedAt.size,
      ordersAcknowledgedBeforeBackup: before.length,
      ordersMissingAfterRestore: before.filter((id) => !restoredOrders.has(id)).length,
      ordersInBackup: restoredOrders.size,
      paymentsBeforeBackup: payments.length,
      paymentsMissingAfterRestore: payments.filter((id) => !restoredPayments.has(id)).length,
      eventsDeliveredBeforeBackup: receivedBefore.length,
      eventsMissingAfterRestore: receivedBefore.filter((id) => !restoredEvents.has(id)).length,
      backupBytes: dump.bytes,
      backupMs: dump.ms,
      restoreMs,
      restoredAppReady: ready,
      orderOnRestoredApp: order.status,
      loadAnswers: JSON.stringify(load.byStatus),
    };
    const ok =
      before.length > 0 &&
      figures.ordersMissingAfterRestore === 0 &&
      figures.paymentsMissingAfterRestore === 0 &&
      figures.eventsMissingAfterRestore === 0 &&
      receivedBefore.length > 0 &&
      ready === 200 &&
      order.status === 201;
    return { scenario: '12. backup under load, restored', result: ok ? 'pass' : 'FAIL', figures };
  } finally {
    for (const a of apps) await stopApp(a);
    await setup?.rx.stop();
    source.destroy();
    target.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `n` M-Pesa orders paid by hand (a till receipt the seller typed): payment ids. */
async function paidOrders(base: string, setup: LoadSetup, n: number): Promise<string[]> {
  const client = new Client(base, '127.0.0.1');
  const ids: string[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const order = await client.send('POST', '/api/orders', {
        storeSlug: setup.shop.storeSlug,
        customerName: `Payer ${i}`,
        customerPhone: `07${String(30_000_000 + i).slice(-8)}`,
        deliveryMethod: 'PICKUP',
        paymentMethod: 'MPESA',
        items: [{ productId: setup.productId, quantity: 1 }],
      });
      const payment = await client.send(
        'POST',
        `/api/orders/${String(order.body.id)}/payments`,
        { mpesaReceipt: `QB${String(10_000_000 + i)}`, amountKes: Number(order.body.totalKes) },
        { Cookie: setup.shop.cookie },
      );
      if (payment.status !== 201) throw new Error(`a manual payment was refused: ${payment.status}`);
      ids.push(String(payment.body.id));
    }
  } finally {
    client.close();
  }
  return ids;
}
