import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000200_webhooks extends Migration {
  override name = 'Migration20261123000200_webhooks';

  override up(): void {
    this.addSql(`
      create table webhook_endpoints (
        id text primary key,
        seller_id text not null references sellers(id) on delete cascade deferrable initially deferred,
        url text not null,
        description text,
        events text[] not null,
        secret_enc text not null,
        previous_secret_enc text,
        previous_secret_expires_at timestamptz,
        is_active boolean not null default true,
        disabled_reason text,
        disabled_at timestamptz,
        consecutive_failures integer not null default 0,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index webhook_endpoints_seller_id_index on webhook_endpoints (seller_id, created_at);

      -- One row per domain event that had at least one subscriber. json (not jsonb) keeps the payload's key order.
      create table webhook_events (
        id text primary key,
        seller_id text not null references sellers(id) on delete cascade deferrable initially deferred,
        name text not null,
        data json not null,
        occurred_at timestamptz not null
      );
      create index webhook_events_occurred_at_index on webhook_events (occurred_at);

      -- The delivery queue, shared by every kind of subscriber. A claim is a lease: next_attempt_at moves past the
      -- lease and claim_token changes, so a crashed worker's rows come due again and a late writer cannot overwrite.
      create table webhook_deliveries (
        id text primary key,
        event_id text not null references webhook_events(id) on delete cascade deferrable initially deferred,
        seller_id text not null,
        subscriber_kind text not null,
        subscription_id text not null,
        event_name text not null,
        url text not null,
        body text not null,
        status text not null default 'PENDING' check (status in ('PENDING', 'SUCCEEDED', 'FAILED', 'PAUSED')),
        attempts integer not null default 0,
        max_attempts integer not null,
        next_attempt_at timestamptz not null default now(),
        claim_token uuid,
        last_status_code integer,
        last_error text,
        created_at timestamptz not null default now(),
        completed_at timestamptz
      ) with (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 500,
              autovacuum_vacuum_cost_delay = 0, autovacuum_analyze_scale_factor = 0.02);
      -- Only due work is in the claim index: finished rows never slow the claim down.
      create index webhook_deliveries_due_index on webhook_deliveries (next_attempt_at) where status = 'PENDING';
      create index webhook_deliveries_subscription_index on webhook_deliveries (subscription_id, created_at desc);
      create index webhook_deliveries_created_at_index on webhook_deliveries (created_at);
      create index webhook_deliveries_event_id_index on webhook_deliveries (event_id);

      create table webhook_attempts (
        id text primary key,
        delivery_id text not null references webhook_deliveries(id) on delete cascade deferrable initially deferred,
        attempt integer not null,
        started_at timestamptz not null,
        duration_ms integer not null,
        status_code integer,
        error text,
        response_excerpt text
      );
      create index webhook_attempts_delivery_id_index on webhook_attempts (delivery_id, attempt);
    `);
  }
}
