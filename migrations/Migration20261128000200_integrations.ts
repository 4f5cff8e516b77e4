import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000200_integrations extends Migration {
  override name = 'Migration20261128000200_integrations';

  override up(): void {
    this.addSql(`
      -- Seller API keys for server-to-server integrations: only the SHA-256 of the key is kept. created_by names the
      -- member who made it without a foreign key: removing that member does not end the shop's integrations.
      create table api_keys (
        id text primary key,
        seller_id text not null references sellers(id) on delete cascade deferrable initially deferred,
        name text not null,
        access text not null check (access in ('read', 'full')),
        key_hash text not null unique,
        key_prefix text not null,
        created_by text not null,
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      create index api_keys_seller_index on api_keys (seller_id, created_at);

      -- A partner hook without a shop is company-wide: every shop that grants the company access, now and later.
      alter table partner_webhooks alter column shop_id drop not null;
      create index partner_webhooks_company_wide_index on partner_webhooks (company_id) where shop_id is null and not deleted;
    `);
  }
}
