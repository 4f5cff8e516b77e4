import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../common/dto/pagination.dto.js';

export class CustomerQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Name, phone (any usual form, whole or its start) or email' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ['totalSpent', 'lastOrderAt', 'newest'], default: 'newest' })
  @IsOptional()
  @IsIn(['totalSpent', 'lastOrderAt', 'newest'])
  sort: 'totalSpent' | 'lastOrderAt' | 'newest' = 'newest';
}

/** The list's search without its paging or order: the export runs newest first through every customer. */
export class CustomerExportQuery extends PickType(CustomerQuery, ['q'] as const) {}

export class UpdateCustomerDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['wholesale', 'nairobi'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  tags?: string[];
}

export class CustomerStats {
  @ApiProperty() orderCount: number;
  @ApiProperty({ description: 'Paid orders only (not cancelled)' }) totalSpentKes: number;
  @ApiProperty() averageOrderValueKes: number;
  @ApiProperty({ nullable: true, type: Date }) firstOrderAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) lastOrderAt: Date | null;
}

export class CustomerResponse {
  @ApiProperty({ example: 'cus_01hz...' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '+254712345678' }) phone: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ type: CustomerStats }) stats: CustomerStats;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class CustomerPage {
  @ApiProperty({ type: [CustomerResponse] }) data: CustomerResponse[];
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
  @ApiProperty() total: number;
}
