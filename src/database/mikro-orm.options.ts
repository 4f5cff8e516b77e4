import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { MIGRATIONS } from '../../migrations/index.js';
import type { EntitySchema } from '@mikro-orm/core';
import { parseIntoClientConfig } from 'pg-connection-string';
import type { ClientBase } from 'pg';
import type { PoolerMode } from '../config/app-config.js';

/**
 * The one MikroORM configuration, shared by the app, the migration script and the tests. `statementTimeoutMs` bounds
 * every statement of the app's pool (0: none, for scripts and bulk seeding). `entities`: none in the app, where each
 * module registers its own (autoLoadEntities); tools outside it pass ALL_ENTITIES (src/app.entities.ts).
 *
 * The URL is read as pg reads a connection string (pg-connection-string), not handed to MikroORM as `clientUrl`:
 * MikroORM takes only its host, port, user, password and path, so `?sslmode=require` was dropped (the pool connected
 * in plain text, or not at all to a server that insists on TLS), as were `application_name` and a socket directory
 * (`postgresql://user@/db?host=/cloudsql/...` did not even parse). Everything else it says goes to pg's pool.
 */
export function mikroOrmOptions(
  clientUrl: string,
  poolMax = 20,
  statementTimeoutMs = 0,
  entities: EntitySchema[] = [],
  pooler: PoolerMode = 'none',
) {
  const { host, port, user, password, database, ...connection } = parseIntoClientConfig(clientUrl);
  return defineConfig({
    driver: PostgreSqlDriver,
    // Empty, not absent, when the URL leaves them out: MikroORM would fill in its own defaults (127.0.0.1, postgres),
    // where pg, like libpq, falls back to PGHOST / PGUSER and then localhost and the OS user.
    host: host ?? '',
    port,
    user: user ?? '',
    password: typeof password === 'string' ? password : undefined,
    dbName: database,
    entities,
    extensions: [Migrator],
    forceUtcTimezone: true,
    pool: { min: 0, max: poolMax },
    // A runaway query ends with an error the filter answers as 503, instead of holding a connection for ever.
    // A database that does not answer a connection within 5 s is down: the request gets a 503, not a hang.
    driverOptions: {
      ...connection,
      connectionTimeoutMillis: 5_000,
      ...statementTimeout(statementTimeoutMs, pooler),
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

/**
 * How the pool's statements get their timeout. From the server: as a startup parameter (no round trip). PgBouncer
 * refuses startup parameters it does not know ("unsupported startup parameter: statement_timeout"), so through a
 * session pooler each new connection SETs it (the client keeps its server connection for the session, and PgBouncer's
 * reset query clears it after); through a transaction pooler no session setting holds, so it must be the role's or the
 * database's own (`ALTER ROLE … SET statement_timeout`), which the app checks at start (StatementTimeoutCheck).
 */
function statementTimeout(ms: number, pooler: PoolerMode) {
  if (!ms || pooler === 'transaction') return {};
  if (pooler === 'session')
    return { onConnect: (client: ClientBase) => client.query(`set statement_timeout = ${Math.trunc(ms)}`) };
  return { statement_timeout: ms };
}
