import { SellerSchema } from '../auth/entities/seller.entity.js';
import { UserSchema } from '../auth/entities/user.entity.js';
import { CustomerSchema } from '../customers/entities/customer.entity.js';
import { OrderItemSchema } from '../orders/entities/order-item.entity.js';
import { OrderTimelineSchema } from '../orders/entities/order-timeline.entity.js';
import { OrderSchema } from '../orders/entities/order.entity.js';
import { MpesaSettingsSchema } from '../payments/entities/mpesa-settings.entity.js';
import { PaymentSchema } from '../payments/entities/payment.entity.js';
import { PartnerCompanySchema } from '../partner-webhooks/entities/partner-company.entity.js';
import { PartnerWebhookSchema } from '../partner-webhooks/entities/partner-webhook.entity.js';
import { ProductReviewSchema } from '../products/entities/product-review.entity.js';
import { ProductVariantSchema } from '../products/entities/product-variant.entity.js';
import { ProductSchema } from '../products/entities/product.entity.js';
import { WebhookAttemptSchema } from '../webhooks/entities/webhook-attempt.entity.js';
import { WebhookDeliverySchema } from '../webhooks/entities/webhook-delivery.entity.js';
import { WebhookEndpointSchema } from '../webhooks/entities/webhook-endpoint.entity.js';
import { WebhookEventSchema } from '../webhooks/entities/webhook-event.entity.js';

/** Every entity, listed explicitly: ESM builds cannot glob for them. */
export const ENTITIES = [
  SellerSchema,
  UserSchema,
  WebhookEndpointSchema,
  WebhookEventSchema,
  WebhookDeliverySchema,
  WebhookAttemptSchema,
  ProductSchema,
  ProductVariantSchema,
  ProductReviewSchema,
  CustomerSchema,
  OrderSchema,
  OrderItemSchema,
  OrderTimelineSchema,
  PaymentSchema,
  MpesaSettingsSchema,
  PartnerCompanySchema,
  PartnerWebhookSchema,
];
