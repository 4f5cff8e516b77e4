import { Pool } from 'undici';
import { signRequest } from '../../src/webhooks/signer.js';

/**
 * The delivery baseline, in its own process: an undici keep-alive pool POSTing signed JSON (the same signing and
 * body as a webhook) to the same receiver, `count` requests at `concurrency`. Prints `{"perSec": n, "cpuUsPerPost": µs}` (its own CPU per POST).
 * Usage: node dist/bench/baselines/undici-post.js <url> <secret> <count> <concurrency>
 */
async function main(): Promise<void> {
  const [url, secret, countArg, concurrencyArg] = process.argv.slice(2);
  const count = Number(countArg);
  const concurrency = Number(concurrencyArg);
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: concurrency, pipelining: 1 });
  const body = JSON.stringify({
    event: 'ORDER_CREATED',
    sellerId: 'sel_baseline',
    timestamp: new Date().toISOString(),
    data: { orderId: 'ord_baseline', referenceCode: 'SKH-2025-00001', status: 'PENDING', totalKes: 4500 },
  });
  let sent = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < count) {
        sent++;
        const res = await pool.request({
          path: target.pathname,
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            ...signRequest(body, `evt_baseline_${sent}`, new Date(), secret),
          },
        });
        await res.body.dump();
      }
    }),
  );
  const perSec = count / ((performance.now() - t0) / 1000);
  const cpu = process.cpuUsage(cpu0);
  await pool.close();
  console.log(
    JSON.stringify({ perSec: Math.round(perSec), cpuUsPerPost: Math.round((cpu.user + cpu.system) / count) }),
  );
}

void main();
