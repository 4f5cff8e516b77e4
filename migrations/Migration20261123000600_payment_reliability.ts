import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000600_payment_reliability extends Migration {
  override name = 'Migration20261123000600_payment_reliability';

  override up(): void {
    this.addSql(`
      -- Status queries: when the next one is due, how many were made, and who holds the claim (SKIP LOCKED lease).
      alter table payments
        add column query_attempts integer not null default 0,
        add column next_query_at timestamptz,
        add column query_claim_token uuid,
        -- 'callback' or 'query': a FAILED decided by a query can still be overturned by a late success callback.
        add column decided_by text;
      create index payments_query_due_index on payments (next_query_at) where status = 'PENDING' and checkout_request_id is not null;

      -- Every raw callback, matched or not, for audit.
      create table payment_callbacks (
        id text primary key,
        seller_id text not null references sellers(id) on delete cascade deferrable initially deferred,
        payment_id text references payments(id) on delete cascade deferrable initially deferred,
        checkout_request_id text,
        result_code integer,
        body jsonb not null,
        outcome text not null,
        received_at timestamptz not null default now()
      );
      create index payment_callbacks_payment_index on payment_callbacks (payment_id, received_at);

      create table payment_queries (
        id text primary key,
        payment_id text not null references payments(id) on delete cascade deferrable initially deferred,
        at timestamptz not null default now(),
        result_code integer,
        result_desc text,
        definite boolean not null,
        response jsonb
      );
      create index payment_queries_payment_index on payment_queries (payment_id, at);

      -- Unpaid M-Pesa orders are found by age.
      create index orders_unpaid_mpesa_index on orders (created_at) where status = 'PENDING' and payment_method = 'MPESA';
    `);
  }
}
