import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { MIGRATIONS } from '../../migrations/index.js';
import { ENTITIES } from './entities.js';

/** The one MikroORM configuration, shared by the app, the migration script and the tests. */
/** `statementTimeoutMs` bounds every statement of the app's pool (0: none, for scripts and bulk seeding). */
export function mikroOrmOptions(clientUrl: string, poolMax = 20, statementTimeoutMs = 0) {
  return defineConfig({
    driver: PostgreSqlDriver,
    clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    forceUtcTimezone: true,
    pool: { min: 0, max: poolMax },
    // A runaway query ends with an error the filter answers as 503, instead of holding a connection for ever.
    driverOptions: statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {},
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
    // Request-scoped identity maps come from the Nest module's middleware; anything else forks explicitly.
    allowGlobalContext: false,
  });
}
