import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The first screen's JavaScript on a slow 3G phone: the issue's budget, gzipped. */
export const FIRST_SCREEN_BUDGET_KB = 100;

interface Chunk {
  type: 'chunk';
  code: string;
  isEntry: boolean;
  imports: string[];
  name: string;
}
type Output = Chunk | { type: 'asset' };

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

/**
 * Prints what the first screen costs (the entry chunk and everything it imports statically, gzipped) and what each
 * later screen adds when opened; fails the build over FIRST_SCREEN_BUDGET_KB. Also writes bundle-report.json.
 */
export function bundleBudget(): Plugin {
  return {
    name: 'sokohub-bundle-budget',
    generateBundle(_options, bundle) {
      const chunks = new Map<string, Chunk>();
      for (const [file, out] of Object.entries(bundle as Record<string, Output>))
        if (out.type === 'chunk') chunks.set(file, out);
      const gz = (file: string) => gzipSync(chunks.get(file)!.code, { level: 9 }).length;
      const first = new Set<string>();
      const visit = (file: string) => {
        if (first.has(file) || !chunks.has(file)) return;
        first.add(file);
        chunks.get(file)!.imports.forEach(visit);
      };
      for (const [file, chunk] of chunks) if (chunk.isEntry) visit(file);
      const firstBytes = [...first].reduce((sum, f) => sum + gz(f), 0);
      const later = [...chunks.keys()]
        .filter((f) => !first.has(f))
        .map((f) => ({ chunk: chunks.get(f)!.name, gzipKb: kb(gz(f)) }))
        .sort((a, b) => b.gzipKb - a.gzipKb);
      const report = { firstScreenGzipKb: kb(firstBytes), budgetKb: FIRST_SCREEN_BUDGET_KB, later };
      this.emitFile({ type: 'asset', fileName: 'bundle-report.json', source: JSON.stringify(report, null, 2) });
      // Printed even at --logLevel warn: the figure the issue asks the build to show.
      console.warn(
        `seller app: first screen JS ${report.firstScreenGzipKb} KB gzipped (budget ${FIRST_SCREEN_BUDGET_KB} KB); ` +
          `loaded when opened: ${later.map((l) => `${l.chunk} ${l.gzipKb} KB`).join(', ')}`,
      );
      if (report.firstScreenGzipKb > FIRST_SCREEN_BUDGET_KB)
        this.error(`the first screen's JavaScript is ${report.firstScreenGzipKb} KB gzipped, over the budget`);
    },
  };
}
