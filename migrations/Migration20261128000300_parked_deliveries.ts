import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000300_parked_deliveries extends Migration {
  override name = 'Migration20261128000300_parked_deliveries';

  override up(): void {
    this.addSql(`
      -- Who switched an endpoint off decides what happens meanwhile: switched off by its failures, events are parked
      -- for it (up to a cap per off period, the rest counted as dropped); switched off by the seller, nothing is.
      alter table webhook_endpoints
        add column disabled_by text check (disabled_by in ('SELLER', 'FAILURES')),
        add column parked_count integer not null default 0,
        add column parked_dropped integer not null default 0;
      update webhook_endpoints set disabled_by = case when disabled_reason = 'Disabled by the seller' then 'SELLER' else 'FAILURES' end
        where not is_active;

      -- test: a seller's test send (goes out while the endpoint is off, never counts toward auto-disable).
      -- backlog: resumed parked deliveries, sent one after another in the order they happened.
      alter table webhook_deliveries
        add column test boolean not null default false,
        add column backlog boolean not null default false;

      -- A partner hook's failures are counted per target URL: one dead URL stops only that URL.
      create table partner_webhook_urls (
        hook_id text not null references partner_webhooks(id) on delete cascade,
        url text not null,
        consecutive_failures integer not null default 0,
        disabled_reason text,
        disabled_at timestamptz,
        primary key (hook_id, url)
      );
      -- A hook disabled as a whole until now: each of its URLs carries that state from here on.
      insert into partner_webhook_urls (hook_id, url, consecutive_failures, disabled_reason, disabled_at)
        select h.id, u.url, h.consecutive_failures, h.disabled_reason, coalesce(h.disabled_at, now()) from partner_webhooks h
        cross join lateral (select distinct x from unnest(array_remove(array[h.url], null) || h.web_hook_urls) as x) as u(url)
        where not h.is_active and not h.deleted;
      update partner_webhooks set is_active = true, disabled_reason = null, disabled_at = null, consecutive_failures = 0 where not is_active;
    `);
  }
}
