import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000500_partners extends Migration {
  override name = 'Migration20261123000500_partners';

  override up(): void {
    this.addSql(`
      create table partner_companies (
        id text primary key,
        name text not null,
        -- SHA-256 of the API key: we only ever compare it.
        api_key_hash text not null unique,
        api_key_prefix text not null,
        signing_secret_enc text not null,
        revoked_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );

      create table partner_access (
        seller_id text not null references sellers(id) on delete cascade deferrable initially deferred,
        company_id text not null references partner_companies(id) on delete cascade deferrable initially deferred,
        granted_by text not null,
        created_at timestamptz not null default now(),
        primary key (seller_id, company_id)
      );

      create table partner_webhooks (
        id text primary key,
        company_id text not null references partner_companies(id) on delete cascade deferrable initially deferred,
        shop_id text not null references sellers(id) on delete cascade deferrable initially deferred,
        url text,
        web_hook_type text,
        web_hook_urls text[] not null,
        deleted boolean not null default false,
        updated boolean not null default false,
        is_active boolean not null default true,
        disabled_reason text,
        disabled_at timestamptz,
        consecutive_failures integer not null default 0,
        created_at timestamptz not null default now(),
        modified_at timestamptz not null default now()
      );
      create index partner_webhooks_company_index on partner_webhooks (company_id, created_at) where not deleted;
      create index partner_webhooks_shop_index on partner_webhooks (shop_id) where not deleted;
    `);
  }
}
