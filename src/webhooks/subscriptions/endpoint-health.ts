import type { EntityManager } from '@mikro-orm/postgresql';
import type { DeliveryOutcome } from './subscriber-source.js';
import type { Tx } from '../../database/unit-of-work.js';

/**
 * Counts a seller endpoint's deliveries that failed every attempt in a row: `limit` of them (or one 410 Gone) switch
 * it off with a reason and a time, as disabled by its failures, which starts a new parking period. A success resets
 * the count. One UPDATE, so concurrent outcomes cannot lose a count.
 */
export async function countEndpointOutcome(
  em: EntityManager,
  id: string,
  outcome: DeliveryOutcome,
  limit: number,
): Promise<void> {
  if (outcome === 'succeeded') {
    await em.execute(
      'update webhook_endpoints set consecutive_failures = 0 where id = ? and consecutive_failures > 0',
      [id],
    );
    return;
  }
  const gone = outcome === 'gone';
  const reason = gone ? 'The endpoint answered 410 Gone' : `${limit} consecutive deliveries failed every attempt`;
  // In SET, column names read the row as it was: is_active here is the value before this update.
  await em.execute(
    `update webhook_endpoints set
       consecutive_failures = consecutive_failures + 1,
       is_active = case when ? or consecutive_failures + 1 >= ? then false else is_active end,
       disabled_reason = case when is_active and (? or consecutive_failures + 1 >= ?) then ? else disabled_reason end,
       disabled_at = case when is_active and (? or consecutive_failures + 1 >= ?) then now() else disabled_at end,
       disabled_by = case when is_active and (? or consecutive_failures + 1 >= ?) then 'FAILURES' else disabled_by end,
       parked_count = case when is_active and (? or consecutive_failures + 1 >= ?) then 0 else parked_count end,
       parked_dropped = case when is_active and (? or consecutive_failures + 1 >= ?) then 0 else parked_dropped end
     where id = ?`,
    [gone, limit, gone, limit, reason, gone, limit, gone, limit, gone, limit, gone, limit, id],
  );
}

/**
 * Takes a parking place for one event on each of `ids` (endpoints switched off by their failures), up to `cap` per
 * off period; answers the ids that got one. The others count the event as dropped.
 */
export async function takeParkingPlaces(tx: Tx, ids: string[], cap: number): Promise<Set<string>> {
  const rows = await tx.sql<{ id: string; parked: boolean }>(
    `update webhook_endpoints e set
       parked_count = e.parked_count + (o.parked_count < ?)::int,
       parked_dropped = e.parked_dropped + (o.parked_count >= ?)::int
     from (select id, parked_count from webhook_endpoints
       where id in (select json_array_elements_text(?::json)) for update) o
     where e.id = o.id
     returning e.id, o.parked_count < ? as parked`,
    [cap, cap, JSON.stringify(ids), cap],
  );
  // An endpoint switched back on since the read still parks this one event: the paused-delivery recheck sends it.
  const refused = new Set(rows.filter((r) => !r.parked).map((r) => r.id));
  return new Set(ids.filter((id) => !refused.has(id)));
}
