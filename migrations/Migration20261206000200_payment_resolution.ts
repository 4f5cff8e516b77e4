import { Migration } from '@mikro-orm/migrations';

export class Migration20261206000200_payment_resolution extends Migration {
  override name = 'Migration20261206000200_payment_resolution';

  override up(): void {
    this.addSql(`
      -- A flagged payment the seller has dealt with (refunded the overpayment, fulfilled by hand...): it stays FLAGGED
      -- for the record and leaves the review queue.
      alter table payments
        add column resolved_at timestamptz,
        add column resolved_by text,
        add column resolution text;
    `);
  }

  override down(): void {
    this.addSql('alter table payments drop column resolved_at, drop column resolved_by, drop column resolution;');
  }
}
