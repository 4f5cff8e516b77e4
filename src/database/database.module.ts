import { MikroORM, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { provideMigrationSecrets } from '../crypto/migration-secrets.js';
import { applyMigrations } from './apply-migrations.js';
import { mikroOrmOptions } from './mikro-orm.options.js';
import { DatabaseNotifications } from './notifications.js';
import { PoolerCheck } from './pooler-check.js';
import { nameStatements } from './prepared.js';
import { ReadReplica } from './read-replica.service.js';
import { UnitOfWork } from './unit-of-work.js';

/**
 * Applies pending migrations before anything else touches the database, one instance at a time, on a small pool of
 * their own without DB_STATEMENT_TIMEOUT_MS: that bounds requests, and a migration that rewrites a big table takes
 * longer (on the app's pool it was cancelled after 10 s, and the instance could not start).
 */
@Injectable()
class Migrations implements OnModuleInit {
  private readonly logger = new Logger('Migrations');

  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    provideMigrationSecrets(this.config.secretsKey);
    const orm = new MikroORM({
      // The server itself when DATABASE_URL is a pooler: the migration lock is a session's.
      ...mikroOrmOptions(this.config.database.directUrl ?? this.config.databaseUrl!, 2, 0),
      discovery: { warnWhenNoEntities: false },
      contextName: 'migrations',
    });
    try {
      const applied = await applyMigrations(orm);
      if (applied.length) this.logger.log(`applied ${applied.join(', ')}`);
    } finally {
      await orm.close(true);
    }
  }
}

@Global()
@Module({
  imports: [
    MikroOrmModule.forRootAsync({
      // Registers the PostgreSQL EntityManager as an injection token as well as the generic one.
      driver: PostgreSqlDriver,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        // main.ts (or the test harness) has resolved the server by now, embedded or not.
        if (!config.databaseUrl) throw new Error('DATABASE_URL was not resolved before the app module started');
        const { poolMax, statementTimeoutMs, pooler } = config.database;
        nameStatements(pooler !== 'transaction');
        return {
          ...mikroOrmOptions(config.databaseUrl, poolMax, statementTimeoutMs, [], pooler),
          autoLoadEntities: true,
          // Every service forks its own EntityManager (or runs in UnitOfWork): a fork per request made by a
          // middleware on every route, database or not, is work nothing reads.
          registerRequestContext: false,
        };
      },
    }),
  ],
  providers: [Migrations, PoolerCheck, UnitOfWork, ReadReplica, DatabaseNotifications],
  exports: [UnitOfWork, ReadReplica, DatabaseNotifications],
})
export class DatabaseModule {}
