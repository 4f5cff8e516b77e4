import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000700_analytics extends Migration {
  override name = 'Migration20261123000700_analytics';

  override up(): void {
    this.addSql(`
      -- Covering indexes: the analytics aggregates read only these, index-only, never the order rows themselves.
      create index orders_analytics_index on orders (seller_id, created_at) include (status, total_kes, customer_id);
      create index customers_analytics_index on customers (seller_id, created_at);
      create index order_items_analytics_index on order_items (order_id) include (product_id, quantity, subtotal_kes);
    `);
  }
}
