import { Body, Controller, Headers, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { clientKey } from '../net/client-key.js';
import { Public } from '../auth/access.decorators.js';
import { OrderThrottle } from '../throttling/auth-throttle.decorator.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { PlacedOrderResponse, PlaceOrderDto } from './dto/order.dto.js';
import { ApiIdempotencyKey } from './idempotency-key.header.js';
import { OrderMetrics } from './order-metrics.service.js';
import { OrderPlacementService } from './order-placement.service.js';

/**
 * The storefront's checkout: public, so it lives apart from the seller's order routes and their auth schemes in
 * Swagger.
 */
@ApiTags('Orders')
@Controller('api/orders')
export class PlaceOrderController {
  constructor(
    private readonly placement: OrderPlacementService,
    private readonly metrics: OrderMetrics,
  ) {}

  @Public()
  @OrderThrottle()
  @Post()
  @ApiOperation({
    summary: 'Place an order from the storefront (public). Prices come from the catalogue; stock is taken at once.',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: PlacedOrderResponse })
  @ApiErrors(400, 404, 409, 429)
  async place(
    @Body() dto: PlaceOrderDto,
    @Headers('idempotency-key') key: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PlacedOrderResponse> {
    const { order, replayed } = await this.metrics.count('storefront', () =>
      this.placement.place(dto, key, { kind: 'storefront', storeSlug: dto.storeSlug, client: clientKey(req.ip) }),
    );
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return order;
  }
}
