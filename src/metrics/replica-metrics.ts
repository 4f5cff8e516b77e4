import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { ReadReplica } from '../database/read-replica.service.js';
import { MetricsService } from './metrics.service.js';

/** The read replica (DATABASE_READ_URL) on /metrics: its lag, whether it is in use, where lagging reads ran. */
@Injectable()
export class ReplicaMetrics {
  constructor(metrics: MetricsService, replica: ReadReplica) {
    const s = replica.status;
    new Gauge({
      name: 'db_replica_lag_seconds',
      help: 'How far the read replica (DATABASE_READ_URL) is behind the primary; -1 when it cannot be reached',
      registers: [metrics.registry],
      collect() {
        if (s.configured) this.set(s.lagS);
      },
    });
    new Gauge({
      name: 'db_replica_in_use',
      help: '1 when reads that may lag go to the read replica, 0 when they fall back to the primary',
      registers: [metrics.registry],
      collect() {
        if (s.configured) this.set(s.inUse ? 1 : 0);
      },
    });
    new Counter({
      name: 'db_lagging_reads_total',
      help: 'Reads that may lag (analytics, the storefront listing), by where they ran: replica or primary',
      labelNames: ['target'] as const,
      registers: [metrics.registry],
      collect() {
        this.reset();
        this.inc({ target: 'replica' }, s.reads.replica);
        this.inc({ target: 'primary' }, s.reads.primary);
      },
    });
  }
}
