import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { KENYAN_PHONE_PATTERN } from '../../common/phone.js';
import { ApiSchemaRule } from '../../common/swagger/schema-rules.js';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/dto/pagination.dto.js';
import { blankToUndefined, toBoolean, toDayEnd, toDayStart, trim } from '../../common/dto/transforms.js';
import { DELIVERY_METHODS, ORDER_STATUSES, PAYMENT_METHODS } from '../entities/order.entity.js';

export class OrderItemInput {
  @ApiProperty({ example: 'prod_01hz...' })
  @IsString()
  @MaxLength(40)
  productId: string;

  @ApiPropertyOptional({ example: 'var_01hz...', description: 'Required for a product sold by variant' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  variantId?: string;

  @ApiProperty({ minimum: 1, maximum: 1000, example: 2 })
  @IsInt({ message: 'quantity must be a whole number' })
  @Min(1, { message: 'quantity must be from 1 to 1,000' })
  @Max(1000, { message: 'quantity must be from 1 to 1,000' })
  quantity: number;
}

@ApiSchemaRule({
  description: 'deliveryAddress is required unless deliveryMethod is PICKUP',
  anyOf: [{ properties: { deliveryMethod: { enum: ['PICKUP'] } } }, { required: ['deliveryAddress'] }],
})
export class PlaceOrderDto {
  @ApiProperty({ example: 'amina-prints' })
  @IsString()
  @MaxLength(60)
  storeSlug: string;

  @ApiProperty({ example: 'Amina Wanjiku' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  customerName: string;

  @ApiProperty({
    example: '0712345678',
    pattern: KENYAN_PHONE_PATTERN,
    description: 'A Kenyan mobile number in any usual form',
  })
  @IsString()
  @MaxLength(32)
  customerPhone: string;

  @ApiProperty({ enum: DELIVERY_METHODS })
  @IsIn(DELIVERY_METHODS)
  deliveryMethod: (typeof DELIVERY_METHODS)[number];

  @ApiPropertyOptional({ example: 'Moi Avenue, Nairobi', description: 'Required for DELIVERY' })
  @ValidateIf((o: PlaceOrderDto) => o.deliveryMethod === 'DELIVERY' || o.deliveryAddress !== undefined)
  @Transform(trim)
  @IsString({ message: 'deliveryAddress is required for DELIVERY' })
  @MinLength(3, { message: 'deliveryAddress is required for DELIVERY' })
  @MaxLength(500)
  deliveryAddress?: string;

  @ApiPropertyOptional({ enum: PAYMENT_METHODS, default: 'MPESA' })
  @IsOptional()
  @IsIn(PAYMENT_METHODS)
  paymentMethod?: (typeof PAYMENT_METHODS)[number];

  @ApiProperty({ type: [OrderItemInput], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1, { message: 'items must hold 1 to 50 lines' })
  @ArrayMaxSize(50, { message: 'items must hold 1 to 50 lines' })
  @ValidateNested({ each: true })
  @Type(() => OrderItemInput)
  items: OrderItemInput[];
}

/** An order the shop takes itself: the storefront's body without the slug (the shop is the caller's), and a note. */
@ApiSchemaRule({
  description: 'deliveryAddress is required unless deliveryMethod is PICKUP',
  anyOf: [{ properties: { deliveryMethod: { enum: ['PICKUP'] } } }, { required: ['deliveryAddress'] }],
})
export class ManualOrderDto extends OmitType(PlaceOrderDto, ['storeSlug'] as const) {
  @ApiPropertyOptional({
    example: 'WhatsApp order, delivery after 5 pm',
    description: "Where the order came from or what was agreed: the order's first timeline entry",
  })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @MaxLength(500)
  note?: string;

  @ApiPropertyOptional({
    default: true,
    description:
      "false: no M-Pesa PIN prompt goes to the buyer's phone (they already paid the till, or will); the order waits " +
      'for the payment like any unpaid M-Pesa order. Ignored for CASH_ON_DELIVERY.',
  })
  @IsOptional()
  @IsBoolean({ message: 'sendPrompt must be true or false' })
  sendPrompt?: boolean;
}

/** The reference shows no body for a cancel: the reason is optional. */
export class CancelOrderDto {
  @ApiPropertyOptional({ example: 'Customer asked to cancel' })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'reason must be text' })
  @MinLength(2, { message: 'reason must be at least 2 characters' })
  @MaxLength(500)
  reason?: string;
}

export class MoveNoteDto {
  @ApiPropertyOptional({ example: 'Sent with G4S, waybill 88213' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class OrderQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: (typeof ORDER_STATUSES)[number];

  @ApiPropertyOptional({
    example: '2025-06-01T00:00:00Z',
    format: 'date-time',
    description:
      'RFC 3339 date-time, or a plain date: from its midnight in Nairobi (UTC+3), as the analytics count days',
  })
  @IsOptional()
  @Transform(toDayStart)
  @IsDate({ message: 'from must be an RFC 3339 date-time (2025-06-01T00:00:00Z) or a date (2025-06-01)' })
  from?: Date;

  @ApiPropertyOptional({
    example: '2025-06-30T23:59:59Z',
    format: 'date-time',
    description: 'RFC 3339 date-time (inclusive), or a plain date: that whole day in Nairobi (UTC+3)',
  })
  @IsOptional()
  @Transform(toDayEnd)
  @IsDate({ message: 'to must be an RFC 3339 date-time (2025-06-30T23:59:59Z) or a date (2025-06-30)' })
  to?: Date;

  @ApiPropertyOptional({
    description:
      'Reference code, customer name or phone (any usual form: 0712 345 678, 254712…, +254712…; whole or its start)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({
    type: Boolean,
    description:
      'true: orders with money still to pay (amountDueKes above 0: PENDING ones, and cash-on-delivery orders ' +
      'confirmed or dispatched and not yet paid), the ones a till payment may be assigned to; false: the others',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'awaitingPayment must be true or false' })
  awaitingPayment?: boolean;
}

/** The list's filters without its paging: the export streams every order that matches. */
export class OrderExportQuery extends OmitType(OrderQuery, ['page', 'limit'] as const) {}

export class OrderItemResponse {
  @ApiProperty() productId: string;
  @ApiProperty({ nullable: true, type: String }) variantId: string | null;
  @ApiProperty({ example: 'African Print Tote Bag' }) productName: string;
  @ApiProperty({ nullable: true, type: String, example: 'Large / Red' }) variantName: string | null;
  @ApiProperty({ example: 2 }) quantity: number;
  @ApiProperty({ example: 1500 }) unitPriceKes: number;
  @ApiProperty({ example: 3000 }) subtotalKes: number;
}

export class TimelineEntryResponse {
  @ApiProperty({ enum: ORDER_STATUSES }) status: string;
  @ApiProperty() at: Date;
  @ApiProperty({ example: 'usr_01hz...', description: 'A user id, or customer, mpesa, system' }) actor: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
}

/** The reference's order object, plus what a dashboard needs. */
export class OrderResponse {
  @ApiProperty({ example: 'ord_01hz...' }) id: string;
  @ApiProperty({ example: 'SKH-2025-00042' }) referenceCode: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status: string;
  @ApiProperty({ example: 4500 }) totalKes: number;
  @ApiProperty({ example: 'Amina Wanjiku' }) customerName: string;
  @ApiProperty({ example: '+254712345678' }) customerPhone: string;
  @ApiProperty({ enum: DELIVERY_METHODS }) deliveryMethod: string;
  @ApiProperty({ nullable: true, type: String, example: 'QGH1234X5Y' }) mpesaReceipt: string | null;
  @ApiProperty({ nullable: true, type: Date }) paidAt: Date | null;
  @ApiProperty({
    example: 1500,
    description: 'M-Pesa money received for this order so far (till payments may come in parts)',
  })
  amountPaidKes: number;
  @ApiProperty({
    example: 3000,
    description:
      'What is still to pay: 0 once the order is paid or cancelled. A cash-on-delivery order shows it until it is ' +
      'paid or delivered (the buyer pays at the door)',
  })
  amountDueKes: number;
  @ApiProperty({ type: [OrderItemResponse] }) items: OrderItemResponse[];
  @ApiProperty() customerId: string;
  @ApiProperty({ nullable: true, type: String }) deliveryAddress: string | null;
  @ApiProperty({ enum: PAYMENT_METHODS }) paymentMethod: string;
  @ApiProperty({ example: 3, description: 'Units: the sum of quantities' }) itemCount: number;
  @ApiProperty({ nullable: true, type: String }) cancelReason: string | null;
  @ApiProperty({ type: [TimelineEntryResponse] }) timeline: TimelineEntryResponse[];
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class OrderPage {
  @ApiProperty({ type: [OrderResponse] }) data: OrderResponse[];
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
  @ApiProperty() total: number;
}

/** The storefront's answer to a placed order. */
export class PlacedOrderResponse extends OrderResponse {
  @ApiProperty({
    description:
      'Whether an M-Pesa PIN prompt is being sent to the phone (false for cash on delivery, or when the phone ' +
      'had too many prompts this hour)',
  })
  stkPrompt: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Something whoever placed it should know, in plain words (e.g. why no prompt was sent)',
  })
  notice: string | null;
}
