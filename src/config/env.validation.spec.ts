import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseEnv } from './env.validation.js';
import { parseDurationSeconds } from './duration.js';

describe('parseEnv', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'sokohub-config-'));

  it('fills the documented defaults', () => {
    const config = parseEnv({ DATA_DIR: dataDir() });
    expect(config).toMatchObject({
      port: 3000,
      jwtTtlSeconds: 7 * 86400,
      cookieSecure: true,
      corsOrigins: [],
      nodeEnv: 'development',
    });
    expect(config.webhooks).toMatchObject({
      timeoutMs: 10_000,
      maxAttempts: 3,
      retryDelaysMs: [30_000, 300_000],
      retentionDays: 30,
      allowPrivateUrls: false,
    });
    expect(config.secretsKey).toHaveLength(32);
    // The pool follows the machine's cores (6 on two), at most 20.
    expect(config.database).toMatchObject({
      poolMax: Math.min(20, 2 * availableParallelism() + 2),
      statementTimeoutMs: 10_000,
    });
    expect(parseEnv({ DATA_DIR: dataDir(), DB_POOL_MAX: '6' }).database.poolMax).toBe(6);
  });

  it('keeps a generated JWT secret under DATA_DIR so sessions survive restarts', () => {
    const dir = dataDir();
    const first = parseEnv({ DATA_DIR: dir }).jwtSecret;
    expect(parseEnv({ DATA_DIR: dir }).jwtSecret).toBe(first);
    expect(readFileSync(join(dir, 'secrets', 'jwt-secret'), 'utf8').trim()).toBe(first);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number from 0 to 65535, got "abc"'],
    [{ JWT_TTL: 'forever' }, 'JWT_TTL must look like 7d, 12h, 30m or 3600, got "forever"'],
    [{ COOKIE_SECURE: 'maybe' }, 'COOKIE_SECURE must be true or false, got "maybe"'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET is required when NODE_ENV=production'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
    [{ DATABASE_READ_URL: 'replica:5432' }, 'DATABASE_READ_URL must be a postgres:// or postgresql:// URL'],
    [{ DB_POOL_MAX: '0' }, 'DB_POOL_MAX must be a whole number from 1 to 1000, got "0"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    [
      { CORS_ORIGINS: 'dashboard' },
      'CORS_ORIGINS must be a comma-separated list of origins like https://shop.example, got "dashboard"',
    ],
    [
      { WEBHOOK_RETRY_DELAYS_MS: '30s' },
      'WEBHOOK_RETRY_DELAYS_MS must be a comma-separated list of milliseconds, got "30s"',
    ],
  ])('stops on %j with one clear line', (env, message) => {
    expect(() => parseEnv({ DATA_DIR: dataDir(), ...env })).toThrow(new ConfigError(message));
  });

  it('parses durations', () => {
    expect(parseDurationSeconds('7d')).toBe(604800);
    expect(parseDurationSeconds('90')).toBe(90);
    expect(parseDurationSeconds('0')).toBeUndefined();
    expect(parseDurationSeconds('1w')).toBeUndefined();
  });
});
