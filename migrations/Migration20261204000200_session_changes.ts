import { Migration } from '@mikro-orm/migrations';

export class Migration20261204000200_session_changes extends Migration {
  override name = 'Migration20261204000200_session_changes';

  override up(): void {
    this.addSql(`
      -- Every instance keeps the sessions it has checked for a few seconds (src/auth/session-cache.ts) and listens on
      -- 'auth_changed': a session ended, aged or deleted, or a member whose role, email or shop changed or who was
      -- removed, is named here whatever wrote it (the API, a job, psql), after the change commits.
      create function auth_changed_notify() returns trigger language plpgsql as $$
      begin
        perform pg_notify('auth_changed', case when tg_table_name = 'sessions' then 's:' else 'u:' end || old.id);
        return null;
      end $$;
      create trigger sessions_auth_changed after update of revoked_at, expires_at, user_id or delete
        on sessions for each row execute function auth_changed_notify();
      create trigger users_auth_changed after update of role, email, seller_id or delete
        on users for each row execute function auth_changed_notify();
    `);
  }

  override down(): void {
    this.addSql(`
      drop trigger users_auth_changed on users;
      drop trigger sessions_auth_changed on sessions;
      drop function auth_changed_notify();
    `);
  }
}
