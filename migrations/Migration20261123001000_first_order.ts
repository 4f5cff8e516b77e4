import { Migration } from '@mikro-orm/migrations';

export class Migration20261123001000_first_order extends Migration {
  override name = 'Migration20261123001000_first_order';

  override up(): void {
    this.addSql(`
      -- When each customer's first order that was not cancelled was placed: customer analytics compare each order with
      -- it instead of probing the customer's history once per order. Kept in the order's own transaction.
      alter table customers add column first_order_at timestamptz;
      update customers c set first_order_at = f.first_at
        from (select customer_id, min(created_at) as first_at from orders where status <> 'CANCELLED' group by customer_id) f
        where f.customer_id = c.id;
    `);
  }
}
