import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors/app-error.js';
import { isId, newId } from '../ids/ids.js';
import type { Actor, AuthUser } from './auth-user.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AuditLog } from './audit/audit-log.service.js';
import type { ApiKeyResponse, CreateApiKeyDto, CreatedApiKeyResponse } from './dto/api-key.dto.js';

export const API_KEY_PREFIX = 'sk_';
/** The seller API key a request carries as `Authorization: Bearer sk_…`, if any (read before authentication too). */
export function bearerApiKey(headers: { authorization?: string }): string | undefined {
  return headers.authorization?.match(/^Bearer\s+(sk_\S+)$/)?.[1];
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

interface KeyRow {
  id: string;
  name: string;
  access: 'read' | 'full';
  key_prefix: string;
  created_by: string;
  created_at: Date;
  last_used_at: Date | null;
}

const toResponse = (r: KeyRow): ApiKeyResponse => ({
  id: r.id,
  name: r.name,
  access: r.access,
  prefix: r.key_prefix,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
  lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
});

/**
 * A shop's API keys: `sk_` + 32 random bytes, shown once, kept as SHA-256 (a key is long and random, so a fast hash
 * is enough and lets every request find its key by one indexed read). Keys are not sessions: logout, a password
 * change or removing the member who made one do not end them; revoking does, at once.
 */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditLog,
  ) {}

  async create(auth: AuthUser, dto: CreateApiKeyDto, actor: Actor): Promise<CreatedApiKeyResponse> {
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = await this.uow.run(async ({ em }) => {
      const [created] = await em.execute<KeyRow[]>(
        `insert into api_keys (id, seller_id, name, access, key_hash, key_prefix, created_by)
         values (?, ?, ?, ?, ?, ?, ?) returning id, name, access, key_prefix, created_by, created_at, last_used_at`,
        [newId('apiKey'), auth.sellerId, dto.name, dto.access, hashApiKey(key), key.slice(0, 10), auth.userId],
      );
      await this.audit.record(em, {
        sellerId: auth.sellerId,
        actor,
        action: 'api-key.created',
        target: created.id,
        changes: { name: created.name, access: created.access, prefix: created.key_prefix },
      });
      return created;
    });
    return { ...toResponse(row), key };
  }

  async list(sellerId: string): Promise<ApiKeyResponse[]> {
    const rows = await this.em.fork().execute<KeyRow[]>(
      `select id, name, access, key_prefix, created_by, created_at, last_used_at from api_keys where seller_id = ?
         and revoked_at is null order by created_at desc, id desc`,
      [sellerId],
    );
    return rows.map(toResponse);
  }

  async revoke(sellerId: string, id: string, actor: Actor): Promise<void> {
    if (!isId('apiKey', id)) throw AppError.notFound('API key');
    await this.uow.run(async ({ em }) => {
      const [row] = await em.execute<{ id: string; name: string; access: string }[]>(
        `update api_keys set revoked_at = now() where id = ? and seller_id = ? and revoked_at is null
         returning id, name, access`,
        [id, sellerId],
      );
      if (!row) throw AppError.notFound('API key');
      await this.audit.record(em, {
        sellerId,
        actor,
        action: 'api-key.revoked',
        target: row.id,
        changes: { name: row.name, access: row.access },
      });
    });
  }

  /** Who a key speaks for, or undefined for an unknown or revoked key. A read key may read what an OWNER reads. */
  async authenticate(key: string): Promise<AuthUser | undefined> {
    if (!key.startsWith(API_KEY_PREFIX) || key.length > 100) return undefined;
    const em = this.em.fork();
    const [row] = await em.execute<{ id: string; seller_id: string; access: 'read' | 'full'; stale: boolean }[]>(
      `select id, seller_id, access, (last_used_at is null or last_used_at < now() - interval '1 minute') as stale
         from api_keys where key_hash = ? and revoked_at is null`,
      [hashApiKey(key)],
    );
    if (!row) return undefined;
    // Last use to the minute: one small write a minute per key, not one per request.
    if (row.stale) {
      void em
        .execute('update api_keys set last_used_at = now() where id = ?', [row.id])
        .catch((e: unknown) => this.logger.warn(`last_used_at of ${row.id}: ${String(e)}`));
    }
    return {
      userId: `apikey:${row.id}`,
      sellerId: row.seller_id,
      role: 'OWNER',
      email: '',
      via: 'apiKey',
      access: row.access,
      apiKeyId: row.id,
    };
  }
}
