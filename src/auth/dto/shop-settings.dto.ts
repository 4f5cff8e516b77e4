import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ShopSettingsDto {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: 720,
    example: 48,
    description:
      'Hours an unconfirmed cash-on-delivery order holds its stock before it is cancelled; null: the platform default',
  })
  @IsOptional()
  @IsInt({ message: 'codHoldHours must be a whole number of hours' })
  @Min(1)
  @Max(720)
  codHoldHours?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: 100000,
    example: 20,
    description:
      'Most units of one product or variant one public order may take (stops one buyer holding all the stock); ' +
      'null: the platform default (ORDER_MAX_UNITS_PER_LINE)',
  })
  @IsOptional()
  @IsInt({ message: 'maxUnitsPerLine must be a whole number' })
  @Min(1)
  @Max(100_000)
  maxUnitsPerLine?: number | null;
}

export class ShopSettingsResponse {
  @ApiProperty({ type: Number, nullable: true, description: "The shop's own hold time, or null" }) codHoldHours:
    number | null;
  @ApiProperty({ description: 'The hold time that applies to new cash-on-delivery orders' })
  effectiveCodHoldHours: number;
  @ApiProperty({ type: Number, nullable: true, description: "The shop's own per-line cap, or null" })
  maxUnitsPerLine: number | null;
  @ApiProperty({ description: 'The per-line cap that applies to new public orders' })
  effectiveMaxUnitsPerLine: number;
}
