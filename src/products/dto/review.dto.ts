import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class CreateReviewDto {
  @ApiProperty({ example: 'Amina W.' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  customerName: string;

  @ApiProperty({ minimum: 1, maximum: 5, example: 5 })
  @IsInt({ message: 'rating must be a whole number from 1 to 5' })
  @Min(1, { message: 'rating must be a whole number from 1 to 5' })
  @Max(5, { message: 'rating must be a whole number from 1 to 5' })
  rating: number;

  @ApiPropertyOptional({ maxLength: 2000, example: 'Beautiful stitching, fast delivery to Kisumu.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000, { message: 'comment must be at most 2,000 characters' })
  comment?: string;
}

export class UpdateReviewDto {
  @ApiProperty({ description: 'false hides the review from the storefront' })
  @IsBoolean()
  isVisible: boolean;
}

export class ReviewResponse {
  @ApiProperty({ example: 'rev_01hz...' }) id: string;
  @ApiProperty() productId: string;
  @ApiProperty() customerName: string;
  @ApiProperty() rating: number;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty() isVisible: boolean;
  @ApiProperty() createdAt: Date;
}

export class ReviewPage {
  @ApiProperty({ type: [ReviewResponse] }) data: ReviewResponse[];
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
  @ApiProperty() total: number;
}
