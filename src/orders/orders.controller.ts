import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { CancelOrderDto, MoveNoteDto, OrderPage, OrderQuery, OrderResponse } from './dto/order.dto.js';
import { OrdersService } from './orders.service.js';

@ApiTags('Orders')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@Controller('api/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

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
    return this.orders.transition(user.sellerId, id, 'cancel', user.userId, dto?.reason);
  }
}
