import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '../../common/dto/pagination.dto.js';
import { toBoolean, trim } from '../../common/dto/transforms.js';
import { C2B_CHANNELS, MATCHED_BY, PAYMENT_METHODS, PAYMENT_STATUSES } from '../entities/payment.entity.js';

export class CallbackUrlResponse {
  @ApiProperty({
    example: 'https://api.sokohub.co.ke/api/payments/mpesa/callback/3q2-4kT...',
    description: 'The URL Daraja now calls; the previous one answers 404',
  })
  callbackUrl: string;
}

export class MpesaSettingsDto {
  @ApiProperty({ example: '174379', description: 'Paybill or till shortcode (5 to 7 digits)', pattern: '^\\d{5,7}$' })
  @Transform(trim)
  @Matches(/^\d{5,7}$/, { message: 'shortcode must be 5 to 7 digits' })
  shortcode: string;

  @ApiProperty({ description: 'Lipa na M-Pesa Online passkey (never shown back)', minLength: 8, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  passkey: string;

  @ApiProperty({ description: 'Daraja app consumer key (never shown back)', minLength: 8, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  consumerKey: string;

  @ApiProperty({ description: 'Daraja app consumer secret (never shown back)', minLength: 8, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  consumerSecret: string;

  @ApiProperty({ enum: ['sandbox', 'production'] })
  @IsIn(['sandbox', 'production'])
  environment: 'sandbox' | 'production';

  @ApiPropertyOptional({
    description:
      "The API operator (initiator) Daraja's Transaction Status API runs as; confirms till and paybill payments that " +
      'came from outside the allow-listed addresses (sealed, never shown back; omitted: kept as it was)',
    minLength: 1,
    maxLength: 100,
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  initiatorName?: string;

  @ApiPropertyOptional({
    description:
      "The initiator's password encrypted with Safaricom's certificate, as the Daraja portal gives it (sealed, never " +
      'shown back; omitted: kept as it was)',
    minLength: 8,
    maxLength: 2048,
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(8)
  @MaxLength(2048)
  securityCredential?: string;

  @ApiPropertyOptional({
    description:
      'Refuse paybill payments whose account number names no open order (Safaricom must enable validation for the ' +
      'shortcode). Default false; omitted: kept as it was',
  })
  @IsOptional()
  @IsBoolean()
  c2bValidation?: boolean;
}

export class C2bRegistrationView {
  @ApiProperty({ description: 'Whether Daraja accepted our URLs for this shortcode' }) registered: boolean;
  @ApiProperty({ nullable: true, type: Date }) registeredAt: Date | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Where Daraja posts till and paybill confirmations (token shown whole only in the register answer)',
  })
  confirmationUrl: string | null;
  @ApiProperty({ nullable: true, type: String }) validationUrl: string | null;
  @ApiProperty({ nullable: true, enum: ['Completed', 'Cancelled'] }) responseType: string | null;
}

export class C2bRegisterDto {
  @ApiPropertyOptional({
    enum: ['Completed', 'Cancelled'],
    default: 'Completed',
    description: 'What M-Pesa does with a payment when our validation URL does not answer in time',
  })
  @IsOptional()
  @IsIn(['Completed', 'Cancelled'])
  responseType?: 'Completed' | 'Cancelled';
}

export class C2bRegisterResponse extends C2bRegistrationView {
  @ApiProperty({ example: '174379' }) shortcode: string;
  @ApiProperty({ example: 'Success', description: "Daraja's answer" }) darajaResponse: string;
}

export class MpesaSettingsResponse {
  @ApiProperty() configured: boolean;
  @ApiProperty({ nullable: true, type: String, example: '174379' }) shortcode: string | null;
  @ApiProperty({ nullable: true, enum: ['sandbox', 'production'] }) environment: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'The URL Daraja calls back. Its unguessable token is shown whole only in the answer that created it (the first ' +
      'save, or a rotation); every later read shows it masked',
  })
  callbackUrl: string | null;
  @ApiProperty({ description: 'True when callbackUrl carries the whole token (this answer only)' })
  callbackTokenShown: boolean;
  @ApiProperty({ description: 'Whether an initiator name and security credential are stored (never shown)' })
  initiatorConfigured: boolean;
  @ApiProperty({ description: 'Paybill payments naming no open order are refused (C2B validation)' })
  c2bValidation: boolean;
  @ApiProperty({ type: C2bRegistrationView }) c2b: C2bRegistrationView;
  @ApiProperty({ nullable: true, type: Date }) updatedAt: Date | null;
}

export class PaymentResponse {
  @ApiProperty({ example: 'pay_01hz...' }) id: string;
  @ApiProperty({ nullable: true, type: String }) orderId: string | null;
  @ApiProperty({
    enum: PAYMENT_METHODS,
    description: 'MPESA_STK: a prompt we sent; C2B: paid to the till or paybill; MANUAL: recorded by the seller',
  })
  method: string;
  @ApiProperty({ enum: PAYMENT_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: Number, description: 'What was paid' }) amountKes: number | null;
  @ApiProperty({ description: "The order's total when the payment started" }) expectedKes: number;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'QGH1234X5Y' }) mpesaReceipt: string | null;
  @ApiProperty({
    description:
      'False when Daraja confirmed the payment but only a callback from outside the allow-listed addresses named ' +
      'the receipt (or none did)',
  })
  receiptVerified: boolean;
  @ApiProperty({
    type: [String],
    description: 'Receipts that unverified callbacks named when they disagreed (none applied): check the till',
  })
  receiptCandidates: string[];
  @ApiProperty({ nullable: true, type: String }) checkoutRequestId: string | null;
  @ApiProperty({ nullable: true, type: Number }) resultCode: number | null;
  @ApiProperty({ nullable: true, type: String }) resultDesc: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Paid 4000 but the order total is 4500' }) flagReason:
    string | null;
  @ApiProperty({ nullable: true, enum: C2B_CHANNELS, description: 'C2B only: paid to a paybill or a till' })
  channel: string | null;
  @ApiProperty({ nullable: true, type: String, description: "C2B only: the payer's name as M-Pesa gives it" })
  payerName: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Paybill only: the account number the payer typed' })
  accountNumber: string | null;
  @ApiProperty({
    nullable: true,
    enum: MATCHED_BY,
    description: 'C2B only: how the payment found its order (null while unmatched)',
  })
  matchedBy: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) completedAt: Date | null;
  @ApiProperty({
    nullable: true,
    type: Date,
    description: 'A flagged payment the seller marked dealt with (it stays FLAGGED, out of the review queue)',
  })
  resolvedAt: Date | null;
  @ApiProperty({ nullable: true, type: String, description: 'Who resolved it: their email, or the API key' })
  resolvedBy: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Refunded KES 500 to 0712345678' }) resolution: string | null;
}

export class PaymentQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: PAYMENT_STATUSES })
  @IsOptional()
  @IsIn(PAYMENT_STATUSES)
  status?: (typeof PAYMENT_STATUSES)[number];

  @ApiPropertyOptional({ example: 'ord_01hz...' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  orderId?: string;

  @ApiPropertyOptional({
    type: Boolean,
    description:
      'false: till and paybill payments that found no order, waiting for the seller to assign them (failed ones ' +
      'left out); true: payments applied to an order',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'matched must be true or false' })
  matched?: boolean;

  @ApiPropertyOptional({
    type: Boolean,
    description: 'false: not marked dealt with (a flagged payment still to review); true: resolved',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'resolved must be true or false' })
  resolved?: boolean;
}

export class ResolvePaymentDto {
  @ApiProperty({ example: 'Refunded KES 500 to 0712345678', minLength: 2, maxLength: 500 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(2, { message: 'note must say what was done (at least 2 characters)' })
  @MaxLength(500)
  note: string;
}

export class AssignPaymentDto {
  @ApiProperty({ example: 'ord_01hz...', description: "The order this till or paybill payment pays (this shop's)" })
  @IsString()
  @MaxLength(40)
  orderId: string;
}

export class PaymentPage {
  @ApiProperty({ type: [PaymentResponse] }) data: PaymentResponse[];
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
  @ApiProperty() total: number;
}

export class CallbackLogEntry {
  @ApiProperty() receivedAt: Date;
  @ApiProperty({ nullable: true, type: Number }) resultCode: number | null;
  @ApiProperty({ example: 'applied: COMPLETED' }) outcome: string;
  @ApiProperty({ description: 'The raw body Daraja sent' }) body: unknown;
}

export class QueryLogEntry {
  @ApiProperty() at: Date;
  @ApiProperty({ nullable: true, type: Number }) resultCode: number | null;
  @ApiProperty({ nullable: true, type: String }) resultDesc: string | null;
  @ApiProperty({ description: 'false: Daraja was still processing, or did not answer' }) definite: boolean;
}

export class PaymentDetailResponse extends PaymentResponse {
  @ApiProperty({ type: [CallbackLogEntry] }) callbacks: CallbackLogEntry[];
  @ApiProperty({ type: [QueryLogEntry] }) queries: QueryLogEntry[];
}

/** A payment the seller saw on the till (M-Pesa receipt and amount). */
export class ManualPaymentDto {
  @ApiProperty({ example: 'QGH1234X5Y', description: 'The M-Pesa receipt number seen on the till' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[A-Z0-9]{8,12}$/, { message: 'mpesaReceipt must be an M-Pesa receipt number like QGH1234X5Y' })
  mpesaReceipt: string;

  @ApiProperty({ example: 4500 })
  @IsInt({ message: 'amountKes must be a whole number of shillings' })
  @Min(1)
  @Max(100_000_000)
  amountKes: number;
}

/** What Daraja's callbacks (STK, C2B confirmation, Transaction Status) are answered: always this, once stored. */
export class DarajaAckResponse {
  @ApiProperty({ example: 0, enum: [0] })
  ResultCode!: number;

  @ApiProperty({ example: 'Accepted' })
  ResultDesc!: string;
}

/** A C2B validation answer: "0" accepts the payment, "C2B00012" refuses an account number that names no order. */
export class C2bValidationResponse {
  @ApiProperty({ example: '0', enum: ['0', 'C2B00012'] })
  ResultCode!: string;

  @ApiProperty({ example: 'Accepted', enum: ['Accepted', 'Rejected'] })
  ResultDesc!: string;
}
