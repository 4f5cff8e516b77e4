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
}

export class ShopSettingsResponse {
  @ApiProperty({ type: Number, nullable: true, description: "The shop's own hold time, or null" }) codHoldHours:
    number | null;
  @ApiProperty({ description: 'The hold time that applies to new cash-on-delivery orders' })
  effectiveCodHoldHours: number;
}
