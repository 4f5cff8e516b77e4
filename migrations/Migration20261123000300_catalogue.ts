import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000300_catalogue extends Migration {
  override name = 'Migration20261123000300_catalogue';

  override up(): void {
    this.addSql(`
      create table products (
        id text primary key,
        seller_id text not null references sellers(id) on delete cascade deferrable initially deferred,
        name text not null,
        description text,
        price_kes integer not null check (price_kes > 0),
        compare_at_price_kes integer check (compare_at_price_kes > 0),
        sku text,
        category text,
        stock integer not null default 0 check (stock >= 0),
        low_stock_threshold integer not null default 5 check (low_stock_threshold >= 0),
        -- Set when LOW_STOCK_ALERT fired; cleared once stock is back above the threshold, so it fires once per crossing.
        low_stock_alerted boolean not null default false,
        is_active boolean not null default true,
        images jsonb not null default '[]',
        deleted_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create unique index products_seller_sku_key on products (seller_id, lower(sku)) where sku is not null and deleted_at is null;
      create index products_seller_created_index on products (seller_id, created_at desc) where deleted_at is null;
      create index products_seller_category_index on products (seller_id, category) where deleted_at is null;

      create table product_variants (
        id text primary key,
        product_id text not null references products(id) on delete cascade deferrable initially deferred,
        seller_id text not null,
        name text not null,
        options jsonb not null default '{}',
        sku text,
        price_kes integer check (price_kes > 0),
        stock integer not null default 0 check (stock >= 0),
        low_stock_alerted boolean not null default false,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index product_variants_product_index on product_variants (product_id, created_at);
      create unique index product_variants_seller_sku_key on product_variants (seller_id, lower(sku)) where sku is not null;

      create table product_reviews (
        id text primary key,
        product_id text not null references products(id) on delete cascade deferrable initially deferred,
        seller_id text not null,
        customer_name text not null,
        rating integer not null check (rating between 1 and 5),
        comment text,
        is_visible boolean not null default true,
        created_at timestamptz not null default now()
      );
      create index product_reviews_product_index on product_reviews (product_id, created_at desc);

      -- One row per product and day (Nairobi), not per view: analytics reads these.
      create table product_daily_views (
        product_id text not null references products(id) on delete cascade deferrable initially deferred,
        seller_id text not null,
        day date not null,
        views integer not null default 0,
        primary key (product_id, day)
      );
      create index product_daily_views_seller_day_index on product_daily_views (seller_id, day);
    `);
  }
}
