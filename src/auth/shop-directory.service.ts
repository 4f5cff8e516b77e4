import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';
import { Seller } from './entities/seller.entity.js';

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
    const seller = slug.length <= 60 ? await this.em.fork().findOne(Seller, { storeSlug: slug.toLowerCase() }) : null;
    if (!seller) throw AppError.notFound('Store');
    return {
      id: seller.id,
      storeName: seller.storeName,
      storeSlug: seller.storeSlug,
      codHoldHours: seller.codHoldHours ?? null,
    };
  }
}
