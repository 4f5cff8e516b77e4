import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateBy } from 'class-validator';

/** Options are a small flat map of short strings: `{size: "L", color: "Red"}`. */
function IsOptionMap() {
  return ValidateBy({
    name: 'isOptionMap',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length <= 10 &&
        Object.entries(value).every(
          ([k, v]) => k.length > 0 && k.length <= 40 && typeof v === 'string' && v.length <= 80,
        ),
      defaultMessage: () => 'options must be an object of at most 10 text values, e.g. {"size": "L", "color": "Red"}',
    },
  });
}

export class CreateVariantDto {
  @ApiProperty({ example: 'Large / Red' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiPropertyOptional({
    example: { size: 'L', color: 'Red' },
    type: 'object',
    additionalProperties: { type: 'string', maxLength: 80 },
    maxProperties: 10,
    description: 'At most 10 options; names 1-40 characters, values up to 80',
  })
  @IsOptional()
  @IsObject()
  @IsOptionMap()
  options?: Record<string, string>;

  @ApiPropertyOptional({
    example: 'TOTE-001-L-RED',
    type: String,
    nullable: true,
    maxLength: 64,
    description: 'Unique in the shop when set; null means none',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  sku?: string | null;

  @ApiPropertyOptional({ example: 1700, description: "Defaults to the product's price" })
  @IsOptional()
  @IsInt({ message: 'priceKes must be a whole number of shillings' })
  @Min(1, { message: 'priceKes must be greater than 0' })
  @Max(100_000_000)
  priceKes?: number;

  @ApiPropertyOptional({ example: 4, default: 0 })
  @IsOptional()
  @IsInt({ message: 'stock must be a whole number' })
  @Min(0, { message: 'stock must not be negative' })
  @Max(10_000_000)
  stock?: number;
}

export class UpdateVariantDto extends PartialType(CreateVariantDto) {}
