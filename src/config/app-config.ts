/**
 * The validated, typed configuration every module reads (never process.env directly).
 * An abstract class so that it doubles as its own injection token.
 */
export abstract class AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  isProduction: boolean;
  port: number;
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  jwtSecret: string;
  jwtTtlSeconds: number;
  cookieSecure: boolean;
  corsOrigins: string[];
  adminToken?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  secretsKey: Buffer;
  rateLimit: { perMinute: number; authPerMinute: number };
  webhooks: WebhookConfig;
  mpesa: MpesaConfig;
  /** Where Daraja and receivers reach this API from outside, e.g. https://api.greatzern.com. */
  publicBaseUrl: string;
}

export interface MpesaConfig {
  /** Overrides Daraja's sandbox/production base URL (tests point it at a local fake). */
  baseUrl?: string;
  timeoutMs: number;
  /** When set, only these source IPs may post M-Pesa callbacks. */
  callbackAllowedIps: string[];
  /** Seconds after an STK push before its status is queried when no callback came. */
  queryAfterS: number;
  queryMaxAttempts: number;
  /** How often the query and expiry jobs run. */
  jobIntervalMs: number;
  jobsEnabled: boolean;
  /** Minutes an MPESA order may stay unpaid before it is cancelled. */
  orderPaymentTimeoutMin: number;
}

export interface WebhookConfig {
  timeoutMs: number;
  maxAttempts: number;
  retryDelaysMs: number[];
  retryAfterCapMs: number;
  allowPrivateUrls: boolean;
  retentionDays: number;
  workerIntervalMs: number;
  leaseMs: number;
  concurrency: number;
  perEndpointConcurrency: number;
  batchSize: number;
  disableAfterFailures: number;
  maxEndpointsPerShop: number;
  workerEnabled: boolean;
  /** How often a paused delivery is looked at again (heals a pause that raced with re-enabling). */
  pausedRecheckMs: number;
}

export const APP_CONFIG = 'sokohub';
