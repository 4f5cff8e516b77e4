import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../../scripts/lib/free-port.js';
import { waitFor } from '../support/receiver.js';
import { bootApp, type TestApp } from '../support/test-app.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Shared limits need a Redis: .ci/run starts one where none answers on 127.0.0.1:6379. */
describe('Rate limits shared through Redis (e2e, real Redis)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys('sokohub:rl:*');
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    const env = { REDIS_URL, RATE_LIMIT_PER_MINUTE: '6' };
    a = await bootApp(env);
    b = await bootApp(env, { databaseUrl: a.databaseUrl });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('counts one limit across two instances: the seventh request of the minute is refused on either', async () => {
    await new Promise((r) => setTimeout(r, 200)); // both connected
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await (i % 2 ? b : a).http.get('/api/webhooks/events')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    const refused = await a.http.get('/api/webhooks/events').expect(429);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await b.http.get('/api/webhooks/events').expect(429);
    const metrics = await a.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^rate_limit_store_shared 1$/m);
  });

  it('keeps answering when Redis is not there, counting in its own memory and saying so', async () => {
    const lone = await bootApp({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_PER_MINUTE: '3' });
    try {
      for (let i = 0; i < 3; i++) await lone.http.get('/api/webhooks/events').expect(200);
      await lone.http.get('/api/webhooks/events').expect(429);
      const metrics = await lone.http.get('/metrics').expect(200);
      expect(metrics.text).toMatch(/^rate_limit_store_shared 0$/m);
    } finally {
      await lone.close();
    }
  });

  it('goes on answering when Redis goes away mid-run, and counts in Redis again once it is back', async () => {
    const port = await freePort();
    const start = (): ChildProcess =>
      spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    let server = start();
    const app = await bootApp({ REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_PER_MINUTE: '1000' });
    const shared = async () => /^rate_limit_store_shared 1$/m.test((await app.http.get('/metrics')).text);
    try {
      await waitFor(shared, 5000, 'Redis connected');
      await app.http.get('/api/webhooks/events').expect(200);
      server.kill('SIGKILL');
      await waitFor(async () => !(await shared()), 5000, 'Redis seen gone');
      await app.http.get('/api/webhooks/events').expect(200);
      server = start();
      await waitFor(shared, 10_000, 'Redis back');
      await app.http.get('/api/webhooks/events').expect(200);
    } finally {
      server.kill('SIGKILL');
      await app.close();
    }
  });
});
