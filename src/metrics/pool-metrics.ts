import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DatabaseNotifications } from '../database/notifications.js';
import { MetricsService } from './metrics.service.js';

/**
 * The primary's connection pool on /metrics: connections in use and requests waiting for one (pool exhaustion); and
 * whether the instance is listening for the database's notifications (its session checks are kept only then).
 */
@Injectable()
export class PoolMetrics {
  constructor(metrics: MetricsService, orm: MikroORM, notifications: DatabaseNotifications) {
    const pool = async () => orm.em.getConnection().getNativeClient();
    new Gauge({
      name: 'db_pool_connections',
      help: 'Connections of the primary database pool, by state: in_use, idle',
      labelNames: ['state'] as const,
      registers: [metrics.registry],
      async collect() {
        const p = await pool();
        this.set({ state: 'in_use' }, p.totalCount - p.idleCount);
        this.set({ state: 'idle' }, p.idleCount);
      },
    });
    new Gauge({
      name: 'db_pool_waiting_requests',
      help: 'Requests waiting for a connection of the primary database pool (above 0 for long: the pool is exhausted)',
      registers: [metrics.registry],
      async collect() {
        this.set((await pool()).waitingCount);
      },
    });
    new Gauge({
      name: 'db_pool_max_connections',
      help: 'The size limit of the primary database pool',
      registers: [metrics.registry],
      async collect() {
        this.set((await pool()).options.max ?? 10);
      },
    });
    new Gauge({
      name: 'db_notifications_listening',
      help: '1 while the instance listens for changes to sessions and members (only then are session checks kept)',
      registers: [metrics.registry],
      collect() {
        this.set(notifications.live ? 1 : 0);
      },
    });
  }
}
