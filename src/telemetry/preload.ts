/**
 * Loaded first, with `node --import ./dist/src/telemetry/preload.js` (npm start does). Tracing starts only when the
 * standard OTEL_* variables ask for it; otherwise this file imports nothing and the request path is unchanged.
 */
import { register } from 'node:module';
import { tracingWanted } from './tracing-wanted.js';

if (tracingWanted(process.env)) {
  // ESM modules (pg, express, ioredis, pino are imported, not required) are patched through this loader hook.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const { startTracing } = await import('./tracing.js');
  startTracing();
}
