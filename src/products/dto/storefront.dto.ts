import { ApiProperty, PickType } from '@nestjs/swagger';
import { ImageResponse, ProductQuery } from './product.dto.js';

/** Paging, search and order as the seller's list, without the seller-only filters. */
export class StorefrontQuery extends PickType(ProductQuery, ['page', 'limit', 'q', 'category', 'sort'] as const) {}

export class StoreResponse {
  @ApiProperty({ example: 'Amina Prints' }) storeName: string;
  @ApiProperty({ example: 'amina-prints' }) storeSlug: string;
}

export class StorefrontVariant {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: { size: 'L' } }) options: Record<string, string>;
  @ApiProperty() priceKes: number;
  @ApiProperty() inStock: boolean;
}

export class StorefrontProduct {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() priceKes: number;
  @ApiProperty({ nullable: true, type: Number }) compareAtPriceKes: number | null;
  @ApiProperty({ nullable: true, type: String }) category: string | null;
  @ApiProperty({ type: [ImageResponse] }) images: ImageResponse[];
  @ApiProperty() inStock: boolean;
  @ApiProperty({ nullable: true, type: Number, example: 4.5, description: 'Of visible reviews; null when none' })
  averageRating: number | null;
  @ApiProperty() reviewCount: number;
  @ApiProperty({ type: [StorefrontVariant] }) variants: StorefrontVariant[];
}

export class StorefrontPage {
  @ApiProperty({ type: [StorefrontProduct] }) data: StorefrontProduct[];
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
  @ApiProperty() total: number;
}
