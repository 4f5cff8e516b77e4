import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { OwnerWrites, Public } from '../auth/access.decorators.js';
import { type Actor, type AuthUser, CurrentUser, RequestActor } from '../auth/auth-user.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { SELLER_EVENT_CATALOGUE_BYTES, SELLER_EVENT_CATALOGUE_ETAG } from '../events/event-docs.js';
import {
  CreatedWebhookResponse,
  CreateWebhookDto,
  DeliveriesQuery,
  DeliveryDetailResponse,
  DeliveryPage,
  EventTypeResponse,
  RecoverDto,
  RecoverResponse,
  RotatedSecretResponse,
  ToggleQuery,
  ToggleWebhookDto,
  UpdateWebhookDto,
  WebhookDetailResponse,
  WebhookResponse,
} from './dto/webhook.dto.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';
import { WebhooksService } from './webhooks.service.js';
import { NoStore } from '../common/no-store.js';

/**
 * The public event catalogue, apart from the endpoints' controller so the document shows it without auth (and it is
 * registered first: `GET /api/webhooks/events` must not be read as an endpoint id).
 */
@ApiTags('Webhooks')
@Controller('api/webhooks')
export class WebhookEventsController {
  @Public()
  @Get('events')
  @ApiOperation({
    summary:
      'The 13 events an endpoint can subscribe to, each with its description, the JSON Schema of `data` and ' +
      'an example body (public)',
  })
  @ApiOkResponse({ type: [EventTypeResponse] })
  events(@Res() res: Response): void {
    // The catalogue is fixed for the life of the process: serialised, encoded and tagged once, not on every request
    // (a string return would be encoded again and hashed for its ETag each time). express answers a matching
    // If-None-Match with 304 by itself.
    res
      .set({
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'public, max-age=300',
        ETag: SELLER_EVENT_CATALOGUE_ETAG,
      })
      .send(SELLER_EVENT_CATALOGUE_BYTES);
  }
}

@ApiTags('Webhooks')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@OwnerWrites()
@Controller('api/webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  @Get()
  @ApiOperation({ summary: "List this shop's webhook endpoints" })
  @ApiOkResponse({ type: [WebhookResponse] })
  list(@CurrentUser() user: AuthUser): Promise<WebhookResponse[]> {
    return this.webhooks.list(user.sellerId);
  }

  @NoStore()
  @Post()
  @ApiOperation({ summary: 'Create an endpoint; the signing secret is in this response only (OWNER)' })
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  @ApiErrors(400, 409)
  create(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Body() dto: CreateWebhookDto,
  ): Promise<CreatedWebhookResponse> {
    return this.webhooks.create(user.sellerId, dto, actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Endpoint details and its last 20 deliveries' })
  @ApiOkResponse({ type: WebhookDetailResponse })
  @ApiErrors(404)
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<WebhookDetailResponse> {
    return this.webhooks.get(user.sellerId, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change URL, description or subscribed events (OWNER; PUT accepted too)' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiErrors(400, 404)
  update(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Param('id') id: string,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookResponse> {
    return this.webhooks.update(user.sellerId, id, dto, actor);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiErrors(400, 404)
  replace(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Param('id') id: string,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookResponse> {
    return this.webhooks.update(user.sellerId, id, dto, actor);
  }

  @Patch(':id/toggle')
  @ApiOperation({
    summary:
      'Enable or disable (body `{isActive}` or empty to flip). Enabling sends the parked deliveries in order, ' +
      'or drops them with `backlog: "discard"` (OWNER; POST accepted too)',
  })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiErrors(400, 404)
  toggle(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Param('id') id: string,
    @Body() dto: ToggleWebhookDto,
    @Query() query: ToggleQuery,
  ): Promise<WebhookResponse> {
    const backlog = dto.backlog ?? query.backlog ?? 'deliver';
    return this.webhooks.toggle(user.sellerId, id, dto.isActive, backlog, actor);
  }

  @Post(':id/toggle')
  @HttpCode(200)
  @ApiOperation({ summary: 'Same as PATCH /toggle' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiErrors(400, 404)
  togglePost(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Param('id') id: string,
    @Body() dto: ToggleWebhookDto,
    @Query() query: ToggleQuery,
  ): Promise<WebhookResponse> {
    return this.toggle(user, actor, id, dto, query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the endpoint and all its delivery history (OWNER)' })
  @ApiNoContentResponse()
  @ApiErrors(404)
  async remove(@CurrentUser() user: AuthUser, @RequestActor() actor: Actor, @Param('id') id: string): Promise<void> {
    await this.webhooks.remove(user.sellerId, id, actor);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a sample ORDER_CREATED through the engine and return the delivery after its first attempt (OWNER)',
  })
  @ApiOkResponse({ type: DeliveryDetailResponse })
  @ApiErrors(404, 409)
  test(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<DeliveryDetailResponse> {
    return this.deliveries.sendTest(user.sellerId, id);
  }

  @NoStore()
  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'New signing secret, shown once; for 24 h both old and new signatures are sent (OWNER)' })
  @ApiOkResponse({ type: RotatedSecretResponse })
  @ApiErrors(404)
  rotate(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Param('id') id: string,
  ): Promise<RotatedSecretResponse> {
    return this.webhooks.rotateSecret(user.sellerId, id, actor);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery log, newest first, 50 a page; filter by status and event' })
  @ApiOkResponse({ type: DeliveryPage })
  @ApiErrors(400, 404)
  listDeliveries(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query() query: DeliveriesQuery,
  ): Promise<DeliveryPage> {
    return this.deliveries.list(user.sellerId, id, query);
  }

  @Get(':id/deliveries/:deliveryId')
  @ApiOperation({
    summary: 'One delivery with its payload and every attempt (time, status, duration, error, response excerpt)',
  })
  @ApiOkResponse({ type: DeliveryDetailResponse })
  @ApiErrors(404)
  getDelivery(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
  ): Promise<DeliveryDetailResponse> {
    // VIEWERs and read-only keys see signature values masked: they could replay genuine signed events otherwise.
    const reveal = user.role !== 'VIEWER' && user.access !== 'read';
    return this.deliveries.get(user.sellerId, id, deliveryId, reveal);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send one delivery again with a fresh set of attempts (OWNER)' })
  @ApiAcceptedResponse({ type: DeliveryDetailResponse })
  @ApiErrors(404, 409)
  redeliver(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
  ): Promise<DeliveryDetailResponse> {
    return this.deliveries.redeliver(user.sellerId, id, deliveryId);
  }

  @Post(':id/recover')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send again every failed delivery since a time (OWNER)' })
  @ApiAcceptedResponse({ type: RecoverResponse })
  @ApiErrors(400, 404)
  recover(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RecoverDto): Promise<RecoverResponse> {
    return this.deliveries.recover(user.sellerId, id, dto.since);
  }
}
