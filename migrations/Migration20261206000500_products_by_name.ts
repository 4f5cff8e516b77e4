import { Migration } from '@mikro-orm/migrations';

export class Migration20261206000500_products_by_name extends Migration {
  override name = 'Migration20261206000500_products_by_name';

  override up(): void {
    this.addSql(`
      -- A shop's products by name: the stock-take export's keyset batches ((lower(name), id) > the last one's) and the
      -- list's and storefront's sort=name read a range of it instead of sorting the whole catalogue per page.
      create index products_seller_name_index on products (seller_id, lower(name), id) where deleted_at is null;
    `);
  }

  override down(): void {
    this.addSql('drop index products_seller_name_index;');
  }
}
