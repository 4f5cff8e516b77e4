/**
 * The validated, typed configuration every module reads (never process.env directly).
 * An abstract class so that it doubles as its own injection token.
 */
/** What DATABASE_URL points at: the server, or a pooler (PgBouncer) in session or transaction mode. */
export const POOLER_MODES = ['none', 'session', 'transaction'] as const;
export type PoolerMode = (typeof POOLER_MODES)[number];

export abstract class AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  /** Which peers may set X-Forwarded-For: false (none), a hop count, or their addresses / CIDR ranges. */
  trustProxy: false | number | string[];
  isProduction: boolean;
  port: number;
  /** Shared rate-limit counters (REDIS_URL); absent: counted in each process's memory. */
  redisUrl: string | undefined;
  /** On SIGTERM: how long readiness answers 503 while requests are still served, before the app stops taking work. */
  shutdownGraceMs: number;
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
  rateLimit: RateLimitConfig;
  orders: OrderLimitsConfig;
  products: { maxImagesPerProduct: number; shopStorageQuotaMb: number };
  /** Statement timeouts: request work, and the longer one analytics queries get. */
  database: {
    /** Connections each instance keeps to the primary at most (DB_POOL_MAX). */
    poolMax: number;
    statementTimeoutMs: number;
    analyticsStatementTimeoutMs: number;
    /** DATABASE_READ_URL: a replica for reads that may lag (analytics, the storefront listing). */
    readUrl?: string;
    /** Past this many seconds behind, the replica is left and those reads go to the primary. */
    readReplicaMaxLagS: number;
    /** DATABASE_POOLER: whether DATABASE_URL is the server or a pooler (PgBouncer) in session or transaction mode. */
    pooler: PoolerMode;
    /** DATABASE_DIRECT_URL: the server itself, for migrations and LISTEN when DATABASE_URL is a pooler. */
    directUrl?: string;
  };
  webhooks: WebhookConfig;
  mpesa: MpesaConfig;
  security: SecurityConfig;
  /** Live hooks one partner company may hold (PARTNER_HOOKS_PER_COMPANY). */
  partnerHooksPerCompany: number;
  /** Where Daraja and receivers reach this API from outside, e.g. https://api.greatzern.com. */
  publicBaseUrl: string;
}

export interface RateLimitConfig {
  /** General requests per client address per minute. */
  perMinute: number;
  /** Sign-in and sign-up attempts per client address per minute, whatever the email. */
  authPerMinute: number;
  /** Requests per seller API key per minute (on top of the per-address limit). */
  apiKeyPerMinute: number;
  /** Failed sign-ins of one account (from any address) before it is locked, with a doubling back-off. */
  loginFailuresBeforeLock: number;
  loginLockMaxS: number;
  /** argon2 hashes running at once, and how many may wait; beyond that a sign-in is answered 429. */
  passwordHashConcurrency: number;
  passwordHashQueue: number;
}

export interface SecurityConfig {
  /** Minutes after a password was entered in a session during which it may change who acts for the shop. */
  reauthWindowMin: number;
  /** Sign-ups per client address per hour. */
  signupPerAddressPerHour: number;
  /** Bearer token /metrics asks for; unset: /metrics is open (keep it off the public balancer). */
  metricsToken?: string;
  /** Days audit entries are kept (at least 365). */
  auditRetentionDays: number;
  /** Seconds a checked session may be answered from memory while its changes are being listened for (0: never). */
  sessionCacheS: number;
}

export interface OrderLimitsConfig {
  /** Public orders per client address per minute. */
  perMinutePerAddress: number;
  /** Open (unpaid, unconfirmed) orders one phone may hold in one shop. */
  openPerPhone: number;
  /** M-Pesa PIN prompts one phone may receive per hour, across all shops (0: none). */
  stkPromptsPerPhonePerHour: number;
  /** Hours an unconfirmed cash-on-delivery order holds stock, unless the shop sets its own. */
  codHoldHours: number;
  /** Open orders one client address (an IPv6 /64) may hold in one shop. */
  openPerAddress: number;
  /** Units of one product or variant one public order may take, unless the shop sets its own maxUnitsPerLine. */
  maxUnitsPerLine: number;
}

export interface MpesaConfig {
  /** Overrides Daraja's sandbox/production base URL (tests point it at a local fake). */
  baseUrl?: string;
  timeoutMs: number;
  /** Addresses / CIDR ranges whose success callbacks apply at once; others wait for a status query's confirmation. */
  callbackAllowedIps: string[];
  /** Seconds after an STK push before its status is queried when no callback came. */
  queryAfterS: number;
  queryMaxAttempts: number;
  /** How often the query and expiry jobs run. */
  jobIntervalMs: number;
  jobsEnabled: boolean;
  /** Minutes an MPESA order may stay unpaid before it is cancelled. */
  orderPaymentTimeoutMin: number;
  /** Callbacks per client address per minute (allow-listed addresses are exempt). */
  callbackRateLimitPerMinute: number;
  /** Hours back a till payment looks for an order of the same amount and phone (C2B_MATCH_WINDOW_H). */
  c2bMatchWindowH: number;
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
  /** Where each endpoint's concurrency starts. */
  perEndpointConcurrency: number;
  /** How far a healthy, slow endpoint's concurrency may grow (never above half of WEBHOOK_CONCURRENCY). */
  perEndpointMaxConcurrency: number;
  batchSize: number;
  disableAfterFailures: number;
  maxEndpointsPerShop: number;
  workerEnabled: boolean;
  /** How often a paused delivery is looked at again (heals a pause that raced with re-enabling). */
  pausedRecheckMs: number;
  /**
   * Deliveries parked for an endpoint its failures switched off, per off period; beyond it they are counted as dropped.
   */
  parkedMaxPerEndpoint: number;
}

export const APP_CONFIG = 'sokohub';
