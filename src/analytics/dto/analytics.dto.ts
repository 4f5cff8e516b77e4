import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class AnalyticsQuery {
  @ApiPropertyOptional({
    enum: ['7d', '30d', '90d'],
    default: '30d',
    description: 'The last N Nairobi days, today included',
  })
  @IsOptional()
  @IsIn(['7d', '30d', '90d'], { message: 'period must be 7d, 30d or 90d' })
  period?: '7d' | '30d' | '90d';

  @ApiPropertyOptional({ example: '2025-06-01', description: 'Instead of period: first day (Nairobi), inclusive' })
  @ValidateIf((o: AnalyticsQuery) => o.from !== undefined)
  @Matches(DATE, { message: 'from must be a date like 2025-06-01' })
  @IsISO8601({ strict: true }, { message: 'from must be a real calendar date' })
  from?: string;

  @ApiPropertyOptional({ example: '2025-06-30', description: 'Instead of period: last day (Nairobi), inclusive' })
  @ValidateIf((o: AnalyticsQuery) => o.to !== undefined)
  @Matches(DATE, { message: 'to must be a date like 2025-06-30' })
  @IsISO8601({ strict: true }, { message: 'to must be a real calendar date' })
  to?: string;
}

export class SeriesQuery extends AnalyticsQuery {
  @ApiPropertyOptional({ enum: ['daily', 'weekly', 'monthly'], default: 'daily' })
  @IsOptional()
  @IsIn(['daily', 'weekly', 'monthly'])
  granularity: 'daily' | 'weekly' | 'monthly' = 'daily';
}

export class TopProductsQuery extends AnalyticsQuery {
  @ApiPropertyOptional({ enum: ['revenue', 'units'], default: 'revenue' })
  @IsOptional()
  @IsIn(['revenue', 'units'])
  sort: 'revenue' | 'units' = 'revenue';

  @ApiPropertyOptional({ default: 10, maximum: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit: number = 10;
}

export class Metric {
  @ApiProperty() value: number;
  @ApiProperty() previous: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Percent change from the previous period; null when it was 0',
  })
  changePercent: number | null;
}

export class RangeInfo {
  @ApiProperty({ example: '2025-06-01' }) from: string;
  @ApiProperty({ example: '2025-06-30' }) to: string;
  @ApiProperty({ example: '2025-05-02' }) previousFrom: string;
  @ApiProperty({ example: '2025-05-31' }) previousTo: string;
  @ApiProperty({ example: 'Africa/Nairobi' }) timezone: string;
}

export class OverviewResponse {
  @ApiProperty({ type: RangeInfo }) range: RangeInfo;
  @ApiProperty({ type: Metric, description: 'Paid, not cancelled orders' }) revenueKes: Metric;
  @ApiProperty({ type: Metric }) orderCount: Metric;
  @ApiProperty({ type: Metric }) paidOrderCount: Metric;
  @ApiProperty({ type: Metric }) averageOrderValueKes: Metric;
  @ApiProperty({ type: Metric }) newCustomers: Metric;
  @ApiProperty({ type: Metric, description: 'Orders ÷ storefront product views; 0 without views' })
  conversionRate: Metric;
}

export class RevenuePoint {
  @ApiProperty({ example: '2025-06-01' }) date: string;
  @ApiProperty() revenueKes: number;
  @ApiProperty() orders: number;
}

export class RevenueResponse {
  @ApiProperty({ type: RangeInfo }) range: RangeInfo;
  @ApiProperty({ enum: ['daily', 'weekly', 'monthly'] }) granularity: string;
  @ApiProperty({ type: [RevenuePoint] }) series: RevenuePoint[];
}

export class TopProduct {
  @ApiProperty() productId: string;
  @ApiProperty({ description: 'The name as last sold' }) name: string;
  @ApiProperty() unitsSold: number;
  @ApiProperty() revenueKes: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Stock now; null when the product was deleted' })
  currentStock: number | null;
}

export class TopProductsResponse {
  @ApiProperty({ type: RangeInfo }) range: RangeInfo;
  @ApiProperty({ type: [TopProduct] }) products: TopProduct[];
}

export class CustomerPoint {
  @ApiProperty() date: string;
  @ApiProperty({ description: 'Customers whose first order ever falls in this bucket' }) newCustomers: number;
  @ApiProperty({ description: 'Customers who ordered in this bucket and had ordered before it' })
  returningCustomers: number;
}

export class TopCustomer {
  @ApiProperty() customerId: string;
  @ApiProperty() name: string;
  @ApiProperty() phone: string;
  @ApiProperty() spentKes: number;
  @ApiProperty() orders: number;
}

export class CustomersAnalyticsResponse {
  @ApiProperty({ type: RangeInfo }) range: RangeInfo;
  @ApiProperty({ type: [CustomerPoint] }) series: CustomerPoint[];
  @ApiProperty({
    description:
      'Of the customers who ordered in the period: share with 2 or more orders ever (up to the end of the period)',
  })
  retentionRate: number;
  @ApiProperty({ description: 'Share of the period’s orders placed by customers who had ordered before' })
  repeatPurchaseRate: number;
  @ApiProperty({ type: [TopCustomer] }) topCustomers: TopCustomer[];
}
