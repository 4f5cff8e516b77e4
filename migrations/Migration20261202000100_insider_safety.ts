import { Migration } from '@mikro-orm/migrations';

/** Keys and money that cannot be turned against the shop (issue #24): sudo mode, the audit log, narrower trust. */
export class Migration20261202000100_insider_safety extends Migration {
  override name = 'Migration20261202000100_insider_safety';

  override up(): void {
    this.addSql(`
      -- Sudo mode: when the password was last entered in this session (sign-in, sign-up or POST /api/auth/reauth).
      alter table sessions add column password_at timestamptz not null default now();
      create index sessions_expiry_index on sessions (expires_at);

      -- Failed sign-ins lock an account only from addresses that never signed in to it: the known ones, per account.
      alter table users add column known_addresses text[] not null default '{}';

      -- Who changed who may act for the shop, or where its money goes, and what changed (never a secret).
      create table audit_log (
        id text primary key,
        seller_id text not null references sellers(id) on delete cascade deferrable initially deferred,
        at timestamptz not null default now(),
        actor_type text not null check (actor_type in ('user', 'key')),
        actor_id text not null,
        actor_email text,
        action text not null,
        target text,
        ip text,
        changes jsonb not null default '{}'
      );
      create index audit_log_seller_index on audit_log (seller_id, at desc, id desc);
      create index audit_log_at_index on audit_log (at);

      -- M-Pesa receipts are unique per shop (one shop's 409 must not tell it what another was paid). A receipt only
      -- an untrusted callback named is kept unverified and does not reserve the receipt.
      alter table payments add column receipt_verified boolean not null default true,
        add column receipt_candidates text[] not null default '{}';
      alter table payments drop constraint if exists payments_mpesa_receipt_key;
      create unique index payments_seller_receipt on payments (seller_id, mpesa_receipt)
        where mpesa_receipt is not null and receipt_verified;
      create index payment_callbacks_unmatched_age on payment_callbacks (received_at) where payment_id is null;

      -- Open orders per client address (an IPv6 client counted by its /64), and the shop's own per-line cap.
      alter table orders add column client_key text;
      create index orders_open_by_address on orders (seller_id, client_key) where status = 'PENDING';
      alter table sellers add column max_units_per_line integer check (max_units_per_line between 1 and 100000);
    `);
  }
}
