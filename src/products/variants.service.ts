import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { patchFields } from '../common/patch.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { DomainEvent } from '../events/domain-event.js';
import { isId } from '../ids/ids.js';
import type { VariantResponse } from './dto/product.dto.js';
import type { CreateVariantDto, UpdateVariantDto } from './dto/variant.dto.js';
import { ProductVariant } from './entities/product-variant.entity.js';
import type { Product } from './entities/product.entity.js';
import { toProductEvent, toVariantResponse } from './product.mapper.js';
import { ProductsService } from './products.service.js';
import { StockService } from './stock.service.js';
import { newVariant } from './variant-rows.js';

/** Variants: a product with variants is sold by variant, each with its own stock and (optionally) price. */
@Injectable()
export class VariantsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly products: ProductsService,
    private readonly stock: StockService,
  ) {}

  add(sellerId: string, productId: string, dto: CreateVariantDto): Promise<VariantResponse> {
    return this.write(async (tx) => {
      const product = await this.products.find(tx.em, sellerId, productId, true);
      const variant = newVariant(tx, product, dto);
      await tx.em.flush();
      await this.productUpdated(tx, product);
      return toVariantResponse(variant, product);
    });
  }

  update(sellerId: string, productId: string, variantId: string, dto: UpdateVariantDto): Promise<VariantResponse> {
    return this.write(async (tx) => {
      const product = await this.products.find(tx.em, sellerId, productId, true);
      const variant = await this.find(tx, product, variantId);
      const { stock, ...fields } = patchFields(dto, ['name', 'stock', 'options']);
      if (stock !== undefined) {
        await this.stock.adjust(tx, sellerId, {
          productId: product.id,
          variantId: variant.id,
          delta: stock - variant.stock,
        });
        await tx.em.refresh(variant);
      }
      tx.em.assign(variant, fields);
      await tx.em.flush();
      await this.productUpdated(tx, product);
      return toVariantResponse(variant, product);
    });
  }

  async remove(sellerId: string, productId: string, variantId: string): Promise<void> {
    await this.write(async (tx) => {
      const product = await this.products.find(tx.em, sellerId, productId, true);
      tx.em.remove(await this.find(tx, product, variantId));
      await tx.em.flush();
      await this.productUpdated(tx, product);
    });
  }

  private async find(tx: Tx, product: Product, variantId: string): Promise<ProductVariant> {
    const variant = isId('variant', variantId)
      ? await tx.em.findOne(ProductVariant, { id: variantId, productId: product.id })
      : null;
    if (!variant) throw AppError.notFound('Variant');
    return variant;
  }

  private async productUpdated(tx: Tx, product: Product): Promise<void> {
    await tx.publish(
      new DomainEvent(
        'PRODUCT_UPDATED',
        product.sellerId,
        toProductEvent(product, await this.products.variants(tx.em, product.id)),
      ),
    );
  }

  private async write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.uow.run(work);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw AppError.conflict('A variant with this SKU already exists in your shop');
      throw error;
    }
  }
}
