import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { NAIROBI } from '../common/time.js';
import { type PublicShop, ShopDirectory } from '../auth/shop-directory.service.js';
import { ReadReplica } from '../database/read-replica.service.js';
import { AppError } from '../errors/app-error.js';
import type { ProductResponse } from './dto/product.dto.js';
import type { StoreResponse, StorefrontProduct, StorefrontQuery } from './dto/storefront.dto.js';
import { storefrontPageJson } from './product-page-json.query.js';
import { ProductsService } from './products.service.js';

/** The public shop window: active products only, no stock counts, ratings from visible reviews. */
/** What order placement needs of a shop: its id and its own hold and per-line settings (null: the platform's). */
export interface OrderSettings {
  sellerId: string;
  codHoldHours: number | null;
  maxUnitsPerLine: number | null;
}

const orderSettings = (shop: PublicShop): OrderSettings => ({
  sellerId: shop.id,
  codHoldHours: shop.codHoldHours,
  maxUnitsPerLine: shop.maxUnitsPerLine,
});

@Injectable()
export class StorefrontService {
  constructor(
    private readonly em: EntityManager,
    private readonly products: ProductsService,
    private readonly shops: ShopDirectory,
    private readonly replica: ReadReplica,
  ) {}

  async store(slug: string): Promise<StoreResponse> {
    const seller = await this.shops.bySlug(slug);
    return { storeName: seller.storeName, storeSlug: seller.storeSlug };
  }

  /** One page of the shop window as JSON text, written by PostgreSQL (see storefrontPageJson). */
  async list(slug: string, query: StorefrontQuery): Promise<string> {
    const seller = await this.shops.bySlug(slug);
    // The public listing may lag a few seconds: on the read replica when there is a usable one (DATABASE_READ_URL).
    return this.replica.run((em) => storefrontPageJson(em, seller.id, query));
  }

  /** One product; counts a view for today (Nairobi) in the per-product daily counter. */
  async get(slug: string, productId: string): Promise<StorefrontProduct> {
    const em = this.em.fork();
    const seller = await this.shops.bySlug(slug);
    const product = await this.products.get(seller.id, productId);
    if (!product.isActive) throw AppError.notFound('Product');
    const ratings = await this.ratings(em, [product.id]);
    await em.execute(
      `insert into product_daily_views (product_id, seller_id, day, views) values (?, ?,
       (now() at time zone '${NAIROBI}')::date, 1)
       on conflict (product_id, day) do update set views = product_daily_views.views + 1`,
      [product.id, seller.id],
    );
    return this.toPublic(product, ratings.get(product.id));
  }

  /** The shop behind a slug, for public routes that act on it (reviews, orders). */
  async sellerId(slug: string): Promise<string> {
    return (await this.shops.bySlug(slug)).id;
  }

  /** What order placement needs of the shop behind a slug: its id and its own cash-on-delivery hold, if set. */
  async shopForOrders(slug: string): Promise<OrderSettings> {
    return orderSettings(await this.shops.bySlug(slug));
  }

  /** The same settings for an order the shop's own staff take (the shop is the caller's: it exists). */
  async shopForStaff(sellerId: string): Promise<OrderSettings> {
    return orderSettings(await this.shops.byId(sellerId));
  }

  private async ratings(em: EntityManager, ids: string[]): Promise<Map<string, { avg: number; count: number }>> {
    if (!ids.length) return new Map();
    const rows = await em.execute<{ product_id: string; avg: string; count: string }[]>(
      `select product_id, round(avg(rating)::numeric, 2) as avg, count(*) as count from product_reviews
       where is_visible and product_id in (select json_array_elements_text(?::json)) group by product_id`,
      [JSON.stringify(ids)],
    );
    return new Map(rows.map((r) => [r.product_id, { avg: Number(r.avg), count: Number(r.count) }]));
  }

  private toPublic(p: ProductResponse, rating?: { avg: number; count: number }): StorefrontProduct {
    return {
      id: p.id,
      name: p.name,
      description: p.description,
      priceKes: p.priceKes,
      compareAtPriceKes: p.compareAtPriceKes,
      category: p.category,
      images: p.images,
      inStock: p.stock > 0,
      averageRating: rating ? rating.avg : null,
      reviewCount: rating?.count ?? 0,
      variants: p.variants.map((v) => ({
        id: v.id,
        name: v.name,
        options: v.options,
        priceKes: v.priceKes,
        inStock: v.stock > 0,
      })),
    };
  }
}
