import { ALL_ENTITIES } from '../../src/app.entities.js';
import { MikroORM } from '@mikro-orm/postgresql';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { provideMigrationSecrets } from '../../src/crypto/migration-secrets.js';
import { SecretBox, secretRow } from '../../src/crypto/secret-box.js';
import { mikroOrmOptions } from '../../src/database/mikro-orm.options.js';
import { ADMIN_URL_ENV, adminQuery, withDatabase } from '../support/test-database.js';

/** A value as the v1 SecretBox wrote it: AES-256-GCM without associated data. */
function legacySeal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join(':');
}

describe('Secrets written before rows were bound keep working after the migration (e2e)', () => {
  it('re-seals v1 secrets to their row and moves the callback token to a hash and a sealed copy', async () => {
    const adminUrl = process.env[ADMIN_URL_ENV]!;
    const name = `sokohub_mig_${randomBytes(5).toString('hex')}`;
    await adminQuery(adminUrl, `create database "${name}"`);
    const url = withDatabase(adminUrl, name);
    const key = randomBytes(32);
    const orm = await MikroORM.init(mikroOrmOptions(url, 2, 0, ALL_ENTITIES));
    const client = new pg.Client({ connectionString: url });
    try {
      await orm.migrator.up({ to: 'Migration20261123001000_first_order' });
      await client.connect();
      await client.query(
        "insert into sellers (id, store_name, store_slug, phone) values ('sel_1', 'Duka', 'duka', '+254712345678')",
      );
      await client.query(
        "insert into webhook_endpoints (id, seller_id, url, events, secret_enc, is_active, consecutive_failures) values ('wh_1', 'sel_1', 'https://example.com/h', '{ORDER_CREATED}', $1, true, 0)",
        [legacySeal(key, 'whsec_old')],
      );
      await client.query(
        "insert into mpesa_settings (seller_id, shortcode, environment, passkey_enc, consumer_key_enc, consumer_secret_enc, callback_token) values ('sel_1', '174379', 'sandbox', $1, $2, $3, 'tok-abcdefghijklmnopqrstuvwxyz')",
        [legacySeal(key, 'pass'), legacySeal(key, 'ck'), legacySeal(key, 'cs')],
      );
      provideMigrationSecrets(key);
      await orm.migrator.up();

      const box = new SecretBox(key);
      const {
        rows: [wh],
      } = await client.query("select secret_enc from webhook_endpoints where id = 'wh_1'");
      expect(box.open(wh.secret_enc, secretRow('webhook_endpoints', 'wh_1'))).toBe('whsec_old');
      expect(() => box.open(wh.secret_enc, secretRow('webhook_endpoints', 'wh_2'))).toThrow();
      const {
        rows: [m],
      } = await client.query("select * from mpesa_settings where seller_id = 'sel_1'");
      expect(m).not.toHaveProperty('callback_token');
      expect(m.callback_token_hash).toBe(createHash('sha256').update('tok-abcdefghijklmnopqrstuvwxyz').digest('hex'));
      expect(box.open(m.callback_token_enc, secretRow('mpesa_settings', 'sel_1'))).toBe(
        'tok-abcdefghijklmnopqrstuvwxyz',
      );
      expect(box.open(m.consumer_secret_enc, secretRow('mpesa_settings', 'sel_1'))).toBe('cs');
    } finally {
      await client.end().catch(() => undefined);
      await orm.close(true);
      await adminQuery(adminUrl, `drop database if exists "${name}" with (force)`);
    }
  });
});
