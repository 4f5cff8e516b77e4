import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

/**
 * What DATABASE_POOLER says, checked once at start against what answers. Without it, PgBouncer refuses every pooled
 * connection ("unsupported startup parameter: statement_timeout") while migrations and LISTEN, which send none, pass:
 * the app came up and answered every request 503, so it now stops at start saying what to set. Behind a transaction
 * pooler the app cannot give its connections a statement timeout (no session setting holds), so DB_STATEMENT_TIMEOUT_MS
 * must be the role's or the database's own: a runaway statement would otherwise hold one of the pooler's few server
 * connections for ever, and nothing would say why.
 */
@Injectable()
export class PoolerCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { pooler, statementTimeoutMs } = this.config.database;
    if (pooler === 'none') return this.noPoolerInFront();
    if (pooler !== 'transaction' || !statementTimeoutMs) return;
    const [row] = await this.em.fork().execute<{ ms: number; role: string }[]>(
      `select (extract(epoch from current_setting('statement_timeout')::interval) * 1000)::int as ms,
              current_user as role`,
    );
    if (row.ms === statementTimeoutMs) return;
    this.logger.warn(
      `DATABASE_POOLER=transaction: the server's statement_timeout is ${row.ms} ms, not DB_STATEMENT_TIMEOUT_MS ` +
        `(${statementTimeoutMs} ms), and a transaction pooler cannot carry the app's own. Set it on the role: ` +
        `ALTER ROLE "${row.role}" SET statement_timeout = '${statementTimeoutMs}ms'`,
    );
  }

  private async noPoolerInFront(): Promise<void> {
    try {
      await this.em.fork().execute('select 1');
    } catch (error) {
      // Anything else is a database that is down for now: readiness says so, and requests get a 503 to retry.
      if (!/unsupported startup parameter/.test(String(error))) return;
      throw new Error(
        `DATABASE_URL answers like a connection pooler (${String(error)}): set DATABASE_POOLER=session or ` +
          'transaction (the latter with DATABASE_DIRECT_URL), see the README',
        { cause: error },
      );
    }
  }
}
