import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../auth/access.decorators.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import {
  CreatePartnerWebhookDto,
  PartnerDeliverySearchResult,
  PartnerWebhookQuery,
  PartnerWebhookResponse,
  PartnerWebhookSearchResult,
  SearchQuery,
  UpdatePartnerWebhookDto,
} from './dto/partner.dto.js';
import { CurrentPartner, PartnerAuthGuard, type PartnerPrincipal } from './guards.js';
import { PartnerWebhooksService } from './partner-webhooks.service.js';
import { partnerTypeCatalogue, PartnerTypeDoc } from './partner-type-docs.js';

@ApiTags('Partner API')
@ApiBearerAuth('partner')
@ApiErrors(401)
@Public()
@UseGuards(PartnerAuthGuard)
@Controller('api/v1/partner/webHooks')
export class PartnerWebhooksController {
  constructor(private readonly hooks: PartnerWebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Create PARTNER WebHooks (409 past PARTNER_HOOKS_PER_COMPANY)' })
  @ApiCreatedResponse({ type: PartnerWebhookResponse })
  @ApiErrors(400, 404, 409)
  create(@CurrentPartner() p: PartnerPrincipal, @Body() dto: CreatePartnerWebhookDto): Promise<PartnerWebhookResponse> {
    return this.hooks.create(p.companyId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Get PARTNER WebHooks list (start, limit ≤ 100, shopId, type)' })
  @ApiOkResponse({ type: PartnerWebhookSearchResult })
  @ApiErrors(400)
  search(
    @CurrentPartner() p: PartnerPrincipal,
    @Query() query: PartnerWebhookQuery,
  ): Promise<PartnerWebhookSearchResult> {
    return this.hooks.search(p.companyId, query);
  }

  @Get('types')
  @ApiOperation({
    summary:
      'The webhook types: each with its description, the shop events it carries, the JSON Schema of `data` ' +
      'and an example body',
  })
  @ApiOkResponse({ type: [PartnerTypeDoc] })
  types(): PartnerTypeDoc[] {
    return partnerTypeCatalogue();
  }

  @Get(':webHookId')
  @ApiOperation({ summary: 'Get PARTNER WebHooks By Id' })
  @ApiOkResponse({ type: PartnerWebhookResponse })
  @ApiErrors(404)
  get(@CurrentPartner() p: PartnerPrincipal, @Param('webHookId') id: string): Promise<PartnerWebhookResponse> {
    return this.hooks.get(p.companyId, id);
  }

  @Put(':webHookId')
  @ApiOperation({
    summary:
      'Update PARTNER WebHooks: the full object; id, companyId, created, modified, deleted and updated are ignored',
  })
  @ApiOkResponse({ type: PartnerWebhookResponse })
  @ApiErrors(400, 404)
  replace(
    @CurrentPartner() p: PartnerPrincipal,
    @Param('webHookId') id: string,
    @Body() dto: UpdatePartnerWebhookDto,
  ): Promise<PartnerWebhookResponse> {
    return this.hooks.replace(p.companyId, id, dto);
  }

  // The same path parameter name as GET and PUT: OpenAPI allows one template per path.
  @Delete(':webHookId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete partner webhook by id (soft delete)' })
  @ApiNoContentResponse()
  @ApiErrors(404)
  async remove(@CurrentPartner() p: PartnerPrincipal, @Param('webHookId') id: string): Promise<void> {
    await this.hooks.remove(p.companyId, id);
  }

  @Get(':webHookId/deliveries')
  @ApiOperation({ summary: "This hook's deliveries, newest first, with each attempt's outcome" })
  @ApiOkResponse({ type: PartnerDeliverySearchResult })
  @ApiErrors(404)
  deliveries(
    @CurrentPartner() p: PartnerPrincipal,
    @Param('webHookId') id: string,
    @Query() query: SearchQuery,
  ): Promise<PartnerDeliverySearchResult> {
    return this.hooks.deliveries(p.companyId, id, query);
  }
}
