import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';

export interface PublicShop {
  id: string;
  storeName: string;
  storeSlug: string;
  /** The shop's own cash-on-delivery hold, or null for the platform default. */
  codHoldHours: number | null;
}

/** The shops behind public storefront slugs, for the modules that serve them (auth owns `sellers`). */
@Injectable()
export class ShopDirectory {
  constructor(private readonly em: EntityManager) {}

  /** 404 "Store" for a slug no shop has. */
  async bySlug(slug: string): Promise<PublicShop> {
    // One indexed read, no entity: every storefront request and every order starts here.
    const [row] =
      slug.length <= 60
        ? await this.em
            .fork()
            .execute<{ id: string; store_name: string; store_slug: string; cod_hold_hours: number | null }[]>(
              'select id, store_name, store_slug, cod_hold_hours from sellers where store_slug = ?',
              [slug.toLowerCase()],
            )
        : [];
    if (!row) throw AppError.notFound('Store');
    return { id: row.id, storeName: row.store_name, storeSlug: row.store_slug, codHoldHours: row.cod_hold_hours };
  }
}
