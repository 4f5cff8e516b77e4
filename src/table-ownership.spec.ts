import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The half of the module boundaries dependency-cruiser cannot see: raw SQL. Each table belongs to one module, and
 * only that module's files name it in SQL (or in an entity's tableName). Migrations and scripts/ stand outside.
 */
const OWNERS: Record<string, string[]> = {
  auth: ['sellers', 'users', 'sessions', 'api_keys', 'audit_log'],
  customers: ['customers'],
  products: ['products', 'product_variants', 'product_reviews', 'product_daily_views'],
  orders: ['orders', 'order_items', 'order_timeline', 'order_sequences'],
  payments: ['payments', 'mpesa_settings', 'payment_callbacks', 'payment_queries'],
  analytics: [
    'seller_daily_stats',
    'analytics_orders',
    'analytics_product_sales',
    'analytics_customer_gaps',
    'analytics_spend_windows',
    'analytics_customer_spend',
  ],
  webhooks: ['webhook_endpoints', 'webhook_events', 'webhook_deliveries', 'webhook_attempts'],
  'partner-webhooks': ['partner_companies', 'partner_webhooks', 'partner_access', 'partner_webhook_urls'],
};

const ROOT = join(import.meta.dirname, '..');
const owner = new Map(Object.entries(OWNERS).flatMap(([module, tables]) => tables.map((t) => [t, module] as const)));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

function tablesNamedIn(text: string): string[] {
  return [...owner.keys()].filter(
    (t) =>
      new RegExp(`\\b(from|join|into|update|table|exists \\(select 1 from)\\s+${t}\\b`, 'i').test(text) ||
      text.includes(`tableName: '${t}'`),
  );
}

describe('table ownership', () => {
  it('gives every table the migrations create an owning module', () => {
    const created = readdirSync(join(ROOT, 'migrations'))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        [...readFileSync(join(ROOT, 'migrations', f), 'utf8').matchAll(/create table (\w+)/g)].map((m) => m[1]),
      );
    expect(created.filter((t) => !owner.has(t))).toEqual([]);
  });

  it("lets only a table's module name it in SQL", () => {
    const trespass: string[] = [];
    for (const file of files(join(ROOT, 'src'))) {
      const module = file.slice(join(ROOT, 'src').length + 1).split('/')[0];
      for (const table of tablesNamedIn(readFileSync(file, 'utf8'))) {
        if (owner.get(table) !== module)
          trespass.push(`${file.slice(ROOT.length + 1)} names ${table} (${owner.get(table)}'s)`);
      }
    }
    expect(trespass).toEqual([]);
  });

  it('catches a trespass (the check itself works)', () => {
    expect(tablesNamedIn('select id from orders o join customers c on c.id = o.customer_id')).toEqual([
      'customers',
      'orders',
    ]);
  });
});
