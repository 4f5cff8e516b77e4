import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { AppError } from '../errors/app-error.js';
import type { Product, ProductImage } from './entities/product.entity.js';
import { ImageStorage } from './storage/image-storage.js';

/**
 * How many images a product may have and how many bytes of images a shop may keep (PRODUCT_MAX_IMAGES,
 * SHOP_STORAGE_QUOTA_MB).
 */
@Injectable()
export class ImageQuota {
  private readonly logger = new Logger(ImageQuota.name);

  constructor(
    private readonly config: AppConfig,
    private readonly storage: ImageStorage,
  ) {}

  assertCount(product: Pick<Product, 'images'>): void {
    const max = this.config.products.maxImagesPerProduct;
    if (product.images.length >= max) {
      throw AppError.validation(`A product can have at most ${max} images; remove one first`, [
        { field: 'image', message: `at most ${max} images per product` },
      ]);
    }
  }

  /** Refuses an image that would take the shop past its storage quota. */
  async assertRoom(em: EntityManager, sellerId: string, bytes: number): Promise<void> {
    const [{ used }] = await em.execute<{ used: string }[]>(
      `select coalesce(sum((img->>'size')::bigint), 0) as used
       from products p cross join lateral jsonb_array_elements(p.images) img
       where p.seller_id = ? and p.deleted_at is null`,
      [sellerId],
    );
    const quota = this.config.products.shopStorageQuotaMb * 1024 * 1024;
    if (Number(used) + bytes > quota) {
      const message =
        `Your shop has used its ${this.config.products.shopStorageQuotaMb} MB of image storage; ` +
        `remove photos or products first`;
      throw AppError.validation(message, [{ field: 'image', message: 'shop storage quota reached' }]);
    }
  }

  /**
   * The quota check that counts: inside the transaction that adds the image, after taking the shop's image lock, so
   * parallel uploads are counted one after the other (the early check only spares writing bytes that cannot fit).
   */
  async assertRoomLocked(em: EntityManager, sellerId: string, bytes: number): Promise<void> {
    await em.execute(`select pg_advisory_xact_lock(hashtextextended('image-quota:' || ?, 0))`, [sellerId]);
    await this.assertRoom(em, sellerId, bytes);
  }

  /** Runs `work`; when it fails, the image bytes written for it are removed so nothing is kept without a product. */
  async removeOnFailure<T>(images: ProductImage[], work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      await this.deleteFiles(images);
      throw error;
    }
  }

  /** Removes these images' bytes from storage (once nothing names them); a failure is logged, never thrown. */
  async deleteFiles(images: ProductImage[]): Promise<void> {
    for (const image of images) {
      const key = image.url.split('/').pop() ?? '';
      await this.storage
        .delete(key)
        .catch((e: unknown) => this.logger.warn(`could not remove image ${key}: ${String(e)}`));
    }
  }
}
