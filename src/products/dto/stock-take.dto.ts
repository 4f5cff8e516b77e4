import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { blankToUndefined, toNumber } from '../../common/dto/transforms.js';

/** One counted line: what it is (a variant, a product sold as it is, or a SKU of either) and the units on the shelf. */
export class StockCountRow {
  @ApiPropertyOptional({ example: 'prod_01hz...', description: 'A product sold without variants' })
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(40)
  productId?: string;

  @ApiPropertyOptional({ example: 'var_01hz...', description: 'A variant (its productId may come along)' })
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(40)
  variantId?: string;

  @ApiPropertyOptional({ example: 'TOTE-001', description: "The product's or the variant's SKU, in any case" })
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(64)
  sku?: string;

  @ApiProperty({ example: 12, description: 'Units counted on the shelf' })
  @Transform(toNumber)
  @IsInt({ message: 'stock must be a whole number' })
  @Min(0, { message: 'stock must not be negative' })
  @Max(10_000_000)
  stock: number;
}

export class StockChange {
  @ApiProperty({ example: 2 }) row: number;
  @ApiProperty() productId: string;
  @ApiProperty({ nullable: true, type: String }) variantId: string | null;
  @ApiProperty({ example: 'Sandals (Size 40)' }) name: string;
  @ApiProperty({ example: 10, description: 'Units the shop held before the count' }) from: number;
  @ApiProperty({ example: 8, description: 'Units counted' }) to: number;
}

export class StockTakeResult {
  @ApiProperty({ example: 3, description: 'Lines whose stock changed' }) updated: number;
  @ApiProperty({ example: 40, description: 'Lines counted as the shop already held them' }) unchanged: number;
  @ApiProperty({ example: 2, description: 'CSV lines with an empty stock cell: not counted, left as they are' })
  skipped: number;
  @ApiProperty({ type: [StockChange], description: 'Each change, in row order' }) changes: StockChange[];
}
