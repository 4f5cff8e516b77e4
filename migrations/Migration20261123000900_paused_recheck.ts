import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000900_paused_recheck extends Migration {
  override name = 'Migration20261123000900_paused_recheck';

  override up(): void {
    this.addSql(`
      -- Paused deliveries are looked at again now and then, so one paused in a race with re-enabling is never stuck.
      drop index webhook_deliveries_due_index;
      create index webhook_deliveries_due_index on webhook_deliveries (next_attempt_at) where status in ('PENDING', 'PAUSED');
    `);
  }
}
