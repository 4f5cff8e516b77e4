import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

export interface Readiness {
  ready: boolean;
  database: 'up' | 'down';
  migrations: 'applied' | 'pending';
  draining: boolean;
}

/**
 * Whether this instance should get traffic: the database answers, every migration is applied, and it is not
 * draining. On SIGTERM main.ts calls drain() first, so a load balancer stops sending here before work stops.
 */
@Injectable()
export class ReadinessService {
  private draining = false;
  private migrated = false;

  constructor(private readonly orm: MikroORM) {}

  drain(): void {
    this.draining = true;
  }

  async check(): Promise<Readiness> {
    const database = await this.ping();
    // Once applied, migrations stay applied for the life of the process: checked until then, not after.
    if (database === 'up' && !this.migrated) {
      this.migrated = await this.orm.migrator.getPending().then(
        (pending) => pending.length === 0,
        () => false,
      );
    }
    const migrations = this.migrated ? 'applied' : 'pending';
    return {
      ready: database === 'up' && this.migrated && !this.draining,
      database,
      migrations,
      draining: this.draining,
    };
  }

  private async ping(): Promise<'up' | 'down'> {
    try {
      await Promise.race([
        this.orm.em.fork().execute('select 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ]);
      return 'up';
    } catch {
      return 'down';
    }
  }
}
