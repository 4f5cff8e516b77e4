import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000100_accounts extends Migration {
  override name = 'Migration20261123000100_accounts';

  override up(): void {
    this.addSql(`
      -- Entities reference each other by id, so MikroORM cannot order inserts by foreign key:
      -- every foreign key is checked at commit instead (deferrable initially deferred).
      create table sellers (
        id text primary key,
        store_name text not null,
        store_slug text not null unique,
        phone text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create table users (
        id text primary key,
        seller_id text not null references sellers(id) on delete cascade deferrable initially deferred,
        email text not null,
        name text,
        password_hash text not null,
        role text not null check (role in ('OWNER', 'MANAGER', 'VIEWER')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      -- Emails are unique whatever their case: a second "Amina@Duka.co.ke" is a duplicate.
      create unique index users_email_lower_key on users (lower(email));
      create index users_seller_id_index on users (seller_id);
    `);
  }
}
