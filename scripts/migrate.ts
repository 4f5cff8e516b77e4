import { ALL_ENTITIES } from '../src/app.entities.js';
import { MikroORM } from '@mikro-orm/postgresql';
import { existsSync } from 'node:fs';
import { parseEnv } from '../src/config/env.validation.js';
import { provideMigrationSecrets } from '../src/crypto/migration-secrets.js';
import { resolveDatabase } from '../src/database/database-server.js';
import { applyMigrations } from '../src/database/apply-migrations.js';
import { mikroOrmOptions } from '../src/database/mikro-orm.options.js';

/**
 * `up`: applies pending migrations (the app also does this on start).
 * `create [name]`: writes a new, empty migration under migrations/ to fill in with SQL, and lists it.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const [command = 'up', name] = process.argv.slice(2);
  if (command === 'create') return createMigration(name);
  const config = parseEnv(process.env);
  provideMigrationSecrets(config.secretsKey);
  const database = await resolveDatabase(config, console.log);
  const orm = await MikroORM.init(mikroOrmOptions(database.url, 2, 0, ALL_ENTITIES));
  try {
    const applied = await applyMigrations(orm);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
  } finally {
    await orm.close(true);
    await database.stop();
  }
}

async function createMigration(name = 'change'): Promise<void> {
  const { writeFileSync, readFileSync } = await import('node:fs');
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const className = `Migration${stamp}_${name.replace(/\W+/g, '_')}`;
  const file = `migrations/${className}.ts`;
  writeFileSync(
    file,
    `import { Migration } from '@mikro-orm/migrations';\n\nexport class ${className} extends Migration {\n  override name = '${className}';\n\n  override up(): void {\n    this.addSql(\`\n      -- your SQL here\n    \`);\n  }\n}\n`,
  );
  const index = 'migrations/index.ts';
  const source = readFileSync(index, 'utf8')
    .replace(/(\nexport const MIGRATIONS)/, `import { ${className} } from './${className}.js';\n$1`)
    .replace(/\n\];\s*$/, `\n  { name: '${className}', class: ${className} },\n];\n`);
  writeFileSync(index, source);
  console.log(`created ${file} and listed it in ${index}`);
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
