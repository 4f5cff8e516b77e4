import type { EntityManager } from '@mikro-orm/postgresql';
import { EntityManager as RootEntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config.js';
import { inBatches } from '../../database/batches.js';
import { newId } from '../../ids/ids.js';
import type { Actor } from '../auth-user.js';
import type { AuditEntryResponse, AuditPage } from './audit-log.dto.js';

const PURGE_BATCH = 5000;

/** What was changed, as the owner reads it: names and new values, never a secret. */
export type AuditChanges = Record<string, string | number | boolean | null | string[]>;

export interface AuditEntry {
  sellerId: string;
  /** A person or an API key. */
  actor: Actor;
  /** `staff.added`, `api-key.created`, `mpesa.settings-saved`… */
  action: string;
  /** What it was done to: an id (`usr_…`, `key_…`, `wh_…`, a company id). */
  target?: string | null;
  changes?: AuditChanges;
}

interface AuditRow {
  id: string;
  at: Date | string;
  actor_type: 'user' | 'key';
  actor_id: string;
  actor_email: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  changes: AuditChanges;
}

/**
 * The shop's audit log. Entries are written with the caller's transactional EntityManager, so an entry exists if
 * and only if the change committed; the owner reads them newest first.
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger(AuditLog.name);

  constructor(
    private readonly em: RootEntityManager,
    private readonly config: AppConfig,
  ) {}

  /** Writes one entry in the caller's transaction. */
  async record(em: EntityManager, entry: AuditEntry): Promise<void> {
    await em.execute(
      `insert into audit_log (id, seller_id, actor_type, actor_id, actor_email, action, target, ip, changes)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)`,
      [
        newId('audit'),
        entry.sellerId,
        entry.actor.type,
        entry.actor.id,
        entry.actor.email ?? null,
        entry.action,
        entry.target ?? null,
        entry.actor.ip,
        JSON.stringify(entry.changes ?? {}),
      ],
    );
  }

  async list(sellerId: string, page: number, limit: number): Promise<AuditPage> {
    const em = this.em.fork();
    const [rows, [{ total }]] = await Promise.all([
      em.execute<AuditRow[]>(
        `select id, at, actor_type, actor_id, actor_email, action, target, ip, changes from audit_log
          where seller_id = ? order by at desc, id desc limit ? offset ?`,
        [sellerId, limit, (page - 1) * limit],
      ),
      em.execute<{ total: string }[]>('select count(*) as total from audit_log where seller_id = ?', [sellerId]),
    ]);
    const items = rows.map(toEntry);
    return { items, data: items, page, limit, total: Number(total) };
  }

  /** Entries older than AUDIT_RETENTION_DAYS (at least 365) go, in batches. */
  @Cron(CronExpression.EVERY_DAY_AT_3AM, { name: 'audit-retention' })
  async purge(): Promise<number> {
    const total = await inBatches(PURGE_BATCH, async () => {
      const rows = await this.em.fork().execute<unknown[]>(
        `delete from audit_log where id in (select id from audit_log
           where at < now() - make_interval(days => ?) limit ?) returning id`,
        [this.config.security.auditRetentionDays, PURGE_BATCH],
      );
      return rows.length;
    });
    if (total) this.logger.log(`purged ${total} audit entries`);
    return total;
  }
}

function toEntry(r: AuditRow): AuditEntryResponse {
  return {
    id: r.id,
    at: new Date(r.at),
    actor: {
      type: r.actor_type,
      id: r.actor_id,
      ...(r.actor_email ? { email: r.actor_email } : {}),
    },
    action: r.action,
    target: r.target,
    ip: r.ip,
    changes: r.changes,
  };
}
