import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { MIGRATIONS } from '../../migrations/index.js';
import type { EntitySchema } from '@mikro-orm/core';

/**
 * The one MikroORM configuration, shared by the app, the migration script and the tests. `statementTimeoutMs` bounds
 * every statement of the app's pool (0: none, for scripts and bulk seeding). `entities`: none in the app, where each
 * module registers its own (autoLoadEntities); tools outside it pass ALL_ENTITIES (src/app.entities.ts).
 */
export function mikroOrmOptions(
  clientUrl: string,
  poolMax = 20,
  statementTimeoutMs = 0,
  entities: EntitySchema[] = [],
) {
  return defineConfig({
    driver: PostgreSqlDriver,
    clientUrl,
    entities,
    extensions: [Migrator],
    forceUtcTimezone: true,
    pool: { min: 0, max: poolMax },
    // A runaway query ends with an error the filter answers as 503, instead of holding a connection for ever.
    // A database that does not answer a connection within 5 s is down: the request gets a 503, not a hang.
    driverOptions: {
      connectionTimeoutMillis: 5_000,
      ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
    },
    // Entities are defined with defineEntity, so no reflection and no folder discovery is needed.
    discovery: { warnWhenNoEntities: true },
    migrations: {
      path: 'migrations',
      migrationsList: MIGRATIONS,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      silent: true,
    },
    // No request-scoped identity map: every service forks explicitly (or runs in UnitOfWork).
    allowGlobalContext: false,
  });
}
