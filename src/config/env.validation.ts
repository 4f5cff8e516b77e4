import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { AppConfig, POOLER_MODES, type PoolerMode } from './app-config.js';
import { parseDurationSeconds } from './duration.js';
import { isAddressOrCidr } from '../net/address-list.js';
import { localSecret } from './local-secret.js';

export type RawEnv = Record<string, string | undefined>;

/** Thrown for a bad environment; main.ts prints its one-line message and exits. */
export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

class Reader {
  constructor(private readonly env: RawEnv) {}

  str(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  int(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const raw = this.str(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  }

  /** A number that may have decimals (0.5 minutes), within bounds. */
  num(name: string, fallback: number, min: number, max: number): number {
    const raw = this.str(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new ConfigError(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.str(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    throw new ConfigError(`${name} must be true or false, got "${raw}"`);
  }

  /** Comma-separated addresses or CIDR ranges. */
  cidrList(name: string): string[] {
    const entries = (this.str(name) ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const bad = entries.find((entry) => !isAddressOrCidr(entry));
    if (bad !== undefined)
      throw new ConfigError(`${name} must be a comma-separated list of IP addresses or CIDR ranges, got "${bad}"`);
    return entries;
  }

  intList(name: string, fallback: number[]): number[] {
    const raw = this.str(name);
    if (raw === undefined) return fallback;
    const values = raw.split(',').map((part) => Number(part.trim()));
    if (values.some((v) => !Number.isInteger(v) || v < 0)) {
      throw new ConfigError(`${name} must be a comma-separated list of milliseconds, got "${raw}"`);
    }
    return values;
  }
}

/**
 * DB_POOL_MAX's default: two connections per core of this machine (where the embedded PostgreSQL runs) plus two, at
 * most 20. More transactions at once than the server has cores to run them only queue inside PostgreSQL, on CPU and
 * on the shop's hot rows: on two cores, 6 connections against 20 placed a fifth more orders a second on one product,
 * for a quarter less PostgreSQL CPU each (README, Performance). With a server of your own, size it from its cores.
 */
const DEFAULT_POOL_MAX = Math.min(20, 2 * availableParallelism() + 2);

/** Validates the environment into an AppConfig; a wrong value throws one clear ConfigError. */
export function parseEnv(env: RawEnv): AppConfig {
  const r = new Reader(env);
  const nodeEnv = (r.str('NODE_ENV') ?? 'development') as AppConfig['nodeEnv'];
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnv}"`);
  }
  const isProduction = nodeEnv === 'production';
  const dataDir = resolve(r.str('DATA_DIR') ?? './.data');

  const databaseUrl = postgresUrl(r, 'DATABASE_URL');

  let jwtSecret = r.str('JWT_SECRET');
  if (!jwtSecret) {
    if (isProduction) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
    jwtSecret = localSecret(dataDir, 'jwt-secret', 48);
  } else if (jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters');
  }

  const jwtTtlRaw = r.str('JWT_TTL') ?? '7d';
  const jwtTtlSeconds = parseDurationSeconds(jwtTtlRaw);
  if (!jwtTtlSeconds) throw new ConfigError(`JWT_TTL must look like 7d, 12h, 30m or 3600, got "${jwtTtlRaw}"`);

  const logLevel = (r.str('LOG_LEVEL') ?? (nodeEnv === 'test' ? 'warn' : 'info')) as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const corsOrigins = (r.str('CORS_ORIGINS') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(
        `CORS_ORIGINS must be a comma-separated list of origins like https://shop.example, got "${origin}"`,
      );
    }
  }

  const secretsKeyRaw = r.str('SECRETS_KEY');
  let secretsKey: Buffer;
  if (secretsKeyRaw) {
    secretsKey = Buffer.from(secretsKeyRaw, 'base64');
    if (secretsKey.length !== 32)
      throw new ConfigError('SECRETS_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)');
  } else {
    if (isProduction) throw new ConfigError('SECRETS_KEY is required when NODE_ENV=production');
    secretsKey = Buffer.from(localSecret(dataDir, 'secrets-key', 32), 'base64url');
  }

  const adminToken = r.str('ADMIN_TOKEN');
  if (adminToken && adminToken.length < 16) throw new ConfigError('ADMIN_TOKEN must be at least 16 characters');

  const allowPrivateUrls = r.bool('WEBHOOK_ALLOW_PRIVATE_URLS', false);
  if (allowPrivateUrls && isProduction) {
    throw new ConfigError('WEBHOOK_ALLOW_PRIVATE_URLS cannot be true when NODE_ENV=production');
  }
  const maxAttempts = r.int('WEBHOOK_MAX_ATTEMPTS', 3, 1, 20);

  const port = r.int('PORT', 3000, 0, 65535);
  const mpesaBaseUrl = r.str('MPESA_BASE_URL');
  if (mpesaBaseUrl && !/^https?:\/\/[^\s]+$/.test(mpesaBaseUrl))
    throw new ConfigError(`MPESA_BASE_URL must be an http(s) URL, got "${mpesaBaseUrl}"`);
  const publicBaseUrl = (r.str('PUBLIC_BASE_URL') ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(publicBaseUrl))
    throw new ConfigError(`PUBLIC_BASE_URL must be an http(s) URL, got "${publicBaseUrl}"`);

  return {
    nodeEnv,
    trustProxy: parseTrustProxy(r),
    isProduction,
    port,
    redisUrl: redisUrl(r),
    shutdownGraceMs: r.int('SHUTDOWN_GRACE_MS', 3000, 0, 120_000),
    publicBaseUrl,
    mpesa: {
      baseUrl: mpesaBaseUrl?.replace(/\/+$/, ''),
      timeoutMs: r.int('MPESA_TIMEOUT_MS', 15_000, 100, 120_000),
      callbackAllowedIps: r.cidrList('MPESA_CALLBACK_ALLOWED_IPS'),
      queryAfterS: r.int('MPESA_QUERY_AFTER_S', 60, 0, 86_400),
      queryMaxAttempts: r.int('MPESA_QUERY_MAX_ATTEMPTS', 5, 1, 50),
      jobIntervalMs: r.int('MPESA_JOB_INTERVAL_MS', 15_000, 50),
      jobsEnabled: r.bool('MPESA_JOBS_ENABLED', true),
      orderPaymentTimeoutMin: r.int('ORDER_PAYMENT_TIMEOUT_MIN', 30, 0, 10_080),
      callbackRateLimitPerMinute: r.int('MPESA_CALLBACK_RATE_LIMIT_PER_MINUTE', 60, 1),
      c2bMatchWindowH: r.int('C2B_MATCH_WINDOW_H', 48, 1, 24 * 90),
    },
    security: {
      reauthWindowMin: r.num('REAUTH_WINDOW_MIN', 15, 0.01, 1440),
      signupPerAddressPerHour: r.int('SIGNUP_PER_ADDRESS_PER_HOUR', 5, 1),
      metricsToken: metricsToken(r),
      auditRetentionDays: r.int('AUDIT_RETENTION_DAYS', 400, 365, 36_500),
      sessionCacheS: r.int('SESSION_CACHE_S', 30, 0, 300),
    },
    partnerHooksPerCompany: r.int('PARTNER_HOOKS_PER_COMPANY', 20, 1, 10_000),
    databaseUrl,
    dataDir,
    embeddedPgPort: r.int('EMBEDDED_PG_PORT', 54329, 1024, 65535),
    jwtSecret,
    jwtTtlSeconds,
    cookieSecure: r.bool('COOKIE_SECURE', true),
    corsOrigins,
    adminToken,
    logLevel,
    secretsKey,
    rateLimit: {
      perMinute: r.int('RATE_LIMIT_PER_MINUTE', 600, 1),
      authPerMinute: r.int('AUTH_RATE_LIMIT_PER_MINUTE', 10, 1),
      apiKeyPerMinute: r.int('API_KEY_RATE_LIMIT_PER_MINUTE', 600, 1),
      loginFailuresBeforeLock: r.int('LOGIN_FAILURES_BEFORE_LOCK', 5, 1, 1000),
      loginLockMaxS: r.int('LOGIN_LOCK_MAX_S', 3600, 1, 86_400),
      passwordHashConcurrency: r.int('PASSWORD_HASH_CONCURRENCY', 4, 1, 64),
      passwordHashQueue: r.int('PASSWORD_HASH_QUEUE', 64, 0, 10_000),
    },
    orders: {
      perMinutePerAddress: r.int('ORDER_RATE_LIMIT_PER_MINUTE', 10, 1),
      openPerPhone: r.int('ORDER_OPEN_PER_PHONE', 3, 1, 1_000_000),
      stkPromptsPerPhonePerHour: r.int('STK_PROMPTS_PER_PHONE_PER_HOUR', 5, 0, 1000),
      codHoldHours: r.int('COD_HOLD_HOURS', 48, 1, 720),
      openPerAddress: r.int('ORDER_OPEN_PER_ADDRESS', 10, 1, 1_000_000),
      maxUnitsPerLine: r.int('ORDER_MAX_UNITS_PER_LINE', 20, 1, 1_000_000),
    },
    products: {
      maxImagesPerProduct: r.int('PRODUCT_MAX_IMAGES', 10, 1, 100),
      shopStorageQuotaMb: r.int('SHOP_STORAGE_QUOTA_MB', 500, 1),
    },
    database: {
      poolMax: r.int('DB_POOL_MAX', DEFAULT_POOL_MAX, 1, 1_000),
      statementTimeoutMs: r.int('DB_STATEMENT_TIMEOUT_MS', 10_000, 0, 3_600_000),
      analyticsStatementTimeoutMs: r.int('DB_ANALYTICS_STATEMENT_TIMEOUT_MS', 60_000, 0, 3_600_000),
      // Checked like DATABASE_URL: a typo here would otherwise leave the replica unused without a word.
      readUrl: postgresUrl(r, 'DATABASE_READ_URL'),
      readReplicaMaxLagS: r.int('READ_REPLICA_MAX_LAG_S', 10, 0, 86_400),
      ...pooler(r, databaseUrl),
    },
    webhooks: {
      timeoutMs: r.int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      maxAttempts,
      retryDelaysMs: r.intList('WEBHOOK_RETRY_DELAYS_MS', [30_000, 300_000]),
      retryAfterCapMs: r.int('WEBHOOK_RETRY_AFTER_CAP_MS', 3_600_000, 0),
      allowPrivateUrls,
      retentionDays: r.int('WEBHOOK_RETENTION_DAYS', 30, 1),
      workerIntervalMs: r.int('WEBHOOK_WORKER_INTERVAL_MS', 1_000, 50),
      leaseMs: r.int('WEBHOOK_LEASE_MS', 60_000, 1_000),
      concurrency: r.int('WEBHOOK_CONCURRENCY', 64, 1, 1024),
      perEndpointConcurrency: r.int('WEBHOOK_PER_ENDPOINT_CONCURRENCY', 8, 1, 256),
      perEndpointMaxConcurrency: r.int('WEBHOOK_PER_ENDPOINT_MAX_CONCURRENCY', 64, 1, 1024),
      batchSize: r.int('WEBHOOK_BATCH_SIZE', 100, 1, 1000),
      disableAfterFailures: r.int('WEBHOOK_DISABLE_AFTER_FAILURES', 8, 1),
      maxEndpointsPerShop: r.int('WEBHOOK_MAX_ENDPOINTS', 20, 1),
      workerEnabled: r.bool('WEBHOOK_WORKER_ENABLED', true),
      pausedRecheckMs: r.int('WEBHOOK_PAUSED_RECHECK_MS', 30_000, 1_000),
      parkedMaxPerEndpoint: r.int('WEBHOOK_PARKED_MAX_PER_ENDPOINT', 10_000, 0, 1_000_000),
    },
  };
}

/** METRICS_TOKEN: long enough not to be guessed, or absent (then /metrics is open: keep it off the balancer). */
function metricsToken(r: Reader): string | undefined {
  const token = r.str('METRICS_TOKEN');
  if (token !== undefined && token.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters');
  return token;
}

/**
 * DATABASE_POOLER: what DATABASE_URL (and DATABASE_READ_URL) points at — the server, or a pooler such as PgBouncer in
 * session or transaction mode. A transaction pooler cannot carry a session's LISTEN or advisory lock, so migrations and
 * notifications then need DATABASE_DIRECT_URL, the server itself (as Prisma's directUrl).
 */
function pooler(r: Reader, databaseUrl: string | undefined): Pick<AppConfig['database'], 'pooler' | 'directUrl'> {
  const mode = r.str('DATABASE_POOLER') ?? 'none';
  if (!POOLER_MODES.includes(mode as PoolerMode))
    throw new ConfigError(`DATABASE_POOLER must be none, session or transaction, got "${mode}"`);
  const directUrl = postgresUrl(r, 'DATABASE_DIRECT_URL');
  if (mode === 'transaction' && databaseUrl && !directUrl)
    throw new ConfigError(
      'DATABASE_POOLER=transaction needs DATABASE_DIRECT_URL (the server itself, not the pooler): migrations take a ' +
        'session lock and the app LISTENs for session changes, which a transaction pooler cannot carry',
    );
  // The embedded server (no DATABASE_URL) has no pooler in front of it.
  return databaseUrl ? { pooler: mode as PoolerMode, directUrl } : { pooler: 'none' };
}

/** A postgres:// or postgresql:// URL, or absent. */
function postgresUrl(
  r: Reader,
  name: 'DATABASE_URL' | 'DATABASE_READ_URL' | 'DATABASE_DIRECT_URL',
): string | undefined {
  const url = r.str(name);
  if (url && !/^postgres(ql)?:\/\//.test(url))
    throw new ConfigError(`${name} must be a postgres:// or postgresql:// URL`);
  return url;
}

/** REDIS_URL: a redis:// or rediss:// URL, or absent. */
function redisUrl(r: Reader): string | undefined {
  const url = r.str('REDIS_URL');
  if (url !== undefined && !/^rediss?:\/\/\S+$/.test(url)) {
    throw new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, got "${url}"`);
  }
  return url;
}

/** TRUST_PROXY: off (default), a hop count, or the proxies' addresses / CIDR ranges (Express's `trust proxy`). */
function parseTrustProxy(r: Reader): AppConfig['trustProxy'] {
  const raw = r.str('TRUST_PROXY');
  if (raw === undefined || ['false', 'off', 'no', '0'].includes(raw.toLowerCase())) return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 10) throw new ConfigError(`TRUST_PROXY as a hop count must be from 0 to 10, got "${raw}"`);
    return hops;
  }
  const entries = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const bad = entries.find((entry) => !PROXY_NAMES.includes(entry) && !isAddressOrCidr(entry));
  if (bad !== undefined) {
    throw new ConfigError(
      `TRUST_PROXY must be false, a hop count, or addresses / CIDR ranges (or loopback, linklocal, ` +
        `uniquelocal), got "${bad}"`,
    );
  }
  return entries;
}

/** Express's names for the usual private ranges. */
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
