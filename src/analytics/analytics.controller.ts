import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { AnalyticsService } from './analytics.service.js';
import {
  AnalyticsQuery,
  CustomersAnalyticsResponse,
  OverviewResponse,
  RevenueResponse,
  SeriesQuery,
  TopProductsQuery,
  TopProductsResponse,
} from './dto/analytics.dto.js';

@ApiTags('Analytics')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(400, 401, 403)
@Controller('api/analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('overview')
  @ApiOperation({
    summary:
      'Revenue, orders, paid orders, average order value, new customers and conversion, each against the ' +
      'previous period',
  })
  @ApiOkResponse({ type: OverviewResponse })
  overview(@CurrentUser() user: AuthUser, @Query() q: AnalyticsQuery): Promise<OverviewResponse> {
    return this.analytics.overview(user.sellerId, q);
  }

  @Get('revenue')
  @ApiOperation({ summary: 'Revenue time series, zero-filled, in Nairobi days, weeks or months' })
  @ApiOkResponse({ type: RevenueResponse })
  revenue(@CurrentUser() user: AuthUser, @Query() q: SeriesQuery): Promise<RevenueResponse> {
    return this.analytics.revenue(user.sellerId, q);
  }

  @Get('top-products')
  @ApiOperation({ summary: 'Best-selling products by revenue or units, with current stock' })
  @ApiOkResponse({ type: TopProductsResponse })
  topProducts(@CurrentUser() user: AuthUser, @Query() q: TopProductsQuery): Promise<TopProductsResponse> {
    return this.analytics.topProducts(user.sellerId, q);
  }

  @Get('customers')
  @ApiOperation({ summary: 'New vs returning customers per bucket, retention, repeat-purchase rate, top customers' })
  @ApiOkResponse({ type: CustomersAnalyticsResponse })
  customers(@CurrentUser() user: AuthUser, @Query() q: SeriesQuery): Promise<CustomersAnalyticsResponse> {
    return this.analytics.customers(user.sellerId, q);
  }
}
