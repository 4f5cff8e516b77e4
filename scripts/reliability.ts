import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { freshDatabase } from '../bench/bench-support.js';
import { balanced } from './reliability/balanced.js';
import { alerting } from './reliability/alerting.js';
import { backupRestore } from './reliability/backup.js';
import { databaseRestart, failover } from './reliability/database.js';
import { fuzz } from './reliability/fuzz.js';
import { isolation } from './reliability/isolation.js';
import { crash, drain, type Figure, outage, oversell, ssrf, twoInstances } from './reliability/scenarios.js';

/**
 * `npm run test:reliability [-- --quick]`: each scenario runs real app processes (dist/src/main.js) against a real
 * PostgreSQL and loopback receivers, and prints its figures. `--quick` uses smaller counts.
 */
const quick = process.argv.includes('--quick');
/** `--only 5,6` runs just those scenarios (by number). */
const onlyArg = process.argv[process.argv.indexOf('--only') + 1];
const only = process.argv.includes('--only') ? new Set(onlyArg.split(',')) : undefined;

async function main(): Promise<void> {
  const db = await freshDatabase();
  const figures: Figure[] = [];
  const run = async (name: string, f: () => Promise<Figure>) => {
    if (only && !only.has(name.split('.')[0])) return;
    const t0 = Date.now();
    try {
      const result = await f();
      figures.push(result);
      console.log(
        `${result.result.padEnd(4)} ${result.scenario} ${JSON.stringify(result.figures)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
      );
    } catch (error) {
      figures.push({
        scenario: name,
        result: 'FAIL',
        figures: { error: error instanceof Error ? error.message : String(error) },
      });
      console.log(`FAIL ${name}: ${String(error)}`);
    }
  };
  try {
    await run('1. crash', () => crash(db.url, quick ? 2_000 : 10_000));
    await run('2. receiver outage', () => outage(db.url, quick ? 200 : 1_000));
    await run('3. two instances', () => twoInstances(db.url, quick ? 1_000 : 5_000));
    await run('4. oversell race', () => oversell(db.url, quick ? 5 : 20));
    await run('5. fuzz', () => fuzz(db.url, quick ? 5_000 : 12_000));
    await run('6. isolation matrix', () => isolation(db.url));
    await run('7. SSRF', () => ssrf(db.url));
    await run('8. drain', () => drain(db.url, quick ? 100 : 300));
    await run('9. balancer', () => balanced(db.url, quick ? 20 : 45));
    await run('10. database restart', () => databaseRestart(quick ? 20 : 40));
    await run('11. failover', () => failover(quick ? 20 : 40));
    await run('12. backup', () => backupRestore(quick ? 12 : 30));
    await run('13. alerting', () => alerting(db.url, 300));
  } finally {
    await db.stop();
  }
  const passed = figures.filter((f) => f.result === 'pass').length;
  // A partial run (--only) prints its figures but does not overwrite the record of a whole one.
  if (!only)
    writeFileSync(
      quick ? 'bench/reliability-quick.json' : 'bench/reliability.json',
      JSON.stringify(
        { machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) }, quick, figures },
        null,
        2,
      ) + '\n',
    );
  console.log(`reliability: ${passed} passed, ${figures.length - passed} failed`);
  process.exit(passed === figures.length ? 0 : 1);
}

void main();
