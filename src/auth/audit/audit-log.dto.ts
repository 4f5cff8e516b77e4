import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AuditActorResponse {
  @ApiProperty({ enum: ['user', 'key'] }) type: 'user' | 'key';
  @ApiProperty({ example: 'usr_01hz...', description: 'The user or API key id' }) id: string;
  @ApiPropertyOptional({ example: 'owner@shop.co.ke', description: 'For a person' }) email?: string;
}

export class AuditEntryResponse {
  @ApiProperty({ example: 'aud_01hz...' }) id: string;
  @ApiProperty() at: Date;
  @ApiProperty({ type: AuditActorResponse }) actor: AuditActorResponse;
  @ApiProperty({ example: 'staff.added' }) action: string;
  @ApiProperty({ type: String, nullable: true, example: 'usr_01hz...' }) target: string | null;
  @ApiProperty({ type: String, nullable: true, example: '196.201.214.10', description: 'Client address' })
  ip: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { email: 'new@shop.co.ke', role: 'MANAGER' },
    description: 'What changed: names and new values, never a secret',
  })
  changes: Record<string, unknown>;
}

export class AuditPage {
  @ApiProperty({ type: [AuditEntryResponse], description: 'Newest first' }) items: AuditEntryResponse[];
  @ApiProperty({ type: [AuditEntryResponse], description: "The same entries, under the seller lists' usual name" })
  data: AuditEntryResponse[];
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
  @ApiProperty() total: number;
}
