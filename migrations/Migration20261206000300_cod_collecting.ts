import { Migration } from '@mikro-orm/migrations';

export class Migration20261206000300_cod_collecting extends Migration {
  override name = 'Migration20261206000300_cod_collecting';

  override up(): void {
    this.addSql(`
      -- Cash-on-delivery orders on their way: a till payment made at the door is matched to them by amount and phone
      -- among those that moved in the match window (OrderLookup.awaitingAmount's second arm).
      create index orders_cod_collecting_index on orders (seller_id, updated_at)
        where payment_method = 'CASH_ON_DELIVERY' and status in ('CONFIRMED', 'DISPATCHED', 'DELIVERED');
    `);
  }

  override down(): void {
    this.addSql('drop index orders_cod_collecting_index;');
  }
}
