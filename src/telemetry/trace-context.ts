import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/**
 * Our own spans and the trace context we keep with rows, through the OpenTelemetry API only: without the SDK (no
 * OTEL_* variables) every call here is a no-op that allocates next to nothing.
 */
export const tracer = trace.getTracer('sokohub');

/** The active trace as a W3C traceparent, to keep with a row written now (an event, a payment); null without one. */
export function currentTraceParent(): string | null {
  return traceHeaders().traceparent ?? null;
}

/** The context a stored traceparent names (a parent for work done later), or undefined. */
export function storedContext(traceParent: string | null | undefined): Context | undefined {
  if (!traceParent) return undefined;
  const ctx = propagation.extract(ROOT_CONTEXT, { traceparent: traceParent });
  return trace.getSpanContext(ctx) ? ctx : undefined;
}

/** A span link to the work a stored traceparent names: "this happened because of that", across processes and time. */
export function linkTo(traceParent: string | null | undefined): Link[] {
  const ctx = storedContext(traceParent);
  const spanContext = ctx && trace.getSpanContext(ctx);
  return spanContext ? [{ context: spanContext }] : [];
}

/** Links the active span (a Daraja callback's request) to the trace that started the payment. */
export function linkActiveSpan(traceParent: string | null | undefined): void {
  const span = trace.getActiveSpan();
  for (const link of linkTo(traceParent)) span?.addLink(link);
}

/** The W3C headers (traceparent, tracestate) that continue the active trace in a receiver; empty without a trace. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (trace.getActiveSpan()) propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * Runs `fn` in a span of its own. `from` is a stored traceparent: the span continues that trace (later work in the
 * story it belongs to) and links to it. Errors mark the span and are rethrown.
 */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; from?: string | null; attributes?: Attributes },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = storedContext(options.from) ?? context.active();
  return tracer.startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: linkTo(options.from) },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

export { SpanKind };
