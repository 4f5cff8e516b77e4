import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access.decorators.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { OrderThrottle } from '../throttling/auth-throttle.decorator.js';
import { BuyerOrders } from './buyer-orders.service.js';
import { BuyerOrderResponse } from './dto/buyer-order.dto.js';

@ApiTags('Storefront')
@Public()
@ApiErrors(404, 429)
@Controller('api/storefront/:storeSlug/orders/:id')
export class BuyerOrdersController {
  constructor(private readonly buyers: BuyerOrders) {}

  @Get()
  @ApiOperation({
    summary: 'An order as its buyer sees it (public, by the id the placement answered)',
    description:
      'What the shop page polls after the M-Pesa PIN prompt: status, amounts paid and due, the receipt, the lines, ' +
      'each state reached, the last prompt and whether it may be sent again. The order id (unguessable, answered ' +
      'only to whoever placed the order) is the key; nothing the seller keeps about the buyer is shown.',
  })
  @ApiOkResponse({ type: BuyerOrderResponse })
  view(@Param('storeSlug') slug: string, @Param('id') id: string): Promise<BuyerOrderResponse> {
    return this.buyers.view(slug, id);
  }

  @Post('pay')
  @HttpCode(202)
  // A public route that sends a prompt to a phone: under the public order limit (ORDER_RATE_LIMIT_PER_MINUTE).
  @OrderThrottle()
  @ApiOperation({
    summary: 'Send the M-Pesa PIN prompt again, to the phone the order was placed with (public)',
    description:
      'For an unpaid M-Pesa order whose prompt was missed, cancelled or timed out. 409 when the order is not ' +
      'waiting for an M-Pesa payment, when the shop sends no prompts, or when one went out less than a minute ago ' +
      '(Retry-After); 429 past STK_PROMPTS_PER_PHONE_PER_HOUR for the phone. Answers the order as GET does; a ' +
      "prompt M-Pesa refused shows as the last prompt FAILED with M-Pesa's words.",
  })
  @ApiAcceptedResponse({ type: BuyerOrderResponse })
  @ApiErrors(409)
  promptAgain(@Param('storeSlug') slug: string, @Param('id') id: string): Promise<BuyerOrderResponse> {
    return this.buyers.promptAgain(slug, id);
  }
}
