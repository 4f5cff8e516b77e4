import { Body, Controller, Get, Injectable, Patch } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { AppConfig } from '../config/app-config.js';
import { OwnerWrites } from './access.decorators.js';
import { type AuthUser, CurrentUser } from './auth-user.js';

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

/** Shop-wide settings kept on the shop's row (auth owns `sellers`). */
@Injectable()
export class ShopSettingsService {
  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
  ) {}

  async get(sellerId: string): Promise<ShopSettingsResponse> {
    const [row] = await this.em
      .fork()
      .execute<{ cod_hold_hours: number | null }[]>('select cod_hold_hours from sellers where id = ?', [sellerId]);
    return {
      codHoldHours: row?.cod_hold_hours ?? null,
      effectiveCodHoldHours: row?.cod_hold_hours ?? this.config.orders.codHoldHours,
    };
  }

  async update(sellerId: string, dto: ShopSettingsDto): Promise<ShopSettingsResponse> {
    if (dto.codHoldHours !== undefined) {
      await this.em
        .fork()
        .execute('update sellers set cod_hold_hours = ?, updated_at = now() where id = ?', [
          dto.codHoldHours,
          sellerId,
        ]);
    }
    return this.get(sellerId);
  }
}

@ApiTags('Shop')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@OwnerWrites()
@Controller('api/shop/settings')
export class ShopSettingsController {
  constructor(private readonly settings: ShopSettingsService) {}

  @Get()
  @ApiOperation({ summary: "The shop's settings (any member)" })
  @ApiOkResponse({ type: ShopSettingsResponse })
  get(@CurrentUser() user: AuthUser): Promise<ShopSettingsResponse> {
    return this.settings.get(user.sellerId);
  }

  @Patch()
  @ApiOperation({ summary: "Change the shop's settings (OWNER)" })
  @ApiOkResponse({ type: ShopSettingsResponse })
  @ApiErrors(400)
  update(@CurrentUser() user: AuthUser, @Body() dto: ShopSettingsDto): Promise<ShopSettingsResponse> {
    return this.settings.update(user.sellerId, dto);
  }
}
