import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000600_attempt_request_headers extends Migration {
  override name = 'Migration20261128000600_attempt_request_headers';

  override up(): void {
    this.addSql(`
      -- The headers each attempt was sent with (event ids, attempt number, the signatures: HMAC outputs, no secret),
      -- so the delivery log shows a seller exactly what their server received. Older attempts have none.
      alter table webhook_attempts add column request_headers jsonb;
    `);
  }

  override down(): void {
    this.addSql('alter table webhook_attempts drop column request_headers;');
  }
}
