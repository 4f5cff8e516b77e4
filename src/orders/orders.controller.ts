import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { type Actor, type AuthUser, CurrentUser, RequestActor } from '../auth/auth-user.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import {
  CancelOrderDto,
  ManualOrderDto,
  MoveNoteDto,
  OrderExportQuery,
  OrderPage,
  OrderQuery,
  OrderResponse,
  PlacedOrderResponse,
} from './dto/order.dto.js';
import { ApiIdempotencyKey } from './idempotency-key.header.js';
import { OrderExport } from './order-export.service.js';
import { OrderMetrics } from './order-metrics.service.js';
import { OrderPlacementService } from './order-placement.service.js';
import { OrdersService } from './orders.service.js';

const CSV_EXAMPLE =
  'referenceCode,placedAt,status,customerName,customerPhone,deliveryMethod,deliveryAddress,paymentMethod,items,' +
  'itemCount,totalKes,amountPaidKes,amountDueKes,mpesaReceipt,paidAt,cancelReason,orderId\n' +
  'SKH-2025-00042,2025-06-01T18:30:00+03:00,PAID,Amina Wanjiku,+254712345678,DELIVERY,"Kilimani, Nairobi",MPESA,' +
  '3 × African Print Tote Bag @ 1500,3,4500,4500,0,QGH1234X5Y,2025-06-01T18:31:12+03:00,,ord_01j9…\n';

@ApiTags('Orders')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@Controller('api/orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly exporter: OrderExport,
    private readonly placement: OrderPlacementService,
    private readonly metrics: OrderMetrics,
  ) {}

  @Post('manual')
  @ApiOperation({
    summary: 'An order the shop takes itself: by phone, on WhatsApp, at the stall (MANAGER, OWNER or a full key)',
    description:
      "The storefront's order body without `storeSlug` (the shop is the caller's), and an optional `note` for " +
      "the order's first timeline entry, whose actor is the member. Prices and stock as on the storefront, the " +
      'same events (ORDER_CREATED, CUSTOMER_CREATED for a new phone), and for M-Pesa the PIN prompt goes to the ' +
      "buyer's phone unless `sendPrompt` is false (STK_PROMPTS_PER_PHONE_PER_HOUR still applies). The " +
      "storefront's open-order limits per phone and per address, the per-line cap (maxUnitsPerLine) and the " +
      '30-minute payment timeout do not: the shop takes orders for many buyers, some of them wholesale, from one ' +
      "place, and an unpaid one holds its stock for the shop's hold hours (codHoldHours).",
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: PlacedOrderResponse })
  @ApiErrors(400, 404, 409)
  async manual(
    @CurrentUser() user: AuthUser,
    @Body() dto: ManualOrderDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PlacedOrderResponse> {
    const source = { kind: 'staff', sellerId: user.sellerId, actor: user.userId, note: dto.note } as const;
    const { order: placed, replayed } = await this.metrics.count('staff', () => this.placement.place(dto, key, source));
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return placed;
  }

  @Get()
  @ApiOperation({ summary: 'List orders, newest first (filter by status, from, to; q on reference, name or phone)' })
  @ApiOkResponse({ type: OrderPage })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthUser, @Query() query: OrderQuery): Promise<OrderPage> {
    return this.orders.list(user.sellerId, query);
  }

  // Before ':id', or "export" would be read as an order id.
  @Get('export')
  @ApiOperation({
    summary: 'Every order under the list filters as CSV, for the books (newest first, one row per order)',
    description:
      'UTF-8 with a byte-order mark (Excel reads names as written); columns referenceCode, placedAt and paidAt ' +
      '(Nairobi time, +03:00), status, customerName, customerPhone, deliveryMethod, deliveryAddress, paymentMethod, ' +
      'items ("2 × Kikoi (Red) @ 1200; …"), itemCount, totalKes, amountPaidKes, amountDueKes, mpesaReceipt, ' +
      'cancelReason, orderId. A cell a spreadsheet would run as a formula starts with a quote. Each download is ' +
      'written to the audit log (`orders.exported`, who and which filters).',
  })
  @ApiOkResponse({ content: { 'text/csv': { schema: { type: 'string', example: CSV_EXAMPLE } } } })
  @ApiErrors(400)
  export(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Query() query: OrderExportQuery,
  ): Promise<StreamableFile> {
    return this.exporter.download(user.sellerId, query, actor);
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
