import { Migration } from '@mikro-orm/migrations';

export class Migration20261206000600_staff_order_holds extends Migration {
  override name = 'Migration20261206000600_staff_order_holds';

  override up(): void {
    this.addSql(`
      -- An order the shop takes itself holds its stock until hold_expires_at whatever its payment method (an M-Pesa
      -- one too: the buyer may pay the till tonight), so the expiry job reads every pending order with a hold.
      create index orders_hold_index on orders (hold_expires_at) where status = 'PENDING' and hold_expires_at is not null;
      drop index orders_cod_hold_index;
    `);
  }

  override down(): void {
    this.addSql(`
      create index orders_cod_hold_index on orders (hold_expires_at)
        where status = 'PENDING' and payment_method = 'CASH_ON_DELIVERY';
      drop index orders_hold_index;
    `);
  }
}
