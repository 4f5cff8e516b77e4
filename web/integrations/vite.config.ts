import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// Built by `npm run build` into dist/web/integrations, served by the API at /integrations (src/integrations-page).
export default defineConfig({
  root: here,
  base: '/integrations/',
  // Preact's automatic JSX runtime: no React, no Babel.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web/integrations', import.meta.url)),
    emptyOutDir: true,
    // Everything as files with hashed names (long cache); nothing inlined into the HTML (strict CSP).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
