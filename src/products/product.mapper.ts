import type { ProductEventData } from '../events/event-catalogue.js';
import type { ProductResponse, VariantResponse } from './dto/product.dto.js';
import type { ProductFields, VariantFields } from './product-list.query.js';

export function toVariantResponse(v: VariantFields, product: Pick<ProductFields, 'priceKes'>): VariantResponse {
  return {
    id: v.id,
    name: v.name,
    options: v.options,
    sku: v.sku ?? null,
    priceKes: v.priceKes ?? product.priceKes,
    stock: v.stock,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  };
}

/** A product sold by variant has the sum of its variants' stock. */
export function totalStock(product: Pick<ProductFields, 'stock'>, variants: Pick<VariantFields, 'stock'>[]): number {
  return variants.length ? variants.reduce((sum, v) => sum + v.stock, 0) : product.stock;
}

export function toProductResponse(product: ProductFields, variants: VariantFields[]): ProductResponse {
  return {
    id: product.id,
    name: product.name,
    description: product.description ?? null,
    priceKes: product.priceKes,
    compareAtPriceKes: product.compareAtPriceKes ?? null,
    sku: product.sku ?? null,
    category: product.category ?? null,
    stock: totalStock(product, variants),
    lowStockThreshold: product.lowStockThreshold,
    isActive: product.isActive,
    images: product.images,
    variants: variants.map((v) => toVariantResponse(v, product)),
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
  };
}

export function toProductEvent(product: ProductFields, variants: Pick<VariantFields, 'stock'>[]): ProductEventData {
  return {
    productId: product.id,
    name: product.name,
    sku: product.sku ?? null,
    priceKes: product.priceKes,
    stock: totalStock(product, variants),
    isActive: product.isActive,
    category: product.category ?? null,
  };
}
