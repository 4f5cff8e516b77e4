import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { plainToInstance, Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/dto/pagination.dto.js';
import { blankToUndefined, toBoolean, toNumber, trim } from '../../common/dto/transforms.js';
import { CreateVariantDto } from './variant.dto.js';

const MAX_KES = 100_000_000;

export class CreateProductDto {
  @ApiProperty({ example: 'African Print Tote Bag', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'Hand-stitched kitenge tote', maxLength: 5000 })
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiProperty({ example: 1500, description: 'Whole shillings, greater than 0' })
  @Transform(toNumber)
  @IsInt({ message: 'priceKes must be a whole number of shillings' })
  @Min(1, { message: 'priceKes must be greater than 0' })
  @Max(MAX_KES)
  priceKes: number;

  @ApiPropertyOptional({ example: 1800 })
  @IsOptional()
  @Transform(toNumber)
  @IsInt({ message: 'compareAtPriceKes must be a whole number of shillings' })
  @Min(1, { message: 'compareAtPriceKes must be greater than 0' })
  @Max(MAX_KES)
  compareAtPriceKes?: number;

  @ApiPropertyOptional({
    example: 'TOTE-001',
    type: String,
    nullable: true,
    maxLength: 64,
    description: 'Unique in the shop when set; null (or blank) means none, and on an update clears it',
  })
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(64)
  sku?: string | null;

  @ApiPropertyOptional({ example: 'Bags' })
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(80)
  category?: string;

  @ApiPropertyOptional({ example: 25, default: 0 })
  @IsOptional()
  @Transform(toNumber)
  @IsInt({ message: 'stock must be a whole number' })
  @Min(0, { message: 'stock must not be negative' })
  @Max(10_000_000)
  stock?: number;

  @ApiPropertyOptional({ example: 5, default: 5 })
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  lowStockThreshold?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  isActive?: boolean;
}

/** A multipart field holding JSON (a form cannot nest): parsed, or left as it came for the validator to refuse. */
const fromJsonText = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

/**
 * `variants` as CreateVariantDto instances (so each is validated and trimmed as on its own route), from the JSON array
 * or from a multipart field's JSON text. Done here, not with @Type, which decides from the raw value (a string).
 */
const toVariants = ({ value }: { value: unknown }) => {
  const parsed = fromJsonText({ value });
  if (!Array.isArray(parsed)) return parsed;
  return parsed.map((v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? plainToInstance(CreateVariantDto, v) : v,
  );
};

export const MAX_VARIANTS_AT_CREATE = 50;

/** A single create may bring the product's variants along (one transaction, one PRODUCT_CREATED with their stock). */
export class NewProductDto extends CreateProductDto {
  @ApiPropertyOptional({
    type: [CreateVariantDto],
    maxItems: MAX_VARIANTS_AT_CREATE,
    description:
      'The variants to create with the product (more later through /variants). A product with variants is sold by ' +
      "variant: its stock is the sum of theirs. In multipart/form-data, this field is the array's JSON text",
  })
  @IsOptional()
  @Transform(toVariants)
  @IsArray({ message: 'variants must be an array of variants' })
  @ArrayMaxSize(MAX_VARIANTS_AT_CREATE)
  @ValidateNested({ each: true })
  variants?: CreateVariantDto[];
}

export class UpdateProductDto extends PartialType(CreateProductDto) {}

/** Swagger only: the multipart form of a create. */
export class CreateProductMultipartDto extends NewProductDto {
  @ApiPropertyOptional({ type: 'string', format: 'binary', description: 'JPEG, PNG or WebP, at most 5 MB' })
  image?: unknown;
}

/** Swagger only: the multipart form of an update (an `image` adds one to the product's images). */
export class UpdateProductMultipartDto extends UpdateProductDto {
  @ApiPropertyOptional({ type: 'string', format: 'binary', description: 'JPEG, PNG or WebP, at most 5 MB' })
  image?: unknown;
}

export const PRODUCT_SORTS = ['newest', 'oldest', 'price', '-price', 'name'] as const;

export class ProductQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Matches name or SKU' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(80)
  category?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  isActive?: boolean;

  @ApiPropertyOptional({ description: 'true: sellable now (some stock); false: sold out' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  inStock?: boolean;

  @ApiPropertyOptional({ description: 'true: at or under the low-stock threshold' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  lowStock?: boolean;

  @ApiPropertyOptional({ enum: PRODUCT_SORTS, default: 'newest' })
  @IsOptional()
  @IsIn(PRODUCT_SORTS)
  sort: (typeof PRODUCT_SORTS)[number] = 'newest';
}

/** The list's filters without its paging or order: the export runs through every product, by name. */
export class ProductExportQuery extends OmitType(ProductQuery, ['page', 'limit', 'sort'] as const) {}

export class BulkQuery {
  @ApiPropertyOptional({ description: 'Create the good rows even when some are bad', default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  partial?: boolean;
}

export class ImageResponse {
  @ApiProperty({ example: 'img_01hz...' }) id: string;
  @ApiProperty({ example: '/api/media/products/img_01hz....jpg' }) url: string;
  @ApiProperty({ example: 'image/jpeg' }) contentType: string;
  @ApiProperty({ example: 48213 }) size: number;
}

export class VariantResponse {
  @ApiProperty({ example: 'var_01hz...' }) id: string;
  @ApiProperty({ example: 'Large / Red' }) name: string;
  @ApiProperty({ example: { size: 'L', color: 'Red' } }) options: Record<string, string>;
  @ApiProperty({ nullable: true, type: String }) sku: string | null;
  @ApiProperty({ example: 1500, description: "The variant's price, or the product's when it has none" })
  priceKes: number;
  @ApiProperty({ example: 4 }) stock: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class ProductResponse {
  @ApiProperty({ example: 'prod_01hz...' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: 1500 }) priceKes: number;
  @ApiProperty({ nullable: true, type: Number }) compareAtPriceKes: number | null;
  @ApiProperty({ nullable: true, type: String }) sku: string | null;
  @ApiProperty({ nullable: true, type: String }) category: string | null;
  @ApiProperty({ description: "Units in stock; for a product sold by variant, the sum of its variants' stock" })
  stock: number;
  @ApiProperty({ example: 5 }) lowStockThreshold: number;
  @ApiProperty() isActive: boolean;
  @ApiProperty({ type: [ImageResponse] }) images: ImageResponse[];
  @ApiProperty({ type: [VariantResponse] }) variants: VariantResponse[];
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class ProductPage {
  @ApiProperty({ type: [ProductResponse] }) data: ProductResponse[];
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
  @ApiProperty() total: number;
}

export class BulkRowError {
  @ApiProperty({ example: 3, description: '1-based: row 1 is the first product (after the CSV header)' }) row: number;
  @ApiProperty({ example: 'priceKes' }) field: string;
  @ApiProperty({ example: 'priceKes must be greater than 0' }) message: string;
}

export class BulkResult {
  @ApiProperty({ example: 998 }) created: number;
  @ApiProperty({ type: [BulkRowError] }) errors: BulkRowError[];
  @ApiProperty({ type: [String], description: 'Ids of the products created, in row order' }) ids: string[];
}
