import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ShopDirectory } from './shop-directory.service.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { type AuditChanges, AuditLog } from './audit/audit-log.service.js';
import type { Actor } from './auth-user.js';
import type { ShopSettingsDto, ShopSettingsResponse } from './dto/shop-settings.dto.js';

/** Shop-wide settings kept on the shop's row (auth owns `sellers`). */
@Injectable()
export class ShopSettingsService {
  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
    private readonly directory: ShopDirectory,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditLog,
  ) {}

  async get(sellerId: string): Promise<ShopSettingsResponse> {
    const [row] = await this.em
      .fork()
      .execute<{ cod_hold_hours: number | null; max_units_per_line: number | null }[]>(
        'select cod_hold_hours, max_units_per_line from sellers where id = ?',
        [sellerId],
      );
    return {
      codHoldHours: row?.cod_hold_hours ?? null,
      effectiveCodHoldHours: row?.cod_hold_hours ?? this.config.orders.codHoldHours,
      maxUnitsPerLine: row?.max_units_per_line ?? null,
      effectiveMaxUnitsPerLine: row?.max_units_per_line ?? this.config.orders.maxUnitsPerLine,
    };
  }

  async update(sellerId: string, dto: ShopSettingsDto, actor: Actor): Promise<ShopSettingsResponse> {
    const changes: AuditChanges = {};
    if (dto.codHoldHours !== undefined) changes.codHoldHours = dto.codHoldHours;
    if (dto.maxUnitsPerLine !== undefined) changes.maxUnitsPerLine = dto.maxUnitsPerLine;
    if (Object.keys(changes).length) {
      await this.uow.run(async ({ em }) => {
        await em.execute(
          `update sellers set cod_hold_hours = case when ? then ? else cod_hold_hours end,
             max_units_per_line = case when ? then ? else max_units_per_line end, updated_at = now() where id = ?`,
          [
            dto.codHoldHours !== undefined,
            dto.codHoldHours ?? null,
            dto.maxUnitsPerLine !== undefined,
            dto.maxUnitsPerLine ?? null,
            sellerId,
          ],
        );
        await this.audit.record(em, { sellerId, actor, action: 'shop.settings-changed', target: sellerId, changes });
      });
    }
    this.directory.forget(sellerId);
    return this.get(sellerId);
  }
}
