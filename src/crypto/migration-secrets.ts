import { SecretBox } from './secret-box.js';

let box: SecretBox | undefined;

/**
 * Migrations that re-seal secrets need SECRETS_KEY; the code that runs migrations (the app, scripts/migrate.ts,
 * scripts/seed-demo.ts) hands it over here first. A migration asks for it only when it has rows to re-seal.
 */
export function provideMigrationSecrets(key: Buffer): void {
  box = new SecretBox(key);
}

export function migrationSecretBox(): SecretBox {
  if (!box)
    throw new Error(
      'this migration re-seals stored secrets and needs SECRETS_KEY; run it through the app or scripts/migrate.ts',
    );
  return box;
}
