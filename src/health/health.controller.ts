import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { LivenessResponse, ReadinessResponse } from './health.dto.js';
import { HealthCheck, type HealthCheckResult, HealthCheckService, MikroOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/access.decorators.js';
import { type Readiness, ReadinessService } from './readiness.service.js';

@ApiTags('Operations')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: MikroOrmHealthIndicator,
    private readonly readiness: ReadinessService,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and database reachability (503 when the database does not answer)' })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]);
    } catch (error) {
      // Terminus is CommonJS: its ServiceUnavailableException is not the ESM HttpException our filter knows, and a
      // database that was down answered 500 INTERNAL_ERROR. Its result is the documented 503 body.
      const result = (error as { getResponse?: () => unknown }).getResponse?.();
      if (!result || typeof result !== 'object') throw error;
      res.status(503);
      return result as HealthCheckResult;
    }
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and answering (no dependency is checked)' })
  @ApiOkResponse({ type: LivenessResponse })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'Readiness for a load balancer: 200 when the database answers, migrations are applied and the instance is ' +
      'not draining; 503 otherwise (first thing on SIGTERM)',
  })
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiServiceUnavailableResponse({ type: ReadinessResponse, description: 'Not ready: the body says why' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    const state = await this.readiness.check();
    if (!state.ready) res.status(503);
    return state;
  }
}
