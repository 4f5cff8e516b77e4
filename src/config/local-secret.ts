import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirs } from '../common/make-dirs.js';

/**
 * Returns a secret kept in DATA_DIR, creating it on first use, so development sessions and
 * encrypted data survive restarts without any set-up. Never used in production.
 */
export function localSecret(dataDir: string, name: string, bytes: number): string {
  const file = join(dataDir, 'secrets', name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  // DATA_DIR itself keeps default permissions: the embedded server's own user must be able to traverse it.
  makeDirs(dataDir);
  makeDirs(join(dataDir, 'secrets'), 0o700);
  const value = randomBytes(bytes).toString('base64url');
  writeFileSync(file, value + '\n', { mode: 0o600 });
  return value;
}
