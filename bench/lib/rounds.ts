import type { Figure } from './measure.js';

/** A figure over alternated rounds: the median round by CPU per request, and the range. */
export interface Summary {
  name: string;
  appCpuUs: number;
  appCpuRange: [number, number];
  pgCpuUs?: number;
  reqPerSec: number;
  reqPerSecRange: [number, number];
  p99Ms: number;
  loadShare: number;
  loadBound: boolean;
  failed: number;
}

export function summarise(rounds: Figure[]): Summary {
  const byCpu = [...rounds].sort((a, b) => a.appCpuUs - b.appCpuUs);
  const mid = byCpu[Math.floor((byCpu.length - 1) / 2)];
  const rates = rounds.map((r) => r.reqPerSec);
  return {
    name: mid.name,
    appCpuUs: mid.appCpuUs,
    appCpuRange: [byCpu[0].appCpuUs, byCpu[byCpu.length - 1].appCpuUs],
    ...(mid.pgCpuUs !== undefined ? { pgCpuUs: mid.pgCpuUs } : {}),
    reqPerSec: mid.reqPerSec,
    reqPerSecRange: [Math.min(...rates), Math.max(...rates)],
    p99Ms: mid.p99Ms,
    loadShare: Math.max(...rounds.map((r) => r.loadShare)),
    loadBound: rounds.some((r) => r.loadBound),
    failed: rounds.reduce((n, r) => n + r.failed, 0),
  };
}

/** Runs each named measurement once per round, in the same order every round (alternated, not grouped). */
export async function alternate(
  count: number,
  steps: [string, () => Promise<Figure>][],
): Promise<Record<string, Summary>> {
  const all: Record<string, Figure[]> = {};
  for (let round = 1; round <= count; round++) {
    console.log(`-- round ${round} of ${count}`);
    for (const [key, step] of steps) (all[key] ??= []).push(await step());
  }
  return Object.fromEntries(Object.entries(all).map(([key, rounds]) => [key, summarise(rounds)]));
}

export function ratio(a: number, b: number): number {
  return Math.round((a / b) * 100) / 100;
}
