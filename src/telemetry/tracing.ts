import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { redactUrl } from '../logging/redact-url.js';
import { onTelemetryFlush } from './flush.js';
import { sqlShape } from './sql-text.js';

/**
 * The OpenTelemetry Node SDK with the maintained instrumentations for http, express, NestJS, pg, ioredis and pino
 * (trace_id/span_id in log lines). Exporter, protocol (http/protobuf or http/json), service name and sampler come
 * from the standard OTEL_* variables, read by the SDK itself.
 */
export function startTracing(): void {
  const sdk = new NodeSDK({
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes every few seconds are noise, not stories.
        ignoreIncomingRequestHook: (req) => /^\/(health|metrics)\b/.test(req.url ?? ''),
        requestHook: redactSpanUrl,
      }),
      new ExpressInstrumentation(),
      // Supports NestJS < 12 today: inactive on this app until it catches up (express names the route meanwhile).
      new NestInstrumentation(),
      new PgInstrumentation({
        enhancedDatabaseReporting: false,
        // The statement's shape only: MikroORM writes values into the text, and values are customers' data.
        requestHook: (span, info) =>
          span.setAttributes({ 'db.query.text': sqlShape(info.query.text), 'db.statement': sqlShape(info.query.text) }),
      }),
      new IORedisInstrumentation(),
      new PinoInstrumentation(),
    ],
  });
  sdk.start();
  // main.ts calls this after its drain, before process.exit: spans still buffered go out first.
  onTelemetryFlush(() => sdk.shutdown());
}

/**
 * Callback and result URLs carry secrets in their path (tokens only Daraja should know), and receivers' URLs can carry
 * theirs anywhere: a span keeps our routes' paths redacted as the logs do, and only the scheme and host of a receiver.
 */
function redactSpanUrl(span: Span, req: ClientRequest | IncomingMessage): void {
  if ('headers' in req && 'method' in req && !('path' in req)) {
    const path = redactUrl(req.url ?? '/');
    span.setAttributes({ 'http.target': path, 'url.path': path.split('?')[0] });
    return;
  }
  const out = req as ClientRequest;
  const host = `${out.protocol}//${out.host}`;
  span.setAttributes({ 'http.url': `${host}/`, 'url.full': `${host}/`, 'http.target': '/', 'url.path': '/' });
}
