import { Migration } from '@mikro-orm/migrations';

export class Migration20261206000100_instant_text extends Migration {
  override name = 'Migration20261206000100_instant_text';

  override up(): void {
    this.addSql(`
      -- An instant as the API writes it (Date#toJSON: UTC, milliseconds, Z). to_char is only "stable" because some
      -- of its patterns (TMMonth) follow the locale; this one reads neither locale nor TimeZone, so it is immutable.
      create function api_instant(t timestamptz) returns text language sql immutable parallel safe
        as $$ select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
      -- The product list is written as JSON by PostgreSQL (src/products/product-page-json.query.ts): formatting six
      -- instants per product on every read was over a quarter of its PostgreSQL time. They are formatted when a row
      -- is written instead (a product or variant is read far more often than written).
      alter table products
        add column created_at_text text generated always as (api_instant(created_at)) stored,
        add column updated_at_text text generated always as (api_instant(updated_at)) stored;
      alter table product_variants
        add column created_at_text text generated always as (api_instant(created_at)) stored,
        add column updated_at_text text generated always as (api_instant(updated_at)) stored;
    `);
  }

  override down(): void {
    this.addSql(`
      alter table product_variants drop column created_at_text, drop column updated_at_text;
      alter table products drop column created_at_text, drop column updated_at_text;
      drop function api_instant(timestamptz);
    `);
  }
}
