import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request } from 'express';
import { OwnerSession, Public } from '../auth/access.decorators.js';
import { type Actor, type AuthUser, CurrentUser, RequestActor } from '../auth/auth-user.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { AppConfig } from '../config/app-config.js';
import { AppError } from '../errors/app-error.js';
import { AddressList } from '../net/address-list.js';
import {
  CallbackUrlResponse,
  DarajaAckResponse,
  MpesaSettingsDto,
  MpesaSettingsResponse,
  PaymentDetailResponse,
  PaymentPage,
  PaymentQueryDto,
  PaymentResponse,
  ManualPaymentDto,
  AssignPaymentDto,
  ResolvePaymentDto,
} from './dto/payment.dto.js';
import { PaymentAssignment } from './c2b/payment-assignment.service.js';
import { PaymentResolution } from './payment-resolution.service.js';
import { ReconciliationService } from './reconciliation.service.js';
import { MpesaSettingsService } from './mpesa-settings.service.js';
import { PaymentsService } from './payments.service.js';
import { NoStore } from '../common/no-store.js';
import { CallbackThrottle } from '../throttling/auth-throttle.decorator.js';

@ApiTags('Payments')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@Controller('api/payments/mpesa/settings')
@OwnerSession()
export class MpesaSettingsController {
  constructor(private readonly settings: MpesaSettingsService) {}

  @NoStore()
  @Put()
  @ApiOperation({ summary: "Save the shop's Daraja credentials (stored encrypted, never shown back; OWNER)" })
  @ApiOkResponse({ type: MpesaSettingsResponse })
  @ApiErrors(400)
  save(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Body() dto: MpesaSettingsDto,
  ): Promise<MpesaSettingsResponse> {
    return this.settings.save(user.sellerId, dto, actor);
  }

  @NoStore()
  @Post('rotate-callback')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new callback URL for Daraja; the old one stops working at once (OWNER)' })
  @ApiOkResponse({ type: CallbackUrlResponse })
  @ApiErrors(404)
  rotateCallback(@CurrentUser() user: AuthUser, @RequestActor() actor: Actor): Promise<CallbackUrlResponse> {
    return this.settings.rotateCallback(user.sellerId, actor);
  }

  @Get()
  @ApiOperation({ summary: 'Whether M-Pesa is configured, the shortcode, environment and callback URL (OWNER)' })
  @ApiOkResponse({ type: MpesaSettingsResponse })
  view(@CurrentUser() user: AuthUser): Promise<MpesaSettingsResponse> {
    return this.settings.view(user.sellerId);
  }
}

@ApiTags('Payments')
@Controller('api/payments/mpesa/callback')
export class MpesaCallbackController {
  private readonly trusted: AddressList;

  constructor(
    private readonly settings: MpesaSettingsService,
    private readonly payments: PaymentsService,
    config: AppConfig,
  ) {
    this.trusted = new AddressList(config.mpesa.callbackAllowedIps);
  }

  @Public()
  @SkipThrottle()
  @CallbackThrottle()
  @Post(':token')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Daraja's STK callback (unguessable token). Stored before it is answered; it completes a payment at " +
      'once only from an address in MPESA_CALLBACK_ALLOWED_IPS, otherwise once a status query confirms it.',
  })
  @ApiOkResponse({ type: DarajaAckResponse })
  @ApiErrors(404)
  async callback(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<{ ResultCode: number; ResultDesc: string }> {
    const sellerId = await this.settings.sellerForToken(token);
    if (!sellerId) throw AppError.notFound('Callback');
    // req.ip is the client address behind TRUST_PROXY's proxies, never a header an outsider can forge.
    return this.payments.handleCallback(sellerId, body, this.trusted.has(req.ip));
  }
}

@ApiTags('Orders')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@Controller('api/orders/:id/payments')
export class OrderPaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  @ApiOperation({ summary: 'Record an M-Pesa payment seen on the till; a receipt already recorded anywhere is 409' })
  @ApiCreatedResponse({ type: PaymentResponse })
  @ApiErrors(400, 404, 409)
  record(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: ManualPaymentDto,
  ): Promise<PaymentResponse> {
    return this.payments.recordManual(user.sellerId, id, dto, user.userId);
  }
}

@ApiTags('Payments')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@Controller('api/payments')
export class PaymentsController {
  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly assignment: PaymentAssignment,
    private readonly resolution: PaymentResolution,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Payments, newest first (filter by status: PENDING, COMPLETED, FAILED, FLAGGED; orderId; matched=false for ' +
      'till and paybill payments waiting to be assigned; resolved=false for flagged ones still to review)',
  })
  @ApiOkResponse({ type: PaymentPage })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthUser, @Query() query: PaymentQueryDto): Promise<PaymentPage> {
    return this.reconciliation.list(user.sellerId, query);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Apply a till or paybill payment that found no order to one (MANAGER): the amount due pays it, less is kept ' +
      "against it, more pays it and is flagged for a refund; the order's timeline names who assigned it",
  })
  @ApiOkResponse({ type: PaymentResponse })
  @ApiErrors(400, 404, 409)
  assign(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: AssignPaymentDto,
  ): Promise<PaymentResponse> {
    return this.assignment.assign(user, id, dto.orderId);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Mark a flagged payment dealt with (MANAGER), saying what was done: it leaves the review queue ' +
      '(?status=FLAGGED&resolved=false), stays FLAGGED for the record, and nothing about the order or money changes',
  })
  @ApiOkResponse({ type: PaymentResponse })
  @ApiErrors(400, 404, 409)
  resolve(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: ResolvePaymentDto,
  ): Promise<PaymentResponse> {
    return this.resolution.resolve(user, id, dto.note);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One payment with every raw callback and status query behind it' })
  @ApiOkResponse({ type: PaymentDetailResponse })
  @ApiErrors(404)
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<PaymentDetailResponse> {
    return this.reconciliation.get(user.sellerId, id);
  }
}
