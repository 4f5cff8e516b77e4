import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_METHODS, ORDER_STATUSES, PAYMENT_METHODS } from '../../orders/order-state.js';

export class BuyerOrderItem {
  @ApiProperty({ example: 'African Print Tote Bag' }) productName: string;
  @ApiProperty({ nullable: true, type: String, example: 'Large' }) variantName: string | null;
  @ApiProperty({ example: 2 }) quantity: number;
  @ApiProperty({ example: 1500 }) unitPriceKes: number;
  @ApiProperty({ example: 3000 }) subtotalKes: number;
}

export class BuyerOrderStep {
  @ApiProperty({ enum: ORDER_STATUSES }) status: string;
  @ApiProperty() at: Date;
}

export class BuyerPrompt {
  @ApiProperty({
    enum: ['NONE', 'PENDING', 'COMPLETED', 'FAILED', 'FLAGGED'],
    description:
      'NONE: no prompt was sent (cash on delivery, a shop without prompts, or the phone over its limit); PENDING: ' +
      'the PIN prompt is on the phone (or its answer is on its way)',
  })
  status: string;
  @ApiProperty({ nullable: true, type: Date, description: 'When it was sent' }) at: Date | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'Request cancelled by user',
    description: "M-Pesa's own words when it did not go through",
  })
  message: string | null;
}

/**
 * An order as its buyer may see it on the shop's website: what was bought, where it is, what is paid and owed, and
 * the last M-Pesa prompt. Nothing the seller keeps (the buyer's name, phone and address, staff, notes).
 */
export class BuyerOrderResponse {
  @ApiProperty({ example: 'ord_01hz...' }) id: string;
  @ApiProperty({ example: 'SKH-2025-00042' }) referenceCode: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status: string;
  @ApiProperty({ enum: PAYMENT_METHODS }) paymentMethod: string;
  @ApiProperty({ enum: DELIVERY_METHODS }) deliveryMethod: string;
  @ApiProperty({ example: 4500 }) totalKes: number;
  @ApiProperty({ example: 0 }) amountPaidKes: number;
  @ApiProperty({ example: 4500 }) amountDueKes: number;
  @ApiProperty({ nullable: true, type: String, example: 'QGH1234X5Y' }) mpesaReceipt: string | null;
  @ApiProperty({ nullable: true, type: Date }) paidAt: Date | null;
  @ApiProperty({ type: [BuyerOrderItem] }) items: BuyerOrderItem[];
  @ApiProperty({ type: [BuyerOrderStep], description: 'Each state the order reached, oldest first' })
  history: BuyerOrderStep[];
  @ApiProperty({ type: BuyerPrompt, description: 'The last M-Pesa PIN prompt (status NONE when none was sent)' })
  lastPrompt: BuyerPrompt;
  @ApiProperty({
    description:
      'Whether POST …/pay may send the PIN prompt again now (an unpaid M-Pesa order, a shop taking prompts, none ' +
      'on the phone, the phone under its hourly limit)',
  })
  canPromptAgain: boolean;
  @ApiProperty() placedAt: Date;
}

/** The M-Pesa prompt of an order as the shop sees it: the last one sent, and whether another may go now. */
export class OrderPromptResponse {
  @ApiProperty({ type: BuyerPrompt, description: 'The last M-Pesa PIN prompt (status NONE when none was sent)' })
  lastPrompt: BuyerPrompt;
  @ApiProperty({
    description:
      "Whether POST may send the PIN prompt to the buyer's phone now (an unpaid M-Pesa order, a shop with Daraja " +
      'credentials, no prompt on the phone, the phone under STK_PROMPTS_PER_PHONE_PER_HOUR)',
  })
  canPromptAgain: boolean;
}
