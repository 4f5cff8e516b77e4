import type { EntityManager } from '@mikro-orm/postgresql';
import type { DeliveryOutcome } from '../webhooks/subscriptions/subscriber-source.js';

export interface DisabledUrl {
  url: string;
  reason: string;
  disabledAt: Date;
}

/**
 * A partner hook's failures are counted per target URL: `limit` deliveries in a row that failed every attempt (or
 * one 410 Gone) switch that URL off, while the hook's other URLs keep receiving. A success resets the URL's count.
 * One statement each, so concurrent outcomes cannot lose a count.
 */
export async function countUrlOutcome(
  em: EntityManager,
  hookId: string,
  url: string,
  outcome: DeliveryOutcome,
  limit: number,
): Promise<void> {
  if (outcome === 'succeeded') {
    await em.execute(
      `update partner_webhook_urls set consecutive_failures = 0 where hook_id = ? and url = ?
       and consecutive_failures > 0`,
      [hookId, url],
    );
    return;
  }
  const gone = outcome === 'gone';
  const reason = gone ? 'The URL answered 410 Gone' : `${limit} consecutive deliveries failed every attempt`;
  const dead = gone || limit <= 1;
  await em.execute(
    `insert into partner_webhook_urls as u (hook_id, url, consecutive_failures, disabled_reason, disabled_at)
     values (?, ?, 1, case when ? then ? end, case when ? then now() end)
     on conflict (hook_id, url) do update set
       consecutive_failures = u.consecutive_failures + 1,
       disabled_reason = case when u.disabled_at is null and (? or u.consecutive_failures + 1 >= ?) then ?
         else u.disabled_reason end,
       disabled_at = case when u.disabled_at is null and (? or u.consecutive_failures + 1 >= ?) then now()
         else u.disabled_at end`,
    [hookId, url, dead, reason, dead, gone, limit, reason, gone, limit],
  );
}

/** The URLs of each hook that are switched off. */
export async function disabledUrls(em: EntityManager, hookIds: string[]): Promise<Map<string, DisabledUrl[]>> {
  const out = new Map<string, DisabledUrl[]>();
  if (!hookIds.length) return out;
  const rows = await em.execute<
    { hook_id: string; url: string; disabled_reason: string; disabled_at: Date | string }[]
  >(
    `select hook_id, url, disabled_reason, disabled_at from partner_webhook_urls
     where hook_id in (select json_array_elements_text(?::json)) and disabled_at is not null order by disabled_at`,
    [JSON.stringify(hookIds)],
  );
  for (const r of rows) {
    const list = out.get(r.hook_id) ?? [];
    list.push({ url: r.url, reason: r.disabled_reason, disabledAt: new Date(r.disabled_at) });
    out.set(r.hook_id, list);
  }
  return out;
}

/** A PUT switches every URL of the hook back on (the partner has fixed or changed them). */
export async function clearUrlHealth(em: EntityManager, hookId: string): Promise<boolean> {
  const rows = await em.execute<{ url: string }[]>(
    'delete from partner_webhook_urls where hook_id = ? returning url, disabled_at',
    [hookId],
  );
  return rows.length > 0;
}
