import type { EntityManager } from '@mikro-orm/postgresql';
import type { DeliveryOutcome } from './subscriber-source.js';

/** Subscription tables that carry is_active, disabled_reason, disabled_at and consecutive_failures. */
export type SubscriptionTable = 'webhook_endpoints' | 'partner_webhooks';

/**
 * Counts deliveries that failed every attempt in a row: `limit` of them (or one 410 Gone) disables the subscription
 * with a reason and a time; a success resets the count. One UPDATE, so concurrent outcomes cannot lose a count.
 */
export async function countOutcome(em: EntityManager, table: SubscriptionTable, id: string, outcome: DeliveryOutcome, limit: number): Promise<void> {
  if (outcome === 'succeeded') {
    await em.execute(`update ${table} set consecutive_failures = 0 where id = ? and consecutive_failures > 0`, [id]);
    return;
  }
  const gone = outcome === 'gone';
  const reason = gone ? 'The endpoint answered 410 Gone' : `${limit} consecutive deliveries failed every attempt`;
  // In SET, column names read the row as it was: is_active here is the value before this update.
  await em.execute(
    `update ${table} set
       consecutive_failures = consecutive_failures + 1,
       is_active = case when ? or consecutive_failures + 1 >= ? then false else is_active end,
       disabled_reason = case when is_active and (? or consecutive_failures + 1 >= ?) then ? else disabled_reason end,
       disabled_at = case when is_active and (? or consecutive_failures + 1 >= ?) then now() else disabled_at end
     where id = ?`,
    [gone, limit, gone, limit, reason, gone, limit, id],
  );
}
