import {
  cpuSeconds,
  type LoadOutcome,
  type LoadSetup,
  runLoad,
  servedAgainAt,
  setUpShop,
  sleep,
  watchReadiness,
} from './db-load.js';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { haproxyBinary } from './balanced.js';
import { type AppProcess, freePort, query, startApp, stopApp, until } from './harness.js';
import { PgServer } from './pg-server.js';
import type { Figure } from './scenarios.js';

const DOWN_MS = 10_000;

/** What every database scenario counts once the load is over (lost, duplicated, undelivered, answers) and whether it is clean. */
async function settle(server: PgServer, setup: LoadSetup, load: LoadOutcome) {
  const q = <T>(sql: string, params: unknown[]) => server.query<T>(sql, params, 'sokohub');
  const events = await q<{ id: string; name: string }>(
    "select id, name from webhook_events where seller_id = $1 and name in ('ORDER_CREATED', 'PRODUCT_UPDATED')",
    [setup.shop.sellerId],
  );
  const ids = events.map((e) => e.id);
  await until(() => setup.rx.lostOf(ids) === 0, 60_000, 'every event delivered').catch(() => undefined);
  const orders = await q<{ id: string; key: string }>(
    'select id, idempotency_key as key from orders where seller_id = $1',
    [setup.shop.sellerId],
  );
  const stored = new Set(orders.map((o) => o.id));
  const acknowledgedIds = [...load.acknowledged.values()].flatMap((s) => [...s]);
  const keys = new Set(orders.map((o) => o.key));
  const figures = {
    ordersAcknowledged: acknowledgedIds.length,
    ordersLost: acknowledgedIds.filter((id) => !stored.has(id)).length,
    ordersDuplicated: orders.length - keys.size + [...load.acknowledged.values()].filter((s) => s.size > 1).length,
    ordersWithoutEvent: orders.length - events.filter((e) => e.name === 'ORDER_CREATED').length,
    events: ids.length,
    eventsLost: setup.rx.lostOf(ids),
    sellerWrites: load.sellerWrites,
    answers: JSON.stringify(load.byStatus),
    answersNot2xxOr503Envelope: load.badAnswers.join(' | ') || 'none',
    noAnswerOrHang: load.noAnswer,
    gaveUp: load.gaveUp,
  };
  // Nothing acknowledged lost or doubled, every event delivered, every answer a success or a 503 in the envelope.
  const clean =
    figures.ordersLost === 0 &&
    figures.ordersDuplicated === 0 &&
    figures.ordersWithoutEvent === 0 &&
    figures.eventsLost === 0 &&
    load.badAnswers.length === 0 &&
    figures.noAnswerOrHang === 0 &&
    figures.gaveUp === 0;
  return { figures, clean };
}

/**
 * 10. One instance under orders, seller writes and deliveries; its PostgreSQL is stopped (fast shutdown), left down
 * for 10 s and started again. While down: 503s in the envelope, readiness 503, no hang, no spinning. After: the same
 * process serves again without a restart, nothing acknowledged is lost or duplicated, every event is delivered.
 */
export async function databaseRestart(seconds: number): Promise<Figure> {
  const server = await PgServer.create('s10');
  server.start();
  await server.query('create database sokohub');
  let app: AppProcess | undefined;
  let setup: LoadSetup | undefined;
  let running = true;
  try {
    app = await startApp(server.url('sokohub'), { WEBHOOK_WORKER_INTERVAL_MS: '200', MPESA_JOBS_ENABLED: 'true' });
    const started = app;
    setup = await setUpShop(app.url);
    const readiness = watchReadiness(app, () => running);
    let stoppedAt = 0;
    let startedAt = 0;
    let cpuWhileDown = 0;
    const operator = async () => {
      await sleep(seconds * 300);
      stoppedAt = Date.now();
      server.stop('fast');
      const cpu0 = cpuSeconds(started.child.pid!);
      await sleep(DOWN_MS);
      cpuWhileDown = cpuSeconds(started.child.pid!) - cpu0;
      server.start();
      startedAt = Date.now();
    };
    const load = await runLoad(app.url, setup, seconds, operator);
    await sleep(1000);
    running = false;
    const ready = await readiness;
    const counted = await settle(server, setup, load);
    const back = servedAgainAt(load.timeline, startedAt);
    const readyAgain = ready.find(([t, s]) => t >= startedAt && s === 200)?.[0];
    const figures = {
      seconds,
      downSeconds: DOWN_MS / 1000,
      ...counted.figures,
      readiness503WhileDown: ready.some(([t, s]) => t > stoppedAt + 500 && t < startedAt && s === 503) ? 'yes' : 'no',
      readinessBackMs: readyAgain ? readyAgain - startedAt : -1,
      writesServedAgainMs: back ? back - startedAt : -1,
      appCpuWhileDownPct: Math.round((cpuWhileDown / (DOWN_MS / 1000)) * 100),
      sameProcess: app.child.exitCode === null ? 'yes' : 'no',
    };
    const ok =
      counted.clean &&
      figures.readiness503WhileDown === 'yes' &&
      figures.readinessBackMs >= 0 &&
      figures.writesServedAgainMs >= 0 &&
      figures.writesServedAgainMs < 10_000 &&
      figures.appCpuWhileDownPct < 50 &&
      figures.sameProcess === 'yes' &&
      (load.byStatus[503] ?? 0) > 0;
    return { scenario: '10. database restart under load', result: ok ? 'pass' : 'FAIL', figures };
  } finally {
    running = false;
    if (app) await stopApp(app);
    await setup?.rx.stop();
    server.destroy();
  }
}

/**
 * 11. A primary and a synchronous streaming standby behind deploy/haproxy-postgres.cfg (the app's DATABASE_URL is
 * HAProxy's address). Under load the primary gets SIGKILL; after 2 s (what Patroni's leader check would take) the
 * standby is promoted, and HAProxy's check finds it. Counted: every order answered 201 is on the new primary with its
 * outbox event and is delivered, none twice; how long writes were refused.
 */
export async function failover(seconds: number): Promise<Figure> {
  const primary = await PgServer.create('s11-primary', { wal_keep_size: "'256MB'" });
  primary.start();
  await primary.query('create database sokohub');
  const standby = await PgServer.standbyOf(primary, 's11-standby');
  standby.start();
  // Synchronous from here on: a commit is acknowledged only once the standby has it. (Set after the standby exists:
  // earlier, every commit would wait for a standby that is not there yet.)
  await primary.query("alter system set synchronous_standby_names = '*'");
  await primary.query('select pg_reload_conf()');
  await until(
    async () =>
      (await primary.query<{ s: string }>('select sync_state as s from pg_stat_replication'))[0]?.s === 'sync',
    30_000,
    'the standby to be synchronous',
  );
  const [lbPort] = [await freePort()];
  const lb: ChildProcess = spawn(haproxyBinary(), ['-f', 'deploy/haproxy-postgres.cfg', '-db'], {
    env: {
      ...process.env,
      SOKOHUB_PG_BIND: `127.0.0.1:${lbPort}`,
      SOKOHUB_PG1: `127.0.0.1:${primary.port}`,
      SOKOHUB_PG2: `127.0.0.1:${standby.port}`,
      SOKOHUB_PG_CHECK: join(process.cwd(), 'deploy', 'pg-is-primary.sh'),
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const viaProxy = `postgresql://postgres@127.0.0.1:${lbPort}/sokohub`;
  let app: AppProcess | undefined;
  let setup: LoadSetup | undefined;
  try {
    await until(
      () =>
        query(viaProxy, 'select 1').then(
          () => true,
          () => false,
        ),
      20_000,
      'HAProxy to the primary',
    );
    app = await startApp(viaProxy, { WEBHOOK_WORKER_INTERVAL_MS: '200' });
    setup = await setUpShop(app.url);
    let killedAt = 0;
    let promotedAt = 0;
    const operator = async () => {
      await sleep(seconds * 300);
      killedAt = Date.now();
      primary.kill();
      await sleep(2000);
      standby.promote();
      promotedAt = Date.now();
    };
    const load = await runLoad(app.url, setup, seconds, operator);
    const counted = await settle(standby, setup, load);
    const back = servedAgainAt(load.timeline, killedAt);
    const figures = {
      seconds,
      ...counted.figures,
      promotedAfterMs: promotedAt - killedAt,
      writesRefusedMs: back ? back - killedAt : -1,
      writesServedAfterPromotionMs: back ? back - promotedAt : -1,
      sameProcess: app.child.exitCode === null ? 'yes' : 'no',
    };
    const ok = counted.clean && figures.writesRefusedMs >= 0 && figures.sameProcess === 'yes';
    return { scenario: '11. primary killed, standby promoted', result: ok ? 'pass' : 'FAIL', figures };
  } finally {
    if (app) await stopApp(app);
    await setup?.rx.stop();
    lb.kill('SIGTERM');
    primary.destroy();
    standby.destroy();
  }
}
