import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators.js';
import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { CancelOrderDto, MoveNoteDto, OrderPage, OrderQuery, OrderResponse, PlaceOrderDto } from './dto/order.dto.js';
import { OrderPlacementService } from './order-placement.service.js';
import { OrdersService } from './orders.service.js';

@ApiTags('Orders')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@Controller('api/orders')
export class OrdersController {
  constructor(
    private readonly placement: OrderPlacementService,
    private readonly orders: OrdersService,
  ) {}

  @Public()
  @Post()
  @ApiOperation({ summary: 'Place an order from the storefront (public). Prices come from the catalogue; stock is taken at once.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying with the same key returns the same order (header Idempotent-Replayed: true)' })
  @ApiCreatedResponse({ type: OrderResponse })
  @ApiErrors(400, 404, 409, 429)
  async place(@Body() dto: PlaceOrderDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response): Promise<OrderResponse> {
    const { order, replayed } = await this.placement.place(dto, key);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return order;
  }

  @Get()
  @ApiOperation({ summary: 'List orders, newest first (filter by status, from, to; q on reference, name or phone)' })
  @ApiOkResponse({ type: OrderPage })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthUser, @Query() query: OrderQuery): Promise<OrderPage> {
    return this.orders.list(user.sellerId, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One order with its items (as sold) and timeline' })
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors(404)
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<OrderResponse> {
    return this.orders.get(user.sellerId, id);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'PAID → CONFIRMED (PENDING → CONFIRMED for cash on delivery)' })
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors(404, 409)
  confirm(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: MoveNoteDto): Promise<OrderResponse> {
    return this.orders.transition(user.sellerId, id, 'confirm', user.userId, dto.note);
  }

  @Post(':id/dispatch')
  @HttpCode(200)
  @ApiOperation({ summary: 'CONFIRMED → DISPATCHED' })
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors(404, 409)
  dispatch(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: MoveNoteDto): Promise<OrderResponse> {
    return this.orders.transition(user.sellerId, id, 'dispatch', user.userId, dto.note);
  }

  @Post(':id/deliver')
  @HttpCode(200)
  @ApiOperation({ summary: 'DISPATCHED → DELIVERED' })
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors(404, 409)
  deliver(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: MoveNoteDto): Promise<OrderResponse> {
    return this.orders.transition(user.sellerId, id, 'deliver', user.userId, dto.note);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'PENDING, PAID or CONFIRMED → CANCELLED with a reason; the items go back into stock' })
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors(400, 404, 409)
  cancel(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: CancelOrderDto): Promise<OrderResponse> {
    return this.orders.transition(user.sellerId, id, 'cancel', user.userId, dto.reason);
  }
}
