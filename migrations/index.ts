import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000100_accounts } from './Migration20261123000100_accounts.js';
import { Migration20261123000200_webhooks } from './Migration20261123000200_webhooks.js';
import { Migration20261123000300_catalogue } from './Migration20261123000300_catalogue.js';
import { Migration20261123000400_orders } from './Migration20261123000400_orders.js';
import { Migration20261123000500_partners } from './Migration20261123000500_partners.js';
import { Migration20261123000600_payment_reliability } from './Migration20261123000600_payment_reliability.js';
import { Migration20261123000700_analytics } from './Migration20261123000700_analytics.js';
import { Migration20261123000800_daily_stats } from './Migration20261123000800_daily_stats.js';
import { Migration20261123000900_paused_recheck } from './Migration20261123000900_paused_recheck.js';
import { Migration20261123001000_first_order } from './Migration20261123001000_first_order.js';
import { Migration20261128000100_internet_safety } from './Migration20261128000100_internet_safety.js';
import { Migration20261128000200_integrations } from './Migration20261128000200_integrations.js';
import { Migration20261128000300_parked_deliveries } from './Migration20261128000300_parked_deliveries.js';
import { Migration20261128000400_module_read_models } from './Migration20261128000400_module_read_models.js';
import { Migration20261128000500_customer_order_links } from './Migration20261128000500_customer_order_links.js';
import { Migration20261128000600_attempt_request_headers } from './Migration20261128000600_attempt_request_headers.js';
import { Migration20261128000700_customer_gaps } from './Migration20261128000700_customer_gaps.js';
import { Migration20261202000200_c2b_payments } from './Migration20261202000200_c2b_payments.js';
import { Migration20261204000100_customer_spend_windows } from './Migration20261204000100_customer_spend_windows.js';
import { Migration20261204000200_session_changes } from './Migration20261204000200_session_changes.js';
import { Migration20261204000300_unread_indexes } from './Migration20261204000300_unread_indexes.js';
import { Migration20261206000100_instant_text } from './Migration20261206000100_instant_text.js';
import { Migration20261203000100_trace_context } from './Migration20261203000100_trace_context.js';
import { Migration20261202000100_insider_safety } from './Migration20261202000100_insider_safety.js';
import { Migration20261206000200_payment_resolution } from './Migration20261206000200_payment_resolution.js';
import { Migration20261206000300_cod_collecting } from './Migration20261206000300_cod_collecting.js';
import { Migration20261206000400_stk_prompts_by_phone } from './Migration20261206000400_stk_prompts_by_phone.js';
import { Migration20261206000500_products_by_name } from './Migration20261206000500_products_by_name.js';
import { Migration20261206000600_staff_order_holds } from './Migration20261206000600_staff_order_holds.js';

/** Every migration in order, listed explicitly: ESM builds cannot glob for them. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261123000100_accounts', class: Migration20261123000100_accounts },
  { name: 'Migration20261123000200_webhooks', class: Migration20261123000200_webhooks },
  { name: 'Migration20261123000300_catalogue', class: Migration20261123000300_catalogue },
  { name: 'Migration20261123000400_orders', class: Migration20261123000400_orders },
  { name: 'Migration20261123000500_partners', class: Migration20261123000500_partners },
  { name: 'Migration20261123000600_payment_reliability', class: Migration20261123000600_payment_reliability },
  { name: 'Migration20261123000700_analytics', class: Migration20261123000700_analytics },
  { name: 'Migration20261123000800_daily_stats', class: Migration20261123000800_daily_stats },
  { name: 'Migration20261123000900_paused_recheck', class: Migration20261123000900_paused_recheck },
  { name: 'Migration20261123001000_first_order', class: Migration20261123001000_first_order },
  { name: 'Migration20261128000100_internet_safety', class: Migration20261128000100_internet_safety },
  { name: 'Migration20261128000200_integrations', class: Migration20261128000200_integrations },
  { name: 'Migration20261128000300_parked_deliveries', class: Migration20261128000300_parked_deliveries },
  { name: 'Migration20261128000400_module_read_models', class: Migration20261128000400_module_read_models },
  { name: 'Migration20261128000500_customer_order_links', class: Migration20261128000500_customer_order_links },
  {
    name: 'Migration20261128000600_attempt_request_headers',
    class: Migration20261128000600_attempt_request_headers,
  },
  { name: 'Migration20261128000700_customer_gaps', class: Migration20261128000700_customer_gaps },
  { name: 'Migration20261202000100_insider_safety', class: Migration20261202000100_insider_safety },
  { name: 'Migration20261202000200_c2b_payments', class: Migration20261202000200_c2b_payments },
  { name: 'Migration20261203000100_trace_context', class: Migration20261203000100_trace_context },
  { name: 'Migration20261204000100_customer_spend_windows', class: Migration20261204000100_customer_spend_windows },
  { name: 'Migration20261204000200_session_changes', class: Migration20261204000200_session_changes },
  { name: 'Migration20261204000300_unread_indexes', class: Migration20261204000300_unread_indexes },
  { name: 'Migration20261206000100_instant_text', class: Migration20261206000100_instant_text },
  { name: 'Migration20261206000200_payment_resolution', class: Migration20261206000200_payment_resolution },
  { name: 'Migration20261206000300_cod_collecting', class: Migration20261206000300_cod_collecting },
  { name: 'Migration20261206000400_stk_prompts_by_phone', class: Migration20261206000400_stk_prompts_by_phone },
  { name: 'Migration20261206000500_products_by_name', class: Migration20261206000500_products_by_name },
  { name: 'Migration20261206000600_staff_order_holds', class: Migration20261206000600_staff_order_holds },
];
