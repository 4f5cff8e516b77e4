import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service.js';
import { ReadinessService } from './readiness.service.js';

/** /health/ready as a gauge, so an alert can see readiness flap (SokoHubReadinessFlapping). */
@Injectable()
export class ReadinessMetrics {
  constructor(metrics: MetricsService, readiness: ReadinessService) {
    new Gauge({
      name: 'sokohub_ready',
      help: '1 when this instance is ready for traffic (database up, migrations applied, not draining), else 0',
      registers: [metrics.registry],
      async collect() {
        this.set((await readiness.check()).ready ? 1 : 0);
      },
    });
  }
}
