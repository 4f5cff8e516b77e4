import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';

export const API_KEY_ACCESS = ['read', 'full'] as const;

export class CreateApiKeyDto {
  @ApiProperty({
    example: 'Zapier',
    description: 'What the key is for, to tell keys apart',
    minLength: 1,
    maxLength: 80,
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'name is required' })
  @MinLength(1, { message: 'name is required' })
  @MaxLength(80)
  name: string;

  @ApiProperty({
    enum: API_KEY_ACCESS,
    description: '`read`: GET only (writes are 403); `full`: what the shop OWNER may do',
  })
  @IsIn(API_KEY_ACCESS, { message: 'access must be read or full' })
  access: (typeof API_KEY_ACCESS)[number];
}

export class ApiKeyResponse {
  @ApiProperty({ example: 'key_01hz...' }) id: string;
  @ApiProperty({ example: 'Zapier' }) name: string;
  @ApiProperty({ enum: API_KEY_ACCESS }) access: string;
  @ApiProperty({ example: 'sk_AbCdEfG', description: 'The start of the key, to recognise it' }) prefix: string;
  @ApiProperty({ example: 'usr_01hz...', description: 'The member who created it' }) createdBy: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date, description: 'To the minute' }) lastUsedAt: Date | null;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ example: 'sk_3q2-4kT...', description: 'Shown once: send it as `Authorization: Bearer sk_…`' })
  key: string;
}
