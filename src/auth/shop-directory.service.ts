import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';

export interface PublicShop {
  id: string;
  storeName: string;
  storeSlug: string;
  /** The shop's own cash-on-delivery hold, or null for the platform default. */
  codHoldHours: number | null;
  /** The shop's own cap on units of one product or variant per public order, or null for ORDER_MAX_UNITS_PER_LINE. */
  maxUnitsPerLine: number | null;
}

interface ShopRow {
  id: string;
  store_name: string;
  store_slug: string;
  cod_hold_hours: number | null;
  max_units_per_line: number | null;
}

/** How long a found shop is reused: every storefront request and every order starts with this lookup. */
const CACHE_MS = 2000;

/**
 * The shops behind public storefront slugs, for the modules that serve them (auth owns `sellers`). A found shop is
 * kept for two seconds (a slug never moves to another shop; a settings change here is seen at once, on another
 * instance within two seconds); a miss is never kept, so a new shop sells at once.
 */
@Injectable()
export class ShopDirectory {
  private readonly cache = new Map<string, { shop: PublicShop; until: number }>();

  constructor(private readonly em: EntityManager) {}

  /** 404 "Store" for a slug no shop has. */
  async bySlug(slug: string): Promise<PublicShop> {
    const key = slug.toLowerCase();
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.shop;
    const shop = await this.read('store_slug', key);
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(key, { shop, until: Date.now() + CACHE_MS });
    return shop;
  }

  /** A shop by its id, read each time (its own staff's requests: nothing to spare the database from). */
  async byId(sellerId: string): Promise<PublicShop> {
    return this.read('id', sellerId);
  }

  /** A shop's settings changed: the next lookup reads them. */
  forget(sellerId: string): void {
    for (const [key, { shop }] of this.cache) if (shop.id === sellerId) this.cache.delete(key);
  }

  private async read(column: 'store_slug' | 'id', value: string): Promise<PublicShop> {
    // One indexed read, no entity: every storefront request and every order starts here.
    const [row] =
      value.length <= 60
        ? await this.em.fork().execute<ShopRow[]>(
            `select id, store_name, store_slug, cod_hold_hours, max_units_per_line from sellers
                where ${column} = ?`,
            [value],
          )
        : [];
    if (!row) throw AppError.notFound('Store');
    return {
      id: row.id,
      storeName: row.store_name,
      storeSlug: row.store_slug,
      codHoldHours: row.cod_hold_hours,
      maxUnitsPerLine: row.max_units_per_line,
    };
  }
}
