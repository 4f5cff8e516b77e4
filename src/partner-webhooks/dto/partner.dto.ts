import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PARTNER_TYPES } from '../event-map.js';
import { capLimit } from '../../common/dto/pagination.dto.js';

export class CreatePartnerDto {
  @ApiProperty({ example: 'Duka Analytics Ltd' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  name: string;
}

export class PartnerCreatedResponse {
  @ApiProperty({ example: 'cmp_01hz...' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Shown once: the partner calls the API with `Authorization: Bearer <apiKey>`' })
  apiKey: string;
  @ApiProperty({ description: 'Shown once: verifies X-SokoHub-Signature on partner deliveries' }) signingSecret: string;
}

export class PartnerResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'skp_AbCd', description: 'The start of the current key, to tell keys apart' })
  apiKeyPrefix: string;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;
  @ApiProperty() createdAt: Date;
}

export class RotatedKeyResponse {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'Shown once; the old key stops working at once' }) apiKey: string;
}

export class PartnerAccessResponse {
  @ApiProperty({ example: 'cmp_01hz...' }) companyId: string;
  @ApiProperty() companyName: string;
  @ApiProperty() grantedAt: Date;
}

/** Distinct target URLs one hook may have (`url` and `webHookUrls` together): one event, at most 5 POSTs per hook. */
export const MAX_URLS_PER_HOOK = 5;

/** Every distinct URL a hook delivers to: `url` first, then `webHookUrls`. */
export function hookUrls(url: string | null | undefined, webHookUrls: readonly string[]): string[] {
  return [...new Set([...(url ? [url] : []), ...webHookUrls])];
}

const WEBHOOK_URLS_EXAMPLE = ['https://partner.example/hooks/a'];
const URL_ITEM = { type: 'string', format: 'uri', maxLength: 2048 } as const;

/** The reference's create body: only `webHookUrls` is required. */
export class CreatePartnerWebhookDto {
  @ApiPropertyOptional({
    example: 'https://partner.example/hooks/sokohub',
    format: 'uri',
    description: 'One more target URL; deliveries go to every distinct URL of `url` and `webHookUrls`',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({
    example: 'sel_01hz...',
    description:
      'A shop (seller id) that granted your company access. Absent: company-wide, every shop that grants ' +
      'access, now and later',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  shopId?: string;

  @ApiPropertyOptional({ enum: PARTNER_TYPES, description: 'Absent: every type' })
  @IsOptional()
  @IsIn(PARTNER_TYPES, { message: `webHookType must be one of ${PARTNER_TYPES.join(', ')}` })
  webHookType?: (typeof PARTNER_TYPES)[number];

  @ApiProperty({ type: 'array', items: URL_ITEM, example: WEBHOOK_URLS_EXAMPLE, minItems: 1, maxItems: 5 })
  @IsArray({ message: 'webHookUrls is required: 1 to 5 URLs' })
  @ArrayMinSize(1, { message: 'webHookUrls is required: 1 to 5 URLs' })
  @ArrayMaxSize(MAX_URLS_PER_HOOK, { message: 'webHookUrls holds at most 5 URLs' })
  @ArrayUnique({ message: 'webHookUrls must be distinct' })
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  webHookUrls: string[];
}

/**
 * PUT takes the PartnerWebHook object with every field optional: fields left out keep their values; the read-only
 * ones (id, companyId, created, modified, deleted, updated, disabled...) are accepted and ignored. `null` clears
 * `url` and `webHookType`.
 */
export class UpdatePartnerWebhookDto {
  @ApiPropertyOptional({
    example: 'https://partner.example/hooks/sokohub',
    nullable: true,
    type: String,
    format: 'uri',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string | null;
  @ApiPropertyOptional({ example: 'sel_01hz...', description: 'Move the hook to another granted shop' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  shopId?: string;
  @ApiPropertyOptional({
    enum: PARTNER_TYPES,
    nullable: true,
    description: 'What deliveries are filtered by; null: every type',
  })
  @IsOptional()
  @IsIn(PARTNER_TYPES, { message: `webHookType must be one of ${PARTNER_TYPES.join(', ')}` })
  webHookType?: (typeof PARTNER_TYPES)[number] | null;

  @ApiPropertyOptional({ type: 'array', items: URL_ITEM, example: WEBHOOK_URLS_EXAMPLE, minItems: 1, maxItems: 5 })
  @IsOptional()
  @IsArray({ message: 'webHookUrls must be a list of 1 to 5 URLs' })
  @ArrayMinSize(1, { message: 'webHookUrls must be a list of 1 to 5 URLs' })
  @ArrayMaxSize(MAX_URLS_PER_HOOK, { message: 'webHookUrls holds at most 5 URLs' })
  @ArrayUnique({ message: 'webHookUrls must be distinct' })
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  webHookUrls?: string[];

  @ApiPropertyOptional({ description: 'Ignored' }) @IsOptional() @IsString() id?: string;
  @ApiPropertyOptional({ description: 'Ignored' }) @IsOptional() @IsString() companyId?: string;
  @ApiPropertyOptional({ description: 'Ignored' }) @IsOptional() @IsNumber() created?: number;
  @ApiPropertyOptional({ description: 'Ignored' }) @IsOptional() @IsNumber() modified?: number;
  @ApiPropertyOptional({ description: 'Ignored' }) @IsOptional() @IsBoolean() deleted?: boolean;
  @ApiPropertyOptional({ description: 'Ignored' }) @IsOptional() @IsBoolean() updated?: boolean;
  @ApiPropertyOptional({ description: 'Ignored' }) @IsOptional() @IsBoolean() disabled?: boolean;
  @ApiPropertyOptional({ description: 'Ignored', nullable: true, type: String })
  @IsOptional()
  @IsString()
  disabledReason?: string | null;
  @ApiPropertyOptional({ description: 'Ignored', nullable: true, type: Number }) @IsOptional() @IsNumber() disabledAt?:
    number | null;
  @ApiPropertyOptional({ description: 'Ignored', type: 'array', items: { type: 'object' } })
  @IsOptional()
  @IsArray()
  disabledUrls?: unknown[];
}

export class DisabledUrlResponse {
  @ApiProperty({ example: 'https://partner.example.com/hooks/sokohub' }) url: string;
  @ApiProperty({ example: 'The URL answered 410 Gone' }) reason: string;
  @ApiProperty({ example: 1748781296789, description: 'Epoch milliseconds' }) disabledAt: number;
}

export class PartnerWebhookResponse {
  @ApiProperty({ example: 'pwh_01hz...' }) id: string;
  @ApiProperty({ example: 'cmp_01hz...' }) companyId: string;
  @ApiProperty({ example: 'sel_01hz...', nullable: true, type: String, description: 'null: company-wide' }) shopId:
    string | null;
  @ApiProperty({ example: 1748781296789, description: 'Epoch milliseconds' }) created: number;
  @ApiProperty({ example: 1748781296789, description: 'Epoch milliseconds' }) modified: number;
  @ApiProperty({ description: 'True once deleted: it receives nothing again' }) deleted: boolean;
  @ApiProperty() updated: boolean;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ nullable: true, enum: PARTNER_TYPES }) webHookType: string | null;
  @ApiProperty({ type: [String] }) webHookUrls: string[];
  @ApiProperty({
    description:
      'Read-only: every URL of the hook is switched off (see disabledUrls; a PUT switches them back on), or the shop ' +
      'the hook names no longer grants the company access (it resumes when the shop grants it again)',
  })
  disabled: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'Every URL is switched off: The URL answered 410 Gone',
    description: 'Read-only',
  })
  disabledReason: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Read-only, epoch milliseconds' }) disabledAt:
    number | null;
  @ApiProperty({
    type: [DisabledUrlResponse],
    description:
      'Read-only: URLs switched off on their own (a 410, or WEBHOOK_DISABLE_AFTER_FAILURES deliveries in a ' +
      'row that failed every attempt) while the others keep receiving; a PUT switches them back on',
  })
  disabledUrls: DisabledUrlResponse[];
}

export class SearchQuery {
  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  start: number = 0;

  @ApiPropertyOptional({
    default: 20,
    minimum: 1,
    description: "Capped at 100: the answer's `limit` says what was applied",
  })
  @IsOptional()
  // Absent: the default; empty or not a number: 400; above the cap: the cap.
  @Transform(capLimit)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  limit: number = 20;
}

export class PartnerWebhookQuery extends SearchQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  shopId?: string;

  @ApiPropertyOptional({ enum: PARTNER_TYPES })
  @IsOptional()
  @IsIn(PARTNER_TYPES)
  type?: (typeof PARTNER_TYPES)[number];
}

/** The reference's SearchResult. */
export class PartnerWebhookSearchResult {
  @ApiProperty({ type: [PartnerWebhookResponse] }) values: PartnerWebhookResponse[];
  @ApiProperty() total: number;
  @ApiProperty() start: number;
  @ApiProperty() limit: number;
}

export class PartnerAttempt {
  @ApiProperty() attempt: number;
  @ApiProperty({ description: 'Epoch milliseconds' }) at: number;
  @ApiProperty({ nullable: true, type: Number }) statusCode: number | null;
  @ApiProperty() durationMs: number;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
}

export class PartnerDelivery {
  @ApiProperty() id: string;
  @ApiProperty() eventId: string;
  @ApiProperty({ enum: PARTNER_TYPES }) webHookType: string;
  @ApiProperty() url: string;
  @ApiProperty({ enum: ['PENDING', 'SUCCEEDED', 'FAILED', 'PAUSED'] }) status: string;
  @ApiProperty({ description: 'Epoch milliseconds' }) created: number;
  @ApiProperty({ type: [PartnerAttempt] }) attempts: PartnerAttempt[];
}

export class PartnerDeliverySearchResult {
  @ApiProperty({ type: [PartnerDelivery] }) values: PartnerDelivery[];
  @ApiProperty() total: number;
  @ApiProperty() start: number;
  @ApiProperty() limit: number;
}
