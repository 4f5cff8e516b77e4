import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import type { PartnerAccessResponse } from './dto/partner.dto.js';
import { PartnerCompaniesService } from './partner-companies.service.js';
import { AuditLog } from '../auth/audit/audit-log.service.js';
import type { Actor } from '../auth/auth-user.js';

/** Which partner companies a shop lets in. Revoking stops that company's hooks for the shop at once. */
@Injectable()
export class PartnerAccessService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly companies: PartnerCompaniesService,
    private readonly audit: AuditLog,
  ) {}

  async list(sellerId: string): Promise<PartnerAccessResponse[]> {
    // Raw rows carry timestamps as PostgreSQL's text: made Dates here so the answer says them in the API's form.
    const rows = await this.em.fork().execute<{ company_id: string; name: string; created_at: string }[]>(
      `select a.company_id, c.name, a.created_at from partner_access a join partner_companies c on c.id = a.company_id
       where a.seller_id = ? and c.revoked_at is null order by a.created_at`,
      [sellerId],
    );
    return rows.map((r) => ({ companyId: r.company_id, companyName: r.name, grantedAt: new Date(r.created_at) }));
  }

  async grant(sellerId: string, companyId: string, userId: string, actor: Actor): Promise<PartnerAccessResponse> {
    return this.uow.run(async ({ em }) => {
      const company = await this.companies.active(em, companyId);
      if (!company) throw AppError.notFound('Partner company');
      const added = await em.execute<unknown[]>(
        `insert into partner_access (seller_id, company_id, granted_by) values (?, ?, ?) on conflict do nothing
         returning company_id`,
        [sellerId, company.id, userId],
      );
      if (added.length) {
        await this.audit.record(em, {
          sellerId,
          actor,
          action: 'partner-access.granted',
          target: company.id,
          changes: { companyName: company.name },
        });
      }
      const [row] = await em.execute<{ created_at: string }[]>(
        'select created_at from partner_access where seller_id = ? and company_id = ?',
        [sellerId, company.id],
      );
      return { companyId: company.id, companyName: company.name, grantedAt: new Date(row.created_at) };
    });
  }

  async revoke(sellerId: string, companyId: string, actor: Actor): Promise<void> {
    await this.uow.run(async ({ em }) => {
      const rows = await em.execute<{ company_id: string }[]>(
        'delete from partner_access where seller_id = ? and company_id = ? returning company_id',
        [sellerId, companyId],
      );
      if (!rows.length) throw AppError.notFound('Partner access');
      await this.audit.record(em, { sellerId, actor, action: 'partner-access.revoked', target: companyId });
    });
  }

  /** Which of these shops grant the company access now. */
  async grantingShops(em: EntityManager, companyId: string, sellerIds: string[]): Promise<Set<string>> {
    if (!sellerIds.length) return new Set();
    const rows = await em.execute<{ seller_id: string }[]>(
      `select seller_id from partner_access
       where company_id = ? and seller_id in (select json_array_elements_text(?::json))`,
      [companyId, JSON.stringify(sellerIds)],
    );
    return new Set(rows.map((r) => r.seller_id));
  }

  async hasAccess(em: EntityManager, sellerId: string, companyId: string): Promise<boolean> {
    const rows = await em.execute('select 1 from partner_access where seller_id = ? and company_id = ?', [
      sellerId,
      companyId,
    ]);
    return rows.length > 0;
  }
}
