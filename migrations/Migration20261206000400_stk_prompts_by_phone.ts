import { Migration } from '@mikro-orm/migrations';

export class Migration20261206000400_stk_prompts_by_phone extends Migration {
  override name = 'Migration20261206000400_stk_prompts_by_phone';

  override up(): void {
    this.addSql(`
      -- The PIN prompts a phone got within the hour (STK_PROMPTS_PER_PHONE_PER_HOUR), asked by a public route when a
      -- buyer wants the prompt again: an index range, not a scan of every payment.
      create index payments_stk_phone_index on payments (phone, created_at) where method = 'MPESA_STK';
    `);
  }

  override down(): void {
    this.addSql('drop index payments_stk_phone_index;');
  }
}
