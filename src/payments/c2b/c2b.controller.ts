import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request } from 'express';
import { OwnerSession, Public } from '../../auth/access.decorators.js';
import { type Actor, type AuthUser, CurrentUser, RequestActor } from '../../auth/auth-user.js';
import { NoStore } from '../../common/no-store.js';
import { ApiErrors } from '../../common/swagger/api-errors.js';
import { AppConfig } from '../../config/app-config.js';
import { AppError } from '../../errors/app-error.js';
import { AddressList } from '../../net/address-list.js';
import { CallbackThrottle } from '../../throttling/auth-throttle.decorator.js';
import { C2bRegisterDto, C2bRegisterResponse, C2bValidationResponse, DarajaAckResponse } from '../dto/payment.dto.js';
import { C2bIntake } from './c2b-intake.service.js';
import { C2bRegistration } from './c2b-registration.service.js';
import type { CONFIRMATION_ACK, ValidationAnswer } from './c2b-shapes.js';
import { C2bStatusChecks } from './c2b-status.service.js';

@ApiTags('Payments')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@Controller('api/payments/mpesa/c2b')
@OwnerSession()
export class C2bRegisterController {
  constructor(private readonly registration: C2bRegistration) {}

  @NoStore()
  @Post('register')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Register the shop's till/paybill confirmation and validation URLs with Daraja for its shortcode (OWNER). The " +
      'URLs are shown whole in this answer only',
  })
  @ApiOkResponse({ type: C2bRegisterResponse })
  @ApiErrors(400, 404, 409, 503)
  register(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Body() dto: C2bRegisterDto,
  ): Promise<C2bRegisterResponse> {
    return this.registration.register(user.sellerId, dto ?? {}, actor);
  }
}

type Ack = typeof CONFIRMATION_ACK;

/** What Daraja calls: confirmations, validations and Transaction Status results (tokens and ids only we know). */
@ApiTags('Payments')
@Controller('api/c2b')
@Public()
@SkipThrottle()
@CallbackThrottle()
export class C2bCallbackController {
  private readonly trusted: AddressList;

  constructor(
    private readonly intake: C2bIntake,
    private readonly checks: C2bStatusChecks,
    config: AppConfig,
  ) {
    this.trusted = new AddressList(config.mpesa.callbackAllowedIps);
  }

  @Post(':token/confirmation')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Daraja's C2B confirmation (till or paybill payment). Recorded once per TransID and always acknowledged; it " +
      "counts at once only from MPESA_CALLBACK_ALLOWED_IPS, otherwise once Daraja's Transaction Status agrees",
  })
  @ApiOkResponse({ type: DarajaAckResponse })
  @ApiErrors(404)
  async confirmation(@Param('token') token: string, @Body() body: unknown, @Req() req: Request): Promise<Ack> {
    const ack = await this.intake.confirm(token, body, this.trusted.has(req.ip));
    if (!ack) throw AppError.notFound('Confirmation URL');
    return ack;
  }

  @Post(':token/validation')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Daraja's C2B validation: with c2bValidation on, a paybill payment whose account number names no open order " +
      'is refused (C2B00012); everything else is accepted',
  })
  @ApiOkResponse({ type: C2bValidationResponse })
  @ApiErrors(404)
  async validation(@Param('token') token: string, @Body() body: unknown): Promise<ValidationAnswer> {
    const answer = await this.intake.validate(token, body);
    if (!answer) throw AppError.notFound('Validation URL');
    return answer;
  }

  @Post('status/:id/result')
  @HttpCode(200)
  @ApiOperation({ summary: "Daraja's Transaction Status result for one of our requests (single-use id)" })
  @ApiOkResponse({ type: DarajaAckResponse })
  @ApiErrors(404)
  async result(@Param('id') id: string, @Body() body: unknown): Promise<Ack> {
    const ack = await this.checks.result(id, body);
    if (!ack) throw AppError.notFound('Result URL');
    return ack;
  }

  @Post('status/:id/timeout')
  @HttpCode(200)
  @ApiOperation({ summary: 'Daraja queued our Transaction Status request past its time: it is asked again later' })
  @ApiOkResponse({ type: DarajaAckResponse })
  @ApiErrors(404)
  async timeout(@Param('id') id: string): Promise<Ack> {
    const ack = await this.checks.timedOut(id);
    if (!ack) throw AppError.notFound('Result URL');
    return ack;
  }
}
