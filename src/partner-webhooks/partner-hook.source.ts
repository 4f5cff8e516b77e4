import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { Tx } from '../database/unit-of-work.js';
import type { DomainEvent } from '../events/domain-event.js';
import type {
  DeliveryDraft,
  DeliveryOutcome,
  SigningTarget,
  SubscriberSource,
} from '../webhooks/subscriptions/subscriber-source.js';
import { SubscriptionRegistry } from '../webhooks/subscriptions/subscription-registry.service.js';
import { partnerTypeOf } from './event-map.js';
import { PartnerCompaniesService } from './partner-companies.service.js';
import { hookUrls } from './dto/partner.dto.js';
import { countUrlOutcome } from './partner-url-health.js';

export const PARTNER_KIND = 'partner';

interface HookNow {
  company_id: string;
  is_active: boolean;
  url: string | null;
  web_hook_urls: string[];
  failing: boolean;
  dead: string[];
  granted: boolean;
}

/** Partner hooks as a kind of subscriber: mapped event names, one delivery per distinct URL, the company's secret. */
@Injectable()
export class PartnerHookSource implements SubscriberSource, OnModuleInit {
  readonly kind = PARTNER_KIND;

  constructor(
    private readonly registry: SubscriptionRegistry,
    private readonly companies: PartnerCompaniesService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  /**
   * Hooks on this shop and company-wide hooks, of companies the shop grants access to and that are not revoked, with
   * the URLs their own failures switched off.
   */
  disabledCountSql(): string {
    return 'select count(*) from partner_webhooks where not is_active and disabled_reason is not null';
  }

  subscriptionsOf(sellerId: string): { sql: string; params: unknown[] } {
    return {
      sql: `select coalesce(json_agg(json_build_object('id', h.id, 'company_id', h.company_id, 'url', h.url,
              'web_hook_urls', h.web_hook_urls, 'web_hook_type', h.web_hook_type,
              'dead', array(select u.url from partner_webhook_urls u
                            where u.hook_id = h.id and u.disabled_at is not null)
            )), '[]')
            from partner_access a
            join partner_webhooks h on h.company_id = a.company_id and (h.shop_id = a.seller_id or h.shop_id is null)
            join partner_companies c on c.id = h.company_id and c.revoked_at is null
            where a.seller_id = ? and not h.deleted and h.is_active`,
      params: [sellerId],
    };
  }

  resolve(event: DomainEvent, _tx: Tx, subscriptions: unknown): Promise<DeliveryDraft[]> {
    const type = partnerTypeOf(event.name);
    if (!type) return Promise.resolve([]);
    const all = subscriptions as {
      id: string;
      company_id: string;
      url: string | null;
      web_hook_urls: string[];
      web_hook_type: string | null;
      dead: string[];
    }[];
    const hooks = all.filter((h) => h.web_hook_type === null || h.web_hook_type === type);
    const drafts = hooks.flatMap((h) => {
      const body = JSON.stringify({
        id: event.id,
        webHookType: type,
        shopId: event.sellerId,
        companyId: h.company_id,
        created: event.occurredAt.getTime(),
        data: event.data,
      });
      const urls = hookUrls(h.url, h.web_hook_urls).filter((url) => !h.dead.includes(url));
      return urls.map((url) => ({ subscriptionId: h.id, url, body, eventName: type }));
    });
    return Promise.resolve(drafts);
  }

  /**
   * The hook as it is now, for an event of `sellerId`: its URLs, and whether that shop still grants the company
   * access (checked for company-wide hooks too, at send time: a revoked shop's queued deliveries fail with the reason).
   */
  async target(subscriptionId: string, em: EntityManager, sellerId: string): Promise<SigningTarget | undefined> {
    const [hook] = await em.execute<HookNow[]>(
      `select h.company_id, h.is_active, h.url, h.web_hook_urls,
              exists (select 1 from partner_webhook_urls u where u.hook_id = h.id and u.consecutive_failures > 0)
                as failing,
              array(select u.url from partner_webhook_urls u where u.hook_id = h.id
                and u.disabled_at is not null) as dead,
              exists (select 1 from partner_access a where a.seller_id = ? and a.company_id = h.company_id
                and (h.shop_id is null or h.shop_id = a.seller_id)) as granted
       from partner_webhooks h
       where h.id = ? and not h.deleted`,
      [sellerId, subscriptionId],
    );
    if (!hook) return undefined; // deleted
    const company = await this.companies.active(em, hook.company_id);
    if (!company) return undefined;
    return {
      active: hook.is_active,
      secret: this.companies.signingSecret(company),
      inactiveUrls: hook.dead,
      failing: hook.failing,
      urls: hookUrls(hook.url, hook.web_hook_urls),
      ...(hook.granted ? {} : { refusal: "the shop revoked this company's access; nothing is sent for it" }),
    };
  }

  onOutcome(subscriptionId: string, url: string, outcome: DeliveryOutcome, em: EntityManager): Promise<void> {
    return countUrlOutcome(em, subscriptionId, url, outcome, this.config.webhooks.disableAfterFailures);
  }
}
