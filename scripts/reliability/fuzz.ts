import { appendFileSync } from 'node:fs';
import { buildShop } from './fixture.js';
import { ContractCheck } from './contract.js';
import { casesFor, type FuzzCase, randomCases } from './fuzz-cases.js';
import { creationsFirst, positiveCases } from './positive-cases.js';
import { startApp, stopApp } from './harness.js';
import { fetchDocument, operations } from './openapi.js';
import { CountingReceiver } from './receiver.js';
import type { Figure } from './scenarios.js';
import { startDarajaStub } from './daraja-stub.js';

export const ADMIN_TOKEN = 'reliability-admin-token-0123456789';

/** What no response body may contain: stack frames, source paths, SQL or driver errors. */
const LEAKS: [string, RegExp][] = [
  ['stack frame', /\bat (?:async )?[\w$.<>]+ \(|\bat (?:file:\/\/|\/)[^\s]+:\d+:\d+/],
  ['source path', /node_modules|\/dist\/src\/|\/src\/[\w/-]+\.(?:ts|js)\b|\.(?:ts|js):\d+:\d+/],
  ['SQL', /\b(?:select|insert|update|delete)\b[^"]{0,120}\b(?:from|into|set|where)\b\s+[\\"\w]/i],
  [
    'driver error',
    /syntax error at or near|violates [\w-]+ constraint|duplicate key value|invalid input syntax|relation "[^"]+"|column "[^"]+"|DriverException|MikroORM|knex|kysely|QueryFailed/i,
  ],
];

export interface FuzzOutcome {
  requests: number;
  status5xx: number;
  leaks: number;
  notEnvelope: number;
  /** Answers the document does not describe (status, content type or body schema). */
  offContract: number;
  /** Requests the document calls valid that the API refused. */
  refusedValid: number;
  byStatus: Record<string, number>;
  /** How the API answered the positive cases. */
  validByStatus: Record<string, number>;
  examples: string[];
}

/** 5. Requests generated from the OpenAPI document, each checked for a 5xx, a leak or a 4xx outside the envelope. */
export async function fuzz(db: string, target: number): Promise<Figure> {
  const rx = await new CountingReceiver().start();
  const daraja = await startDarajaStub();
  const app = await startApp(db, { ADMIN_TOKEN, MPESA_BASE_URL: daraja.url, MPESA_JOBS_ENABLED: 'false' });
  try {
    const doc = await fetchDocument(app.url);
    const ops = operations(doc);
    const fx = await buildShop(app.url, ADMIN_TOKEN, rx.url);
    const contract = new ContractCheck(doc);
    // Kept only where the document itself calls the body valid (a conditional rule it states filters the rest).
    const positive = creationsFirst(
      ops
        .flatMap((op) => positiveCases(doc, op, fx, ADMIN_TOKEN))
        .filter(
          (c) => typeof c.body !== 'string' || contract.requestValid(c.template ?? '', c.method, JSON.parse(c.body)),
        ),
    );
    // Positive cases that change the shop's rules or the session run after the others, so they judge no one else.
    const reshapes = (c: FuzzCase) => /\/shop\/settings|\/mpesa\/settings|\/api\/auth\//.test(c.template ?? '');
    let cases = [
      ...positive.filter((c) => !reshapes(c)),
      ...ops.flatMap((op) => casesFor(doc, op, fx, ADMIN_TOKEN)),
      ...positive.filter(reshapes),
    ];
    const fromSchema = cases.length;
    if (cases.length < target) cases.push(...randomCases(doc, ops, fx, ADMIN_TOKEN, target - cases.length, 20261123));
    // Deletions and key rotations last, so they do not turn the rest of the run into 404s and 401s.
    const destructive = (c: FuzzCase) =>
      c.method === 'DELETE' ||
      c.path.includes('rotate-key') ||
      c.path.includes('rotate-callback') ||
      c.path.includes('/logout');
    cases = [...cases.filter((c) => !destructive(c)), ...cases.filter(destructive)];
    const outcome = await send(app.url, cases, 8, contract);
    const figures = {
      operations: ops.length,
      fromSchema,
      positive: positive.length,
      random: cases.length - fromSchema,
      requests: outcome.requests,
      status5xx: outcome.status5xx,
      leaks: outcome.leaks,
      notEnvelope: outcome.notEnvelope,
      offContract: outcome.offContract,
      refusedValid: outcome.refusedValid,
      byStatus: JSON.stringify(outcome.byStatus),
      validByStatus: JSON.stringify(outcome.validByStatus),
      examples: outcome.examples.join(' | ') || 'none',
    };
    const pass =
      outcome.requests >= target &&
      outcome.status5xx === 0 &&
      outcome.leaks === 0 &&
      outcome.notEnvelope === 0 &&
      outcome.offContract === 0 &&
      outcome.refusedValid === 0;
    return { scenario: '5. fuzz from the OpenAPI document', result: pass ? 'pass' : 'FAIL', figures };
  } finally {
    await stopApp(app);
    await rx.stop();
    await daraja.close();
  }
}

export async function send(
  base: string,
  cases: FuzzCase[],
  concurrency: number,
  contract?: ContractCheck,
): Promise<FuzzOutcome> {
  const out: FuzzOutcome = {
    requests: 0,
    status5xx: 0,
    leaks: 0,
    notEnvelope: 0,
    offContract: 0,
    refusedValid: 0,
    byStatus: {},
    validByStatus: {},
    examples: [],
  };
  const note = (c: FuzzCase, why: string) => {
    // FUZZ_LOG=file keeps every finding (the figure keeps 15).
    if (process.env.FUZZ_LOG)
      appendFileSync(process.env.FUZZ_LOG, `${c.method} ${c.path.slice(0, 100)} [${c.label}] ${why.slice(0, 200)}\n`);
    if (out.examples.length < 15)
      out.examples.push(`${c.method} ${c.path.slice(0, 80)} [${c.label.slice(0, 60)}] ${why.slice(0, 300)}`);
  };
  let i = 0;
  const worker = async () => {
    while (i < cases.length) {
      const c = cases[i++];
      let status: number;
      let text: string;
      let type: string;
      try {
        const res = await fetch(`${base}${c.path}`, { method: c.method, headers: c.headers, body: c.body });
        status = res.status;
        type = res.headers.get('content-type') ?? '';
        text = type.startsWith('image/') ? '' : await res.text();
        if (type.startsWith('image/')) await res.body?.cancel();
      } catch (error) {
        // The client refusing to send (e.g. an invalid header) is not the server's answer; a dropped connection is.
        if (error instanceof TypeError && /header|URL/i.test(String(error.message))) continue;
        out.requests++;
        out.status5xx++;
        note(c, `no response: ${String(error)}`);
        continue;
      }
      out.requests++;
      out.byStatus[status] = (out.byStatus[status] ?? 0) + 1;
      if (c.accept) out.validByStatus[status] = (out.validByStatus[status] ?? 0) + 1;
      if (c.accept && status >= 300 && process.env.FUZZ_LOG) note(c, `valid, answered ${status} ${text.slice(0, 160)}`);
      if (status >= 500) {
        out.status5xx++;
        note(c, `${status} ${text}`);
      }
      const leak = findLeak(text);
      if (leak) {
        out.leaks++;
        note(c, `${leak} in body: ${text}`);
      }
      if (status >= 400 && status < 500 && !isEnvelope(text, status)) {
        out.notEnvelope++;
        note(c, `not the error envelope: ${status} ${type} ${text}`);
      }
      if (contract && c.template) {
        const mismatch = contract.check(c.template, c.method, status, type, text);
        if (mismatch) {
          out.offContract++;
          note(c, `off the document: ${mismatch}`);
        }
        const documented = contract.documented(c.template, c.method);
        if (c.accept && !(status < 300 || ([404, 409].includes(status) && documented.includes(String(status))))) {
          out.refusedValid++;
          note(c, `valid per the document, refused: ${status} ${text}`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/** The kind of internal detail `text` gives away, if any. */
export function findLeak(text: string): string | undefined {
  return LEAKS.find(([, re]) => re.test(text))?.[0];
}

export function isEnvelope(text: string, status: number): boolean {
  try {
    const body = JSON.parse(text) as { success?: unknown; code?: unknown; statusCode?: unknown; message?: unknown };
    return (
      body.success === false &&
      typeof body.code === 'string' &&
      body.statusCode === status &&
      typeof body.message === 'string'
    );
  } catch {
    return false;
  }
}
