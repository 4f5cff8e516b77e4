import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('keeps M-Pesa tokens and Transaction Status result ids out of log lines', () => {
    expect(redactUrl('/api/payments/mpesa/callback/abcDEF123_-xyz?x=1')).toBe(
      '/api/payments/mpesa/callback/[redacted]?x=1',
    );
    expect(redactUrl('/api/c2b/abcDEF123_-xyz/confirmation')).toBe('/api/c2b/[redacted]/confirmation');
    expect(redactUrl('/api/c2b/status/abcDEF123_-xyz/timeout')).toBe('/api/c2b/status/[redacted]/timeout');
    expect(redactUrl('/api/orders?page=2')).toBe('/api/orders?page=2');
  });
});
