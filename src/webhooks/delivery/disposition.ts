import type { WebhookConfig } from '../../config/app-config.js';
import { retryAfterMs, retryDelayMs } from './backoff.js';
import type { Disposition } from './delivery.store.js';
import type { SendResult } from './http-sender.service.js';
import type { DeliveryOutcome } from '../subscriptions/subscriber-source.js';

export type AttemptOutcome = 'succeeded' | 'retrying' | 'failed' | 'gone';

export interface Decision {
  disposition: Disposition;
  outcome: AttemptOutcome;
  /** Told to the subscriber's source when the delivery is finished. */
  sourceOutcome?: DeliveryOutcome;
}

/** What one attempt's result means: 2xx done, 410 gone, otherwise retry with backoff until the attempts run out. */
export function decide(
  result: Pick<SendResult, 'statusCode' | 'headers'>,
  attemptsMade: number,
  maxAttempts: number,
  config: Pick<WebhookConfig, 'retryDelaysMs' | 'retryAfterCapMs'>,
  random: () => number = Math.random,
): Decision {
  const code = result.statusCode;
  if (code !== null && code >= 200 && code < 300)
    return { disposition: { status: 'SUCCEEDED' }, outcome: 'succeeded', sourceOutcome: 'succeeded' };
  if (code === 410) return { disposition: { status: 'FAILED' }, outcome: 'gone', sourceOutcome: 'gone' };
  if (attemptsMade >= maxAttempts)
    return { disposition: { status: 'FAILED' }, outcome: 'failed', sourceOutcome: 'exhausted' };
  const asked =
    code === 429 || code === 503 ? retryAfterMs(result.headers['retry-after'], config.retryAfterCapMs) : undefined;
  const retryInMs = asked ?? retryDelayMs(attemptsMade, config.retryDelaysMs, random);
  return { disposition: { status: 'PENDING', retryInMs }, outcome: 'retrying' };
}
