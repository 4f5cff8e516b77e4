import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { patchFields } from '../common/patch.js';
import { Tx, UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { DomainEvent } from '../events/domain-event.js';
import { isId, newId } from '../ids/ids.js';
import { toUserResponse } from './auth.mapper.js';
import { UserResponse } from './dto/auth.dto.js';
import { CreateStaffDto, UpdateStaffDto } from './dto/staff.dto.js';
import { User } from './entities/user.entity.js';
import { PasswordHasher } from './password-hasher.service.js';
import { type AuditChanges, AuditLog } from './audit/audit-log.service.js';
import { SessionCache } from './session-cache.js';
import type { Actor } from './auth-user.js';

@Injectable()
export class StaffService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditLog,
    private readonly sessionCache: SessionCache,
  ) {}

  async list(sellerId: string): Promise<UserResponse[]> {
    const users = await this.em.fork().find(User, { sellerId }, { orderBy: { createdAt: 'asc' } });
    return users.map(toUserResponse);
  }

  async add(sellerId: string, dto: CreateStaffDto, actor: Actor): Promise<UserResponse> {
    const passwordHash = await this.hasher.hash(dto.password);
    try {
      return await this.uow.run(async (tx) => {
        const taken = await tx.em.execute('select 1 from users where lower(email) = lower(?)', [dto.email]);
        if (taken.length) throw AppError.conflict('An account with this email already exists');
        const user = tx.em.create(User, {
          id: newId('user'),
          sellerId,
          email: dto.email,
          name: dto.name ?? null,
          passwordHash,
          role: dto.role,
        });
        await tx.em.flush();
        await this.publish(tx, 'STAFF_ADDED', user);
        await this.audit.record(tx.em, {
          sellerId,
          actor,
          action: 'staff.added',
          target: user.id,
          changes: { email: user.email, name: user.name ?? null, role: user.role },
        });
        return toUserResponse(user);
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw AppError.conflict('An account with this email already exists');
      throw error;
    }
  }

  async update(sellerId: string, id: string, dto: UpdateStaffDto, actor: Actor): Promise<UserResponse> {
    return this.uow.run(async (tx) => {
      const user = await this.find(tx, sellerId, id);
      patchFields(dto, ['role']);
      if (dto.role && dto.role !== 'OWNER' && user.role === 'OWNER') await this.assertAnotherOwner(tx, sellerId, id);
      const changes: AuditChanges = {};
      if (dto.name !== undefined && dto.name !== user.name) changes.name = dto.name;
      if (dto.role !== undefined && dto.role !== user.role) {
        changes.previousRole = user.role;
        changes.role = dto.role;
        this.sessionCache.forgetUser(user.id);
      }
      if (dto.name !== undefined) user.name = dto.name;
      if (dto.role !== undefined) user.role = dto.role;
      await tx.em.flush();
      await this.publish(tx, 'STAFF_UPDATED', user);
      await this.audit.record(tx.em, { sellerId, actor, action: 'staff.updated', target: user.id, changes });
      return toUserResponse(user);
    });
  }

  async remove(sellerId: string, id: string, actor: Actor): Promise<void> {
    await this.uow.run(async (tx) => {
      const user = await this.find(tx, sellerId, id);
      if (user.role === 'OWNER') await this.assertAnotherOwner(tx, sellerId, id);
      // Their sessions go with them (on delete cascade): they lose access on their next request.
      const [{ n }] = await tx.em.execute<{ n: string }[]>(
        'select count(*) as n from sessions where user_id = ? and revoked_at is null and expires_at > now()',
        [user.id],
      );
      await this.audit.record(tx.em, {
        sellerId,
        actor,
        action: 'staff.removed',
        target: user.id,
        changes: { email: user.email, role: user.role, sessionsEnded: Number(n) },
      });
      this.sessionCache.forgetUser(user.id);
      tx.em.remove(user);
      await tx.em.flush();
    });
  }

  private async find(tx: Tx, sellerId: string, id: string): Promise<User> {
    // Lock the member row: two owners demoting each other at once must not leave the shop ownerless.
    const user = isId('user', id)
      ? await tx.em.findOne(User, { id, sellerId }, { lockMode: LockMode.PESSIMISTIC_WRITE })
      : null;
    if (!user) throw AppError.notFound('Staff member');
    return user;
  }

  private async assertAnotherOwner(tx: Tx, sellerId: string, exceptId: string): Promise<void> {
    const owners = await tx.em.execute<{ id: string }[]>(
      "select id from users where seller_id = ? and role = 'OWNER' and id <> ? for update",
      [sellerId, exceptId],
    );
    if (!owners.length) throw AppError.conflict('A shop must keep at least one OWNER');
  }

  private publish(tx: Tx, name: 'STAFF_ADDED' | 'STAFF_UPDATED', user: User): Promise<void> {
    return tx.publish(
      new DomainEvent(name, user.sellerId, {
        userId: user.id,
        email: user.email,
        name: user.name ?? null,
        role: user.role,
      }),
    );
  }
}
