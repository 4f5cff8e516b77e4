import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '../../common/dto/pagination.dto.js';
import { PAYMENT_STATUSES } from '../entities/payment.entity.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

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
  @ApiProperty({ nullable: true, type: Date }) updatedAt: Date | null;
}

export class PaymentResponse {
  @ApiProperty({ example: 'pay_01hz...' }) id: string;
  @ApiProperty({ nullable: true, type: String }) orderId: string | null;
  @ApiProperty({ enum: ['MPESA_STK', 'MANUAL'] }) method: string;
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
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) completedAt: Date | null;
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
