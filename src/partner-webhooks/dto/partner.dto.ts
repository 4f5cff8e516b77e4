import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PARTNER_TYPES } from '../event-map.js';

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
  @ApiProperty({ description: 'Shown once: the partner calls the API with `Authorization: Bearer <apiKey>`' }) apiKey: string;
  @ApiProperty({ description: 'Shown once: verifies X-SokoHub-Signature on partner deliveries' }) signingSecret: string;
}

export class PartnerResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'skp_AbCd', description: 'The start of the current key, to tell keys apart' }) apiKeyPrefix: string;
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

/** The reference's create body. */
export class CreatePartnerWebhookDto {
  @ApiPropertyOptional({ example: 'https://partner.example/hooks/sokohub' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiProperty({ example: 'sel_01hz...', description: "A shop (seller id) that granted your company access" })
  @IsString()
  @MaxLength(40)
  shopId: string;

  @ApiPropertyOptional({ enum: PARTNER_TYPES, description: 'Absent: every type' })
  @IsOptional()
  @IsIn(PARTNER_TYPES, { message: `webHookType must be one of ${PARTNER_TYPES.join(', ')}` })
  webHookType?: (typeof PARTNER_TYPES)[number];

  @ApiProperty({ type: [String], example: ['https://partner.example/hooks/a'], minItems: 1, maxItems: 10 })
  @IsArray({ message: 'webHookUrls is required: 1 to 10 URLs' })
  @ArrayMinSize(1, { message: 'webHookUrls is required: 1 to 10 URLs' })
  @ArrayMaxSize(10, { message: 'webHookUrls holds at most 10 URLs' })
  @ArrayUnique({ message: 'webHookUrls must be distinct' })
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  webHookUrls: string[];
}

/** PUT takes the full PartnerWebHook; the read-only fields are accepted and ignored. */
export class UpdatePartnerWebhookDto extends CreatePartnerWebhookDto {
  @ApiPropertyOptional({ description: 'Ignored' }) @IsOptional() @IsString() id?: string;
  @ApiPropertyOptional({ description: 'Ignored' }) @IsOptional() @IsString() companyId?: string;
  @ApiPropertyOptional({ description: 'Ignored' }) @IsOptional() @IsNumber() created?: number;
  @ApiPropertyOptional({ description: 'Ignored' }) @IsOptional() @IsNumber() modified?: number;
  @ApiPropertyOptional({ description: 'Ignored' }) @IsOptional() @IsBoolean() deleted?: boolean;
  @ApiPropertyOptional({ description: 'Ignored' }) @IsOptional() @IsBoolean() updated?: boolean;
}

export class PartnerWebhookResponse {
  @ApiProperty({ example: 'pwh_01hz...' }) id: string;
  @ApiProperty({ example: 'cmp_01hz...' }) companyId: string;
  @ApiProperty({ example: 'sel_01hz...' }) shopId: string;
  @ApiProperty({ example: 1748781296789, description: 'Epoch milliseconds' }) created: number;
  @ApiProperty({ example: 1748781296789, description: 'Epoch milliseconds' }) modified: number;
  @ApiProperty() deleted: boolean;
  @ApiProperty() updated: boolean;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ nullable: true, enum: PARTNER_TYPES }) webHookType: string | null;
  @ApiProperty({ type: [String] }) webHookUrls: string[];
}

export class SearchQuery {
  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  start: number = 0;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
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
