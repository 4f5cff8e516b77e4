import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller.js';
import { AnalyticsService } from './analytics.service.js';
import { DailyStats } from './daily-stats.js';

/** Reads orders, customers and storefront views with SQL aggregates; emits nothing. Orders keep its daily roll-up. */
@Module({ controllers: [AnalyticsController], providers: [AnalyticsService, DailyStats], exports: [DailyStats] })
export class AnalyticsModule {}
