import { Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { OwnerSession } from '../auth/access.decorators.js';
import { type Actor, type AuthUser, CurrentUser, RequestActor } from '../auth/auth-user.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { PartnerAccessResponse } from './dto/partner.dto.js';
import { PartnerAccessService } from './partner-access.service.js';

@ApiTags('Partner access')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@OwnerSession()
@Controller('api/partner-access')
export class PartnerAccessController {
  constructor(private readonly access: PartnerAccessService) {}

  @Get()
  @ApiOperation({ summary: 'Partner companies this shop lets in (OWNER)' })
  @ApiOkResponse({ type: [PartnerAccessResponse] })
  list(@CurrentUser() user: AuthUser): Promise<PartnerAccessResponse[]> {
    return this.access.list(user.sellerId);
  }

  @Put(':companyId')
  @ApiOperation({ summary: 'Let a partner company manage webhooks on this shop (OWNER)' })
  @ApiOkResponse({ type: PartnerAccessResponse })
  @ApiErrors(404)
  grant(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Param('companyId') companyId: string,
  ): Promise<PartnerAccessResponse> {
    return this.access.grant(user.sellerId, companyId, user.userId, actor);
  }

  @Delete(':companyId')
  @HttpCode(204)
  @ApiOperation({ summary: "Revoke a company's access: its hooks for this shop stop at once (OWNER)" })
  @ApiNoContentResponse()
  @ApiErrors(404)
  async revoke(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Param('companyId') companyId: string,
  ): Promise<void> {
    await this.access.revoke(user.sellerId, companyId, actor);
  }
}
