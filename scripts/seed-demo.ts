import { ALL_ENTITIES } from '../src/app.entities.js';
import { MikroORM } from '@mikro-orm/postgresql';
import { existsSync } from 'node:fs';
import { parseEnv } from '../src/config/env.validation.js';
import { provideMigrationSecrets } from '../src/crypto/migration-secrets.js';
import { resolveDatabase } from '../src/database/database-server.js';
import { applyMigrations } from '../src/database/apply-migrations.js';
import { mikroOrmOptions } from '../src/database/mikro-orm.options.js';
import { seedDemo } from './lib/demo-shop.js';

/** `npm run seed:demo -- --orders 1000000`: a demo shop to browse in Swagger (sign in as demo@sokohub.test). */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const i = process.argv.indexOf('--orders');
  const orders = i > 0 ? Number(process.argv[i + 1]) : 10_000;
  if (!Number.isInteger(orders) || orders < 1 || orders > 20_000_000)
    throw new Error('--orders must be a whole number from 1 to 20,000,000');
  const config = parseEnv(process.env);
  provideMigrationSecrets(config.secretsKey);
  const database = await resolveDatabase(config, console.log);
  try {
    const orm = await MikroORM.init(mikroOrmOptions(database.url, 2, 0, ALL_ENTITIES));
    await applyMigrations(orm);
    await orm.close(true);
    await seedDemo(database.url, orders);
  } finally {
    await database.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
