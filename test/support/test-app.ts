import { type INestApplication } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { type RawEnv } from '../../src/config/env.validation.js';
import { PayloadCheck } from './payload-check.js';
import { createTestDatabase } from './test-database.js';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  databaseUrl: string;
  dataDir: string;
  /** Every domain event this app emitted, checked against the catalogue's schemas; close() fails on a mismatch. */
  payloads: PayloadCheck;
  close: () => Promise<void>;
}

const CLOSE_WAIT_MS = 20_000;

/** Boots the real AppModule on a database of its own; one per test file. */
export async function bootApp(env: RawEnv = {}, options: { databaseUrl?: string } = {}): Promise<TestApp> {
  // A second instance on the same database (multi-instance tests) shares the first one's and leaves it in place.
  const db = options.databaseUrl
    ? { url: options.databaseUrl, drop: async () => undefined }
    : await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'sokohub-test-'));
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.register({
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        // Shared by every instance, as in production: a second instance on the same database must read the first
        // one's sessions and encrypted secrets.
        JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
        SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
        RATE_LIMIT_PER_MINUTE: '100000',
        AUTH_RATE_LIMIT_PER_MINUTE: '1000',
        // The public order limits get their own tests; elsewhere one test phone places many orders.
        ORDER_RATE_LIMIT_PER_MINUTE: '100000',
        ORDER_OPEN_PER_PHONE: '1000',
        ORDER_OPEN_PER_ADDRESS: '100000',
        ORDER_MAX_UNITS_PER_LINE: '1000',
        SIGNUP_PER_ADDRESS_PER_HOUR: '100000',
        MPESA_CALLBACK_RATE_LIMIT_PER_MINUTE: '100000',
        STK_PROMPTS_PER_PHONE_PER_HOUR: '1000',
        ...env,
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: false });
  configureApp(app);
  try {
    await app.init();
  } catch (error) {
    // An app that refuses to start (a test of that) leaves no pool, timer or directory behind.
    await app.close().catch(() => undefined);
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const payloads = new PayloadCheck(app);
  return {
    app,
    http: request(app.getHttpServer()),
    databaseUrl: db.url,
    dataDir,
    payloads,
    close: async () => {
      // Bounded: a close seen (rarely, under the whole suite on a loaded machine) still waiting on its pool after a
      // minute. The database is dropped with force next, which ends its connections, and the test file goes on.
      let timer: NodeJS.Timeout | undefined;
      const closed = await Promise.race([
        app.close().then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_WAIT_MS))),
      ]);
      clearTimeout(timer);
      if (!closed) console.warn(`app.close() still running after ${CLOSE_WAIT_MS} ms: dropping its database anyway`);
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
      payloads.assertValid();
    },
  };
}
