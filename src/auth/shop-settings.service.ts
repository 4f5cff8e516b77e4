import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ShopDirectory } from './shop-directory.service.js';
import type { ShopSettingsDto, ShopSettingsResponse } from './dto/shop-settings.dto.js';

/** Shop-wide settings kept on the shop's row (auth owns `sellers`). */
@Injectable()
export class ShopSettingsService {
  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
    private readonly directory: ShopDirectory,
  ) {}

  async get(sellerId: string): Promise<ShopSettingsResponse> {
    const [row] = await this.em
      .fork()
      .execute<{ cod_hold_hours: number | null }[]>('select cod_hold_hours from sellers where id = ?', [sellerId]);
    return {
      codHoldHours: row?.cod_hold_hours ?? null,
      effectiveCodHoldHours: row?.cod_hold_hours ?? this.config.orders.codHoldHours,
    };
  }

  async update(sellerId: string, dto: ShopSettingsDto): Promise<ShopSettingsResponse> {
    if (dto.codHoldHours !== undefined) {
      await this.em
        .fork()
        .execute('update sellers set cod_hold_hours = ?, updated_at = now() where id = ?', [
          dto.codHoldHours,
          sellerId,
        ]);
    }
    this.directory.forget(sellerId);
    return this.get(sellerId);
  }
}
