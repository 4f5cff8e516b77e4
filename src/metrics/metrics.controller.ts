import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';
import { AppError } from '../errors/app-error.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/access.decorators.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('Operations')
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  private readonly token?: Buffer;

  constructor(
    private readonly metrics: MetricsService,
    config: AppConfig,
  ) {
    this.token = config.security.metricsToken ? Buffer.from(`Bearer ${config.security.metricsToken}`) : undefined;
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOperation({
    summary:
      'Prometheus metrics: HTTP counts and latency, webhook delivery outcomes and latency (Bearer METRICS_TOKEN when ' +
      'it is set)',
  })
  @ApiBearerAuth('metrics')
  @ApiOkResponse({
    description: 'The Prometheus text exposition format, version 0.0.4',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiErrors(401)
  scrape(@Headers('authorization') authorization?: string): Promise<string> {
    // With METRICS_TOKEN set, only a scraper that sends it reads the metrics (compared in constant time).
    if (this.token) {
      const given = Buffer.from(authorization ?? '');
      if (given.length !== this.token.length || !timingSafeEqual(given, this.token))
        throw AppError.unauthorized('Metrics need the METRICS_TOKEN as a Bearer token');
    }
    return this.metrics.registry.metrics();
  }
}
