import type { EntityManager } from '@mikro-orm/postgresql';
import type { CompiledQuery, QueryResult } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import type { Executor } from './prepared.js';

/**
 * A connection of MikroORM's own pg pool (the same connections, timeouts and type parsers), for a hot path's
 * transaction run outside MikroORM's (UnitOfWork.run with `direct`). MikroORM's transaction costs the app about as
 * much CPU again as the BEGIN and COMMIT it sends through pg (fork, Kysely's connection provider and executor, the
 * flush), and sends each in a round trip of its own. Here Tx puts the BEGIN in front of the transaction's first
 * statements and the COMMIT behind its held-back writes.
 */
export class DirectConnection {
  /** Whether the BEGIN has been sent (with the first statements). */
  begun = false;

  private constructor(private readonly client: PoolClient) {}

  static async take(em: EntityManager): Promise<DirectConnection> {
    const pool: Pool = await em.getConnection().getNativeClient();
    return new DirectConnection(await pool.connect());
  }

  /** What Kysely's PostgreSQL driver does with a query: `client.query(sql, parameters)`, the config as it is. */
  readonly executor: Executor = {
    executeQuery: async <R>(query: CompiledQuery<R>): Promise<QueryResult<R>> => {
      const result = await this.client.query(query.sql as never, [...query.parameters]);
      return { rows: (result.rows ?? []) as R[] };
    },
  };

  /**
   * Gives the connection back to the pool. After a failure, a transaction that had begun is rolled back first; a
   * connection that cannot even do that is closed instead of pooled.
   */
  async release(failed: boolean): Promise<void> {
    let broken: Error | undefined;
    if (failed && this.begun) {
      await this.client.query('rollback').catch((error: Error) => {
        broken = error;
      });
    }
    this.client.release(broken);
  }
}
