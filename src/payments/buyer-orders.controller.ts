import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../auth/access.decorators.js';
import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { OrderThrottle } from '../throttling/auth-throttle.decorator.js';
import { BuyerOrders } from './buyer-orders.service.js';
import { BuyerOrderResponse, OrderPromptResponse } from './dto/buyer-order.dto.js';

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

/** The same prompt, sent by the shop: the buyer is on the phone and missed it, or now wants to pay by prompt. */
@ApiTags('Orders')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403, 404)
@Controller('api/orders/:id/prompt')
export class OrderPromptController {
  constructor(private readonly buyers: BuyerOrders) {}

  @Get()
  @ApiOperation({ summary: "The order's last M-Pesa PIN prompt, and whether another may be sent now (any member)" })
  @ApiOkResponse({ type: OrderPromptResponse })
  state(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<OrderPromptResponse> {
    return this.buyers.promptState(user.sellerId, id);
  }

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: "Send the M-Pesa PIN prompt again to the order's own phone (MANAGER, OWNER or a full key)",
    description:
      "The phone the order was placed with, never another; the buyer's limits hold: 409 when the order is not " +
      'waiting for an M-Pesa payment, when the shop has no Daraja credentials, or when a prompt went out less than ' +
      'a minute ago (Retry-After); 429 past STK_PROMPTS_PER_PHONE_PER_HOUR for the phone.',
  })
  @ApiAcceptedResponse({ type: OrderPromptResponse })
  @ApiErrors(409, 429)
  prompt(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<OrderPromptResponse> {
    return this.buyers.promptFromShop(user.sellerId, id);
  }
}
