import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadOutput, LoadSpec } from './load-runner.js';
import { postgresCpu, processCpu, processSystemCpu } from './proc-cpu.js';

/**
 * One measured figure: the load from a process of its own (load-runner), the server's CPU and PostgreSQL's over the
 * same window, each divided by the requests answered 2xx. Throughput is reported beside it, second.
 */
export interface Figure {
  name: string;
  /** CPU µs the server process spent per 2xx answer. */
  appCpuUs: number;
  /** The kernel's part of appCpuUs (system calls). */
  appSystemUs: number;
  /** CPU µs all postgres processes spent per 2xx answer (when the database is involved). */
  pgCpuUs?: number;
  reqPerSec: number;
  p99Ms: number;
  requests: number;
  failed: number;
  /** The load generator's CPU as a share of one core over the window (autocannon is one thread). */
  loadShare: number;
  /** The load generator was near a full core: the figure is the generator's limit, not the server's. */
  loadBound: boolean;
}

export interface Target {
  /** The server process measured. */
  pid: number;
  /** The postmaster of the database it uses, when it uses one. */
  postmaster?: number;
}

const LOAD_BOUND_SHARE = 0.9;

function runLoad(spec: LoadSpec): Promise<LoadOutput> {
  const file = join(mkdtempSync(join(tmpdir(), 'sokohub-load-')), 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/bench/lib/load-runner.js', file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadOutput)
        : reject(new Error(`load generator exited with ${code}`)),
    );
  });
}

export async function measure(
  name: string,
  target: Target,
  load: Omit<LoadSpec, 'method' | 'headers'> & { method?: 'GET' | 'POST'; headers?: Record<string, string> },
): Promise<Figure> {
  const spec: LoadSpec = {
    method: 'GET',
    ...load,
    headers: { 'content-type': 'application/json', ...load.headers },
  };
  const app0 = processCpu(target.pid);
  const sys0 = processSystemCpu(target.pid);
  const pg0 = target.postmaster ? postgresCpu(target.postmaster) : 0;
  const out = await runLoad(spec);
  const app = processCpu(target.pid) - app0;
  const sys = processSystemCpu(target.pid) - sys0;
  const pgCpu = target.postmaster ? postgresCpu(target.postmaster) - pg0 : 0;
  const per = (seconds: number) => Math.round((seconds / Math.max(1, out.requests2xx)) * 1e6);
  const loadShare = Math.round((out.cpuSeconds / out.seconds) * 100) / 100;
  const figure: Figure = {
    name,
    appCpuUs: per(app),
    appSystemUs: per(sys),
    ...(target.postmaster ? { pgCpuUs: per(pgCpu) } : {}),
    reqPerSec: out.reqPerSec,
    p99Ms: out.p99Ms,
    requests: out.requests2xx,
    failed: out.non2xx + out.errors,
    loadShare,
    loadBound: loadShare >= LOAD_BOUND_SHARE,
  };
  console.log(
    `${name}: ${figure.appCpuUs} µs app CPU (${figure.appSystemUs} in the kernel)${target.postmaster ? ` + ${figure.pgCpuUs} µs PostgreSQL` : ''} per request, ` +
      `${figure.reqPerSec} req/s, p99 ${figure.p99Ms} ms, load ${Math.round(loadShare * 100)} % of a core` +
      `${figure.loadBound ? ' (load-bound)' : ''}${figure.failed ? `, ${figure.failed} failed` : ''}`,
  );
  return figure;
}
