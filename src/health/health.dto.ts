import { ApiProperty } from '@nestjs/swagger';
import type { Readiness } from './readiness.service.js';

export class LivenessResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

export class ReadinessResponse implements Readiness {
  @ApiProperty() ready: boolean;
  @ApiProperty({ enum: ['up', 'down'] }) database: 'up' | 'down';
  @ApiProperty({ enum: ['applied', 'pending'] }) migrations: 'applied' | 'pending';
  @ApiProperty({ description: 'True from SIGTERM on: the balancer should stop sending traffic' }) draining: boolean;
}
