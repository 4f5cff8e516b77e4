import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { bundleBudget } from './bundle-budget.ts';
import { precompress } from './precompress.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

// Built by `npm run build` into dist/web/seller-app, served by the API at /dashboard and /integrations
// (src/seller-app).
export default defineConfig({
  root: here,
  base: '/dashboard/',
  // Preact's automatic JSX runtime: no React, no Babel.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [bundleBudget(), precompress()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web/seller-app', import.meta.url)),
    emptyOutDir: true,
    // Everything as files with hashed names (long cache); nothing inlined into the HTML (strict CSP).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
