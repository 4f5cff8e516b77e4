import { readFileSync } from 'node:fs';

/**
 * `node dist/bench/lib/profile-summary.js <file.cpuprofile> [top]`: where a V8 CPU profile's time went — self time
 * by function and by package (node_modules/<name>, our src/, node internals), and inclusive time of our own functions.
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes('/dist/src/')) return 'src/' + url.split('/dist/src/')[1].split('/')[0];
  if (url.startsWith('node:')) return url;
  return url ? 'other' : '(native/gc/idle)';
}

function main(): void {
  const profile = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Profile;
  const top = Number(process.argv[3] ?? 30);
  // A fourth argument: a pattern of library frames ("name url") whose inclusive time is shown too.
  const focus = process.argv[4] ? new RegExp(process.argv[4]) : undefined;
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self]
    .filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)')
    .reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  const incl = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === '(idle)') continue;
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(/.*dist\//, '')}:${n.callFrame.lineNumber}`;
    fn.set(key, (fn.get(key) ?? 0) + t);
    pkg.set(where(n.callFrame.url), (pkg.get(where(n.callFrame.url)) ?? 0) + t);
    // Inclusive time of our own frames (each counted once per sample stack).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!f.url.includes('/dist/src/') && !(focus && focus.test(`${f.functionName} ${f.url}`))) continue;
      const k = `${f.functionName || '(anon)'} ${f.url.replace(/.*node_modules\//, '').replace(/.*dist\//, '')}:${f.lineNumber}`;
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + t);
    }
  }
  const pct = (t: number) => `${((t / busy) * 100).toFixed(1)} %`;
  const print = (title: string, m: Map<string, number>) => {
    console.log(`\n== ${title}`);
    for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(t).padStart(8), k);
  };
  console.log(`busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s sampled`);
  print('self time by package', pkg);
  print('self time by function', fn);
  print('inclusive time of our functions (and the focused ones)', incl);
}

main();
