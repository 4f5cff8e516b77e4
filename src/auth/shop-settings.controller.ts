import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { OwnerWrites, SessionOnly } from './access.decorators.js';
import { type Actor, type AuthUser, CurrentUser, RequestActor } from './auth-user.js';
import { ShopSettingsDto, ShopSettingsResponse } from './dto/shop-settings.dto.js';
import { ShopSettingsService } from './shop-settings.service.js';

@ApiTags('Shop')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@OwnerWrites()
@SessionOnly()
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
  update(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Body() dto: ShopSettingsDto,
  ): Promise<ShopSettingsResponse> {
    return this.settings.update(user.sellerId, dto, actor);
  }
}
