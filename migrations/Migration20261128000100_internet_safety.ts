import { Migration } from '@mikro-orm/migrations';
import { migrationSecretBox } from '../src/crypto/migration-secrets.js';
import { SecretBox, secretRow } from '../src/crypto/secret-box.js';

/** Sealed columns and the table whose row id is bound into them (see SecretBox). */
const SEALED: { table: string; key: string; columns: string[] }[] = [
  { table: 'webhook_endpoints', key: 'id', columns: ['secret_enc', 'previous_secret_enc'] },
  { table: 'partner_companies', key: 'id', columns: ['signing_secret_enc'] },
  { table: 'mpesa_settings', key: 'seller_id', columns: ['passkey_enc', 'consumer_key_enc', 'consumer_secret_enc'] },
];

export class Migration20261128000100_internet_safety extends Migration {
  override name = 'Migration20261128000100_internet_safety';

  override async up(): Promise<void> {
    await this.execute(`
      -- Server-side sessions: a JWT names its session (jti), and logout, logout-all and a password change revoke rows.
      create table sessions (
        id text primary key,
        user_id text not null references users(id) on delete cascade deferrable initially deferred,
        seller_id text not null references sellers(id) on delete cascade deferrable initially deferred,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz
      );
      create index sessions_user_index on sessions (user_id) where revoked_at is null;

      -- Failed sign-ins per account, whatever the address, with a back-off lock.
      alter table users add column failed_logins integer not null default 0, add column locked_until timestamptz;

      -- The callback token is found by its hash and kept sealed (for the CallBackURL of each push), never in clear.
      alter table mpesa_settings add column callback_token_hash text, add column callback_token_enc text;
      update mpesa_settings set callback_token_hash = encode(sha256(convert_to(callback_token, 'UTF8')), 'hex');

      -- Callbacks from an allow-listed address apply at once; others wait for Daraja's confirmation.
      alter table payment_callbacks add column trusted boolean not null default false;
      create index payment_callbacks_orphan_index on payment_callbacks (seller_id, checkout_request_id) where payment_id is null;

      -- An Idempotency-Key is bound to the body that first used it; STK prompts are counted per phone.
      -- A cash-on-delivery order holds its stock until hold_expires_at (placement time + the shop's hold hours).
      alter table orders add column idempotency_hash text, add column stk_prompt boolean not null default false,
        add column hold_expires_at timestamptz;
      create index orders_open_phone_index on orders (seller_id, customer_phone) where status = 'PENDING';
      create index orders_stk_phone_index on orders (customer_phone, created_at) where stk_prompt;
      update orders set hold_expires_at = created_at + interval '48 hours' where payment_method = 'CASH_ON_DELIVERY' and status = 'PENDING';
      create index orders_cod_hold_index on orders (hold_expires_at) where status = 'PENDING' and payment_method = 'CASH_ON_DELIVERY';

      -- How long an unconfirmed cash-on-delivery order holds stock in this shop (null: the platform default).
      alter table sellers add column cod_hold_hours integer check (cod_hold_hours between 1 and 720);
    `);
    await this.resealLegacy();
    const settings = (await this.execute('select seller_id, callback_token from mpesa_settings')) as {
      seller_id: string;
      callback_token: string;
    }[];
    for (const s of settings) {
      const sealed = migrationSecretBox().seal(s.callback_token, secretRow('mpesa_settings', s.seller_id));
      await this.execute('update mpesa_settings set callback_token_enc = ? where seller_id = ?', [sealed, s.seller_id]);
    }
    await this.execute(`
      -- The updates above left deferred foreign-key checks pending; run them now so the table can be altered.
      set constraints all immediate;
      alter table mpesa_settings drop column callback_token;
      alter table mpesa_settings alter column callback_token_hash set not null, alter column callback_token_enc set not null;
      create unique index mpesa_settings_callback_token_hash_key on mpesa_settings (callback_token_hash);
    `);
  }

  /** Secrets written before rows were bound (v1) are opened the old way and sealed to their row. */
  private async resealLegacy(): Promise<void> {
    for (const { table, key, columns } of SEALED) {
      for (const column of columns) {
        const rows = (await this.execute(
          `select ${key} as id, ${column} as value from ${table} where ${column} like 'v1:%'`,
        )) as { id: string; value: string }[];
        for (const row of rows) {
          if (!SecretBox.isLegacy(row.value)) continue;
          const box = migrationSecretBox();
          const sealed = box.seal(box.openLegacy(row.value), secretRow(table, row.id));
          await this.execute(`update ${table} set ${column} = ? where ${key} = ?`, [sealed, row.id]);
        }
      }
    }
  }
}
