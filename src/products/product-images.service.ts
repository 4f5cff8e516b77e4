import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { DomainEvent } from '../events/domain-event.js';
import { ImageQuota } from './image-quota.service.js';
import { toProductEvent, toProductResponse } from './product.mapper.js';
import type { ProductResponse } from './dto/product.dto.js';
import { ProductsService } from './products.service.js';

/** A product's photos, one at a time: added with a product update (multipart `image`), removed here. */
@Injectable()
export class ProductImagesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly products: ProductsService,
    private readonly images: ImageQuota,
  ) {}

  /** Takes one photo off the product (PRODUCT_UPDATED); its bytes are deleted once that has committed. */
  async remove(sellerId: string, productId: string, imageId: string): Promise<ProductResponse> {
    const { product, image } = await this.uow.run(async (tx) => {
      const found = await this.products.find(tx.em, sellerId, productId, true);
      const dropped = found.images.find((i) => i.id === imageId);
      if (!dropped) throw AppError.notFound('Image');
      found.images = found.images.filter((i) => i.id !== imageId);
      await tx.em.flush();
      const variants = await this.products.variants(tx.em, found.id);
      await tx.publish(new DomainEvent('PRODUCT_UPDATED', sellerId, toProductEvent(found, variants)));
      return { product: toProductResponse(found, variants), image: dropped };
    });
    await this.images.deleteFiles([image]);
    return product;
  }
}
