import { type ChildProcess, spawn } from 'node:child_process';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { AppModule } from '../src/app.module.js';
import { configureApp } from '../src/app.setup.js';
import { ensureTraversable } from '../src/database/data-dir-access.js';
import { ensureDatabase, startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { freePort } from '../scripts/lib/free-port.js';

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A fresh database: on DATABASE_URL's server when set, else on an embedded server under .data/bench-postgres. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void>; stop: () => Promise<void> }> {
  const name = `sokohub_bench_${Date.now()}`;
  let admin = process.env.DATABASE_URL;
  let stop = async () => undefined as void;
  if (!admin) {
    const dir = join(process.cwd(), '.data', 'bench-postgres');
    if (process.getuid?.() === 0) ensureTraversable(dir, join(process.cwd(), '.data'));
    const server = await startEmbeddedPostgres(dir, 54339);
    admin = server.url('postgres');
    stop = server.stop;
  }
  const adminUrl = new URL(admin);
  adminUrl.pathname = '/postgres';
  await ensureDatabase(adminUrl.toString(), name);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  // drop: this database only (a second one on the same server); stop: it and the embedded server.
  const drop = async () => {
    const client = new pg.Client({ connectionString: adminUrl.toString() });
    await client.connect();
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.end();
  };
  return {
    url: url.toString(),
    drop,
    stop: async () => {
      await drop();
      await stop();
    },
  };
}

/**
 * Gives the planner statistics of the tables the warm-up filled, as a running database has them (autovacuum analyzes
 * a table after it changed by a tenth, checking once a minute). Without them, it chose an order's open-orders count
 * by the wrong index (the shop's pending orders filtered by phone: every pending order of the shop read per order).
 */
export async function analyze(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

/**
 * Limits out of the way of the load (their own tests prove them); cookies over plain loopback HTTP; the load generator
 * trusted as a proxy, so that order loads can give each buyer an address of their own (real buyers are not all behind
 * one address, and one address's open orders are counted while the shop's hot rows are locked).
 */
const OUT_OF_THE_WAY = {
  TRUST_PROXY: 'loopback',
  RATE_LIMIT_PER_MINUTE: '100000000',
  AUTH_RATE_LIMIT_PER_MINUTE: '100000',
  ORDER_RATE_LIMIT_PER_MINUTE: '100000000',
  ORDER_OPEN_PER_PHONE: '1000000',
  ORDER_OPEN_PER_ADDRESS: '1000000',
  ORDER_MAX_UNITS_PER_LINE: '1000',
  SIGNUP_PER_ADDRESS_PER_HOUR: '1000000',
  MPESA_CALLBACK_RATE_LIMIT_PER_MINUTE: '1000000',
  STK_PROMPTS_PER_PHONE_PER_HOUR: '1000',
  COOKIE_SECURE: 'false',
};

export async function bootBenchApp(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register({
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sokohub-bench-')),
      LOG_LEVEL: 'warn',
      ...OUT_OF_THE_WAY,
      ...env,
    }),
    { logger: ['error', 'warn'] },
  );
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  return app;
}

export function appUrl(app: NestExpressApplication): string {
  return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
}

/** A keep-alive loopback receiver answering 200; `onRequest` sees each request's headers and arrival time. */
export async function receiver(
  onRequest: (req: IncomingMessage, at: number) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      onRequest(req, performance.now());
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Writes a result file with the machine it was measured on. */
export function writeResults(name: string, results: Record<string, unknown>): void {
  const file = `bench/results-${name}.json`;
  writeFileSync(
    file,
    JSON.stringify(
      {
        machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
        ...results,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`written ${file}`);
}

/** Runs a bench's main and exits (open handles of the app must not keep the process alive). */
export function runBench(main: () => Promise<void>): void {
  void main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

export interface ChildServer {
  url: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/**
 * Starts a server script (built, under dist/) in its own process on a free loopback port and waits until `readyPath`
 * answers 2xx: the app and the baselines are measured the same way, each with its own event loop.
 */
export async function startServer(
  script: string,
  env: Record<string, string>,
  readyPath: string,
  nodeArgs: string[] = [],
): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    const ok = await fetch(`${url}${readyPath}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`${script} did not answer ${readyPath} in time`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The app as it runs in production (`dist/src/main.js`, or another build's main given as `script` or in `BENCH_APP`,
 * to run a whole bench against an earlier build), in its own process, limits out of the way of the load.
 */
export function startAppProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
  script = process.env.BENCH_APP ?? 'dist/src/main.js',
): Promise<ChildServer> {
  return startServer(
    script,
    {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sokohub-bench-')),
      JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-0123456789',
      SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
      // BENCH_LOG_LEVEL=warn measures the app without its request log line.
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      ...OUT_OF_THE_WAY,
      ...env,
    },
    '/health',
    nodeArgs,
  );
}
