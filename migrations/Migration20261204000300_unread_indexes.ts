import { Migration } from '@mikro-orm/migrations';

export class Migration20261204000300_unread_indexes extends Migration {
  override name = 'Migration20261204000300_unread_indexes';

  override up(): void {
    this.addSql(`
      -- Indexes for the first analytics, which read orders, their lines and customers directly. Analytics reads its
      -- own facts since Migration20261128000400_module_read_models, and nothing else needs these: every order wrote
      -- an entry in each (one of them an exact copy of customers_seller_created_index) for no reader. The read-model
      -- rebuild script scans by orders_seller_created_index and order_items_order_index instead.
      drop index orders_analytics_index;
      drop index customers_analytics_index;
      drop index order_items_analytics_index;
    `);
  }

  override down(): void {
    this.addSql(`
      create index orders_analytics_index on orders (seller_id, created_at) include (status, total_kes, customer_id);
      create index customers_analytics_index on customers (seller_id, created_at);
      create index order_items_analytics_index on order_items (order_id) include (product_id, quantity, subtotal_kes);
    `);
  }
}
