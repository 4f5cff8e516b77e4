import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { settledWithin } from '../common/settled-within.js';
import { isDatabaseUnavailable } from '../errors/all-exceptions.filter.js';
import { mikroOrmOptions } from './mikro-orm.options.js';

/** How often the replica's lag is measured. */
const CHECK_MS = 1_000;
/** How long shutdown waits for the replica's pool to end. */
const CLOSE_WAIT_MS = 2_000;

/** Seconds the replica is behind: 0 when it has replayed all it received, else since its last replayed commit. */
const LAG_SQL = `select pg_is_in_recovery() as standby,
  case when not pg_is_in_recovery() or pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
       else extract(epoch from now() - pg_last_xact_replay_timestamp()) end as lag`;

/**
 * Reads that may be a little behind (analytics, the public storefront listing) go to DATABASE_READ_URL when it is set,
 * reachable and at most READ_REPLICA_MAX_LAG_S behind; otherwise, and whenever a replica read fails for want of the
 * replica, to the primary. Everything that writes, and every read that must see the caller's own write, uses the
 * primary's EntityManager directly and never comes here.
 */
@Injectable()
export class ReadReplica implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReadReplica.name);
  private orm?: MikroORM;
  private usable = false;
  /** Whether a check has answered yet: an unreachable replica at start is said once, not left to /metrics alone. */
  private checked = false;
  private timer?: NodeJS.Timeout;
  /** For /metrics (the metrics module reads it): seconds behind (-1 unreachable), in use, reads by target. */
  readonly status = { lagS: 0, inUse: false, configured: false, reads: { replica: 0, primary: 0 } };

  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const url = this.config.database.readUrl;
    if (!url) return;
    this.status.configured = true;
    // Raw SQL only (the lagging reads are hand-written statements), so no entities: a small pool of its own, made
    // without connecting (a replica that is down at start must not stop the app; its pool connects when asked).
    this.orm = new MikroORM({
      ...mikroOrmOptions(url, 5, this.config.database.statementTimeoutMs, [], this.config.database.pooler),
      discovery: { warnWhenNoEntities: false },
      // Its own context name: the request context (and any open transaction) belongs to the primary's ORM.
      contextName: 'read-replica',
    });
    await this.check();
    this.timer = setInterval(() => void this.check(), CHECK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    if (!this.orm) return;
    // Bounded: a replica stopped mid-read can leave one of its pool's clients checked out for good (seen in the
    // read-replica e2e test), and ending the pool would wait for it forever; the process is ending anyway.
    if (!(await settledWithin(this.orm.close(true), CLOSE_WAIT_MS)))
      this.logger.warn(`the read replica's pool did not close within ${CLOSE_WAIT_MS} ms; left behind`);
  }

  /** Runs `work` on the replica when it is usable, else on the primary; a replica that fails mid-read is left. */
  async run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.orm && this.usable) {
      try {
        const result = await work(this.orm.em.fork());
        this.status.reads.replica++;
        return result;
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        this.setUsable(false, -1);
        this.logger.warn(`read replica failed a read (${String(error)}); reads go to the primary`);
      }
    }
    const result = await work(this.em.fork());
    this.status.reads.primary++;
    return result;
  }

  private async check(): Promise<void> {
    if (!this.orm) return;
    try {
      const [row] = await this.orm.em.fork().execute<{ standby: boolean; lag: string | number | null }[]>(LAG_SQL);
      const lag = Number(row.lag ?? 0);
      this.setUsable(lag <= this.config.database.readReplicaMaxLagS, lag);
    } catch (error) {
      if (!this.checked) this.logger.warn(`read replica unreachable (${String(error)}): reads go to the primary`);
      this.setUsable(false, -1);
    }
    this.checked = true;
  }

  private setUsable(usable: boolean, lag: number): void {
    if (usable !== this.usable)
      this.logger.log(usable ? 'read replica in use' : `read replica left (lag ${lag} s): reads go to the primary`);
    this.usable = usable;
    this.status.lagS = lag;
    this.status.inUse = usable;
  }
}
