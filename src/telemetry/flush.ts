/**
 * What must run before the process exits for spans still buffered to leave (the SDK registers it when tracing is on).
 * Shared through this module between the preload and main.ts, which exits with process.exit after its drain.
 */
let flushTelemetry: () => Promise<void> = () => Promise.resolve();

export function onTelemetryFlush(fn: () => Promise<void>): void {
  flushTelemetry = fn;
}

export function flushTelemetryBeforeExit(): Promise<void> {
  // Never let a collector that does not answer hold the exit for long.
  return Promise.race([flushTelemetry().catch(() => undefined), new Promise<void>((r) => setTimeout(r, 3000))]);
}
