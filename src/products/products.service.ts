import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { patchFields } from '../common/patch.js';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { DomainEvent } from '../events/domain-event.js';
import { isId, newId } from '../ids/ids.js';
import type {
  CreateProductDto,
  NewProductDto,
  ProductQuery,
  ProductResponse,
  UpdateProductDto,
} from './dto/product.dto.js';
import { ProductVariant } from './entities/product-variant.entity.js';
import { type ProductImage, Product } from './entities/product.entity.js';
import { checkImage } from './image-check.js';
import { productPageJson } from './product-page-json.query.js';
import { toProductEvent, toProductResponse, totalStock } from './product.mapper.js';
import { StockService } from './stock.service.js';
import { ImageStorage } from './storage/image-storage.js';
import { ImageQuota } from './image-quota.service.js';
import { newVariant } from './variant-rows.js';

/** Two variants of one new product with the same SKU: a mistake in the body itself (400), named by its place. */
function assertDistinctVariantSkus(variants: { sku?: string | null }[]): void {
  const seen = new Map<string, number>();
  variants.forEach((v, i) => {
    const sku = v.sku?.toLowerCase();
    if (!sku) return;
    const first = seen.get(sku);
    if (first !== undefined)
      throw AppError.validation(`variants ${first} and ${i} have the same sku`, [
        { field: `variants.${i}.sku`, message: `repeats the sku of variants.${first}` },
      ]);
    seen.set(sku, i);
  });
}

export interface UploadedImage {
  buffer: Buffer;
  size: number;
}

/** A shop's catalogue: products, their images, and the events each change emits. */
/** A product as checkout prices it. */
export interface ProductForSale {
  id: string;
  name: string;
  priceKes: number;
  /** A variant without its own price sells at the product's. */
  variants: { id: string; name: string; priceKes: number | null }[];
}

@Injectable()
export class ProductsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly stock: StockService,
    private readonly storage: ImageStorage,
    private readonly images: ImageQuota,
  ) {}

  /** One page of products as JSON text, written by PostgreSQL (see productPageJson). */
  list(sellerId: string, query: ProductQuery): Promise<string> {
    return productPageJson(this.em, sellerId, query);
  }

  async get(sellerId: string, id: string): Promise<ProductResponse> {
    const em = this.em.fork();
    const product = await this.find(em, sellerId, id);
    return toProductResponse(product, await this.variants(em, product.id));
  }

  async create(sellerId: string, dto: NewProductDto, image?: UploadedImage): Promise<ProductResponse> {
    assertDistinctVariantSkus(dto.variants ?? []);
    if (image) await this.images.assertRoom(this.em.fork(), sellerId, image.size);
    const images = image ? [await this.storeImage(image)] : [];
    return this.images.removeOnFailure(images, () =>
      this.translateSkuConflict(() =>
        this.uow.run(async (tx) => {
          if (image) await this.images.assertRoomLocked(tx.em, sellerId, image.size);
          const product = this.build(tx, sellerId, dto, images);
          const variants = (dto.variants ?? []).map((v) => newVariant(tx, product, v));
          await tx.em.flush();
          await tx.publish(new DomainEvent('PRODUCT_CREATED', sellerId, toProductEvent(product, variants)));
          return toProductResponse(product, variants);
        }),
      ),
    );
  }

  /** Creates many products in the caller's transaction (bulk import); one PRODUCT_CREATED each. */
  async createMany(tx: Tx, sellerId: string, rows: CreateProductDto[]): Promise<string[]> {
    const products = rows.map((dto) => this.build(tx, sellerId, dto, []));
    await tx.em.flush();
    for (const product of products)
      await tx.publish(new DomainEvent('PRODUCT_CREATED', sellerId, toProductEvent(product, [])));
    return products.map((p) => p.id);
  }

  async update(sellerId: string, id: string, dto: UpdateProductDto, image?: UploadedImage): Promise<ProductResponse> {
    if (image) {
      // Bytes are written only once the product is known to be this shop's, and there is room for them.
      const em = this.em.fork();
      this.images.assertCount(await this.find(em, sellerId, id));
      await this.images.assertRoom(em, sellerId, image.size);
    }
    const added = image ? await this.storeImage(image) : undefined;
    return this.images.removeOnFailure(added ? [added] : [], () => this.applyUpdate(sellerId, id, dto, added));
  }

  private applyUpdate(
    sellerId: string,
    id: string,
    dto: UpdateProductDto,
    added: ProductImage | undefined,
  ): Promise<ProductResponse> {
    return this.translateSkuConflict(() =>
      this.uow.run(async (tx) => {
        const current = await this.find(tx.em, sellerId, id, true);
        // Re-checked under the row lock and the shop's image lock: parallel uploads cannot both take the last place.
        if (added) {
          this.images.assertCount(current);
          await this.images.assertRoomLocked(tx.em, sellerId, added.size);
        }
        const variants = await this.variants(tx.em, current.id);
        const { stock, ...fields } = patchFields(dto, ['name', 'priceKes', 'stock', 'lowStockThreshold', 'isActive']);
        // A stock equal to what the product shows (its variants' sum when it has any) changes nothing: a client that
        // sends the whole form back is not refused for a field it did not change.
        if (stock !== undefined && stock !== totalStock(current, variants)) {
          if (variants.length)
            // The body is well formed; the product's state refuses it (another product would take it): 409.
            throw AppError.conflict('This product is sold by variant: change the stock of its variants');
          // Through the stock service, so a PATCH can never race an order into negative stock.
          await this.stock.adjust(tx, sellerId, { productId: current.id, delta: stock - current.stock });
          await tx.em.refresh(current);
        }
        tx.em.assign(current, { ...fields, ...(added ? { images: [...current.images, added] } : {}) });
        await tx.em.flush();
        await tx.publish(new DomainEvent('PRODUCT_UPDATED', sellerId, toProductEvent(current, variants)));
        return toProductResponse(current, variants);
      }),
    );
  }

  /** Soft delete: orders keep their history; the product leaves lists and the storefront. */
  async remove(sellerId: string, id: string): Promise<void> {
    const photos = await this.uow.run(async (tx) => {
      const product = await this.find(tx.em, sellerId, id, true);
      // Its photos go with it (orders keep names and prices, never images), so they free the shop's storage.
      const dropped = product.images;
      Object.assign(product, { deletedAt: new Date(), isActive: false, images: [] });
      await tx.em.flush();
      await tx.publish(
        new DomainEvent('PRODUCT_DELETED', sellerId, toProductEvent(product, await this.variants(tx.em, product.id))),
      );
      return dropped;
    });
    await this.images.deleteFiles(photos);
  }

  async find(em: EntityManager, sellerId: string, id: string, lock = false): Promise<Product> {
    const product = isId('product', id)
      ? await em.findOne(
          Product,
          { id, sellerId, deletedAt: null },
          lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
        )
      : null;
    if (!product) throw AppError.notFound('Product');
    return product;
  }

  variants(em: EntityManager, productId: string): Promise<ProductVariant[]> {
    return em.find(ProductVariant, { productId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /**
   * What checkout needs of the shop's active products: names and prices, with their variants', in one statement
   * (plain values, no entities: an order reads them on every placement).
   */
  async forSale(tx: Tx, sellerId: string, ids: string[]): Promise<Map<string, ProductForSale>> {
    const valid = ids.filter((id) => isId('product', id));
    if (!valid.length) return new Map();
    const rows = await tx.sql<ProductForSale>(
      `select p.id, p.name, p.price_kes as "priceKes",
              coalesce((select json_agg(json_build_object('id', v.id, 'name', v.name, 'priceKes', v.price_kes))
                        from product_variants v where v.product_id = p.id), '[]') as variants
       from products p
       where p.id in (select json_array_elements_text(?::json)) and p.seller_id = ? and p.deleted_at is null
         and p.is_active`,
      [JSON.stringify(valid), sellerId],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  private build(tx: Tx, sellerId: string, dto: CreateProductDto, images: ProductImage[]): Product {
    const stock = dto.stock ?? 0;
    const lowStockThreshold = dto.lowStockThreshold ?? 5;
    return tx.em.create(Product, {
      id: newId('product'),
      sellerId,
      name: dto.name,
      description: dto.description ?? null,
      priceKes: dto.priceKes,
      compareAtPriceKes: dto.compareAtPriceKes ?? null,
      sku: dto.sku ?? null,
      category: dto.category ?? null,
      stock,
      lowStockThreshold,
      // Created low is not a crossing: the first alert comes after a restock above the threshold and a fall back.
      lowStockAlerted: stock <= lowStockThreshold,
      isActive: dto.isActive ?? true,
      images,
      deletedAt: null,
    });
  }

  private async storeImage(image: UploadedImage): Promise<ProductImage> {
    const { contentType, ext } = await checkImage(image.buffer);
    const id = newId('image');
    const key = `${id}.${ext}`;
    await this.storage.put(key, image.buffer, contentType);
    return { id, url: `/api/media/products/${key}`, contentType, size: image.size };
  }

  private async translateSkuConflict<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw AppError.conflict(
          error.message.includes('product_variants_seller_sku_key')
            ? 'A variant with this SKU already exists in your shop'
            : 'A product with this SKU already exists in your shop',
        );
      throw error;
    }
  }
}
