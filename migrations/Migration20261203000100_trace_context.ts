import { Migration } from '@mikro-orm/migrations';

/**
 * Observability (issue #28): the W3C traceparent of the request that made an event or started a payment, so the work
 * that follows later in another process (deliveries, Daraja callbacks, status queries) joins that trace. Null when
 * tracing is off.
 */
export class Migration20261203000100_trace_context extends Migration {
  override name = 'Migration20261203000100_trace_context';

  override up(): void {
    this.addSql(`
      alter table webhook_events add column trace_parent text;
      alter table payments add column trace_parent text;
    `);
  }

  override down(): void {
    this.addSql(`
      alter table webhook_events drop column trace_parent;
      alter table payments drop column trace_parent;
    `);
  }
}
