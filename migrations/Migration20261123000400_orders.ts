import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000400_orders extends Migration {
  override name = 'Migration20261123000400_orders';

  override up(): void {
    this.addSql(`
      create table customers (
        id text primary key,
        seller_id text not null references sellers(id) on delete cascade deferrable initially deferred,
        name text not null,
        phone text not null,
        email text,
        notes text,
        tags text[] not null default '{}',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (seller_id, phone)
      );
      create index customers_seller_created_index on customers (seller_id, created_at);

      -- One counter row per shop and year: the UPDATE's row lock makes reference codes sequential under concurrency.
      create table order_sequences (
        seller_id text not null,
        year integer not null,
        last_value integer not null,
        primary key (seller_id, year)
      );

      create table orders (
        id text primary key,
        seller_id text not null references sellers(id) on delete cascade deferrable initially deferred,
        reference_code text not null,
        customer_id text not null references customers(id) deferrable initially deferred,
        customer_name text not null,
        customer_phone text not null,
        delivery_method text not null check (delivery_method in ('DELIVERY', 'PICKUP')),
        delivery_address text,
        payment_method text not null check (payment_method in ('MPESA', 'CASH_ON_DELIVERY')),
        status text not null check (status in ('PENDING', 'PAID', 'CONFIRMED', 'DISPATCHED', 'DELIVERED', 'CANCELLED')),
        total_kes integer not null check (total_kes > 0),
        item_count integer not null,
        mpesa_receipt text,
        paid_at timestamptz,
        cancel_reason text,
        idempotency_key text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (seller_id, reference_code)
      );
      create unique index orders_idempotency_key on orders (seller_id, idempotency_key) where idempotency_key is not null;
      create index orders_seller_created_index on orders (seller_id, created_at desc);
      create index orders_seller_status_index on orders (seller_id, status, created_at desc);
      create index orders_customer_index on orders (customer_id, created_at desc);

      create table order_items (
        id text primary key,
        order_id text not null references orders(id) on delete cascade deferrable initially deferred,
        seller_id text not null,
        product_id text not null,
        variant_id text,
        product_name text not null,
        variant_name text,
        quantity integer not null check (quantity between 1 and 1000),
        unit_price_kes integer not null check (unit_price_kes > 0),
        subtotal_kes integer not null
      );
      create index order_items_order_index on order_items (order_id);
      create index order_items_product_index on order_items (product_id);

      create table order_timeline (
        id text primary key,
        order_id text not null references orders(id) on delete cascade deferrable initially deferred,
        status text not null,
        at timestamptz not null default now(),
        actor text not null,
        note text
      );
      create index order_timeline_order_index on order_timeline (order_id, at);

      create table mpesa_settings (
        seller_id text primary key references sellers(id) on delete cascade deferrable initially deferred,
        shortcode text not null,
        environment text not null check (environment in ('sandbox', 'production')),
        passkey_enc text not null,
        consumer_key_enc text not null,
        consumer_secret_enc text not null,
        callback_token text not null unique,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );

      create table payments (
        id text primary key,
        seller_id text not null references sellers(id) on delete cascade deferrable initially deferred,
        order_id text references orders(id) deferrable initially deferred,
        method text not null check (method in ('MPESA_STK', 'MANUAL')),
        status text not null check (status in ('PENDING', 'COMPLETED', 'FAILED', 'FLAGGED')),
        amount_kes integer,
        expected_kes integer not null,
        phone text,
        mpesa_receipt text unique,
        checkout_request_id text unique,
        merchant_request_id text,
        result_code integer,
        result_desc text,
        flag_reason text,
        raw_callback jsonb,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        completed_at timestamptz
      );
      create index payments_seller_created_index on payments (seller_id, created_at desc);
      create index payments_order_index on payments (order_id);
    `);
  }
}
