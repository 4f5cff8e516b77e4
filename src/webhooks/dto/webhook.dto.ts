import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { PageQuery } from '../../common/dto/pagination.dto.js';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { SELLER_EVENT_NAMES, type SellerEventName } from '../../events/event-catalogue.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../entities/webhook-delivery.entity.js';
import { toRfc3339Date } from '../../common/dto/transforms.js';

export const BACKLOG_CHOICES = ['deliver', 'discard'] as const;
export type BacklogChoice = (typeof BACKLOG_CHOICES)[number];

const EVENTS_MESSAGE = `each value in events must be one of ${SELLER_EVENT_NAMES.join(', ')}`;

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://yourapp.com/hooks/sokohub',
    format: 'uri',
    description:
      'An absolute https URL (http and private addresses only where the operator allows them); it must resolve',
  })
  @IsString()
  @MaxLength(2048)
  url: string;

  @ApiPropertyOptional({ example: 'Order + payment events', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255, { message: 'description must be at most 255 characters' })
  description?: string;

  @ApiProperty({ enum: SELLER_EVENT_NAMES, isArray: true, example: ['ORDER_CREATED', 'ORDER_PAID', 'ORDER_CANCELLED'] })
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayMaxSize(SELLER_EVENT_NAMES.length)
  @ArrayUnique({ message: 'events must not repeat an event' })
  @IsIn(SELLER_EVENT_NAMES, { each: true, message: EVENTS_MESSAGE })
  events: SellerEventName[];
}

/** Every field optional, validated as on create (PATCH and PUT). */
export class UpdateWebhookDto extends PartialType(CreateWebhookDto) {}

export class ToggleWebhookDto {
  @ApiPropertyOptional({ description: 'The state to set; omitted, the endpoint flips' })
  @IsOptional()
  @IsBoolean()
  isActive?: boolean;

  @ApiPropertyOptional({
    enum: BACKLOG_CHOICES,
    default: 'deliver',
    description:
      'On switching back on: `deliver` sends the parked deliveries one by one in the order they happened; ' +
      '`discard` drops them (closed as FAILED)',
  })
  @IsOptional()
  @IsIn(BACKLOG_CHOICES, { message: `backlog must be one of: ${BACKLOG_CHOICES.join(', ')}` })
  backlog?: BacklogChoice;
}

export class ToggleQuery {
  @ApiPropertyOptional({ enum: BACKLOG_CHOICES, description: 'Same as `backlog` in the body' })
  @IsOptional()
  @IsIn(BACKLOG_CHOICES, { message: `backlog must be one of: ${BACKLOG_CHOICES.join(', ')}` })
  backlog?: BacklogChoice;
}

export class RecoverDto {
  @ApiProperty({
    example: '2025-06-01T00:00:00.000Z',
    format: 'date-time',
    description: 'Send again every failed delivery created since this time (RFC 3339)',
  })
  @Transform(toRfc3339Date)
  @IsDate({ message: 'since must be an RFC 3339 date-time (2025-06-01T00:00:00Z)' })
  since: Date;
}

/** The delivery log: 50 a page by default, filterable by status and event. */
export class DeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({
    default: 50,
    minimum: 1,
    description: "Capped at 100: the answer's `limit` says what was applied",
  })
  override limit: number = 50;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ enum: SELLER_EVENT_NAMES })
  @IsOptional()
  @IsIn(SELLER_EVENT_NAMES)
  event?: SellerEventName;
}

export class WebhookResponse {
  @ApiProperty({ example: 'wh_01hx3k2m4n5p6q7r8s9t0v1w2x' }) id: string;
  @ApiProperty({ example: 'https://yourapp.com/hooks/sokohub' }) url: string;
  @ApiProperty({ nullable: true, type: String, example: 'Order + payment events' }) description: string | null;
  @ApiProperty({ enum: SELLER_EVENT_NAMES, isArray: true }) events: string[];
  @ApiProperty() isActive: boolean;
  @ApiProperty({ nullable: true, type: String, example: '8 consecutive deliveries failed every attempt' })
  disabledReason: string | null;
  @ApiProperty({ nullable: true, type: Date }) disabledAt: Date | null;
  @ApiProperty({
    nullable: true,
    enum: ['seller', 'failures'],
    description:
      'Who switched it off: `failures` (410 Gone, or too many failed deliveries in a row) parks its events ' +
      'until it is switched back on; `seller` records nothing meanwhile',
  })
  disabledBy: 'seller' | 'failures' | null;
  @ApiProperty({
    example: 0,
    description:
      'Deliveries waiting for the endpoint to be switched back on (sent in order then, or discarded on request)',
  })
  parkedDeliveries: number;
  @ApiProperty({
    example: 0,
    description:
      'Events not parked during the last time it was off because the cap (WEBHOOK_PARKED_MAX_PER_ENDPOINT) was reached',
  })
  droppedDeliveries: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Shown once, never again: verify X-SokoHub-Signature with it',
  })
  secret: string;
}

export class DeliveryResponse {
  @ApiProperty({ example: 'dlv_01hx...' }) id: string;
  @ApiProperty({ example: 'evt_01hx...' }) eventId: string;
  @ApiProperty({ example: 'ORDER_CREATED' }) event: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiProperty({ nullable: true, type: Number, example: 200 }) lastStatusCode: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: Date, description: 'When the next attempt is due (PENDING only)' })
  nextAttemptAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) completedAt: Date | null;
  @ApiProperty({ description: 'A test send (POST /api/webhooks/:id/test)' }) test: boolean;
}

export class AttemptResponse {
  @ApiProperty({ example: 1 }) attempt: number;
  @ApiProperty() startedAt: Date;
  @ApiProperty({ example: 84 }) durationMs: number;
  @ApiProperty({ nullable: true, type: Number, example: 200 }) statusCode: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'timed out after 10000 ms' }) error: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'First 2 KB of the response body' }) responseExcerpt:
    string | null;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The request headers this attempt was sent with, signatures included (null for older attempts)',
    example: { 'X-SokoHub-Event': 'ORDER_CREATED', 'X-SokoHub-Signature': 'sha256=5f2b…' },
  })
  requestHeaders: Record<string, string> | null;
}

export class DeliveryDetailResponse extends DeliveryResponse {
  @ApiProperty({ description: 'The exact JSON body sent' }) payload: unknown;
  @ApiProperty({ type: [AttemptResponse] }) attemptLog: AttemptResponse[];
}

export class WebhookDetailResponse extends WebhookResponse {
  @ApiProperty({ type: [DeliveryResponse], description: 'The last 20 deliveries, newest first' })
  deliveries: DeliveryResponse[];

  @ApiProperty({ type: [DeliveryResponse], description: 'The same list as `deliveries` (its first name, kept)' })
  recentDeliveries: DeliveryResponse[];
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryResponse] }) data: DeliveryResponse[];
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
  @ApiProperty() total: number;
}

export class RecoverResponse {
  @ApiProperty({ example: 12, description: 'Failed deliveries queued again' }) requeued: number;
}

export class EventTypeResponse {
  @ApiProperty({ example: 'ORDER_CREATED' }) event: string;
  @ApiProperty({ example: 'A new order has been placed on the storefront.' }) description: string;
  @ApiProperty({
    example: 'OrderEventData',
    description: 'The name of the schema of the payload `data` (see the schemas in this document)',
  })
  dataSchema: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The JSON Schema (draft 2020-12) of the payload `data`',
  })
  schema: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'A whole example body as an endpoint receives it',
    example: {
      event: 'ORDER_CREATED',
      sellerId: 'sel_01jdx3k2m4n5p6q7r8s9t0v1w2',
      timestamp: '2025-11-28T09:30:00.000Z',
      data: { orderId: 'ord_01jdx3k2m4n5p6q7r8s9t0v1w2' },
    },
  })
  example: { event: string; sellerId: string; timestamp: string; data: unknown };
}

export class RotatedSecretResponse {
  @ApiProperty({ example: 'wh_01hz...' }) id: string;
  @ApiProperty({ example: 'whsec_…', description: 'The new signing secret, shown only in this answer' })
  secret: string;
  @ApiProperty({ description: 'Until then deliveries carry signatures with both the old and the new secret' })
  previousSecretExpiresAt: Date;
}
