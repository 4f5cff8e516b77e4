import { Migration } from '@mikro-orm/migrations';

/** Till and paybill payments (issue #25): Daraja C2B confirmations, Transaction Status checks, partial payments. */
export class Migration20261202000200_c2b_payments extends Migration {
  override name = 'Migration20261202000200_c2b_payments';

  override up(): void {
    this.addSql(`
      -- The initiator (Transaction Status API) sealed like the other credentials; C2B URLs carry a token of their own,
      -- never rotated with the STK callback's (Safaricom registers C2B URLs once per shortcode).
      alter table mpesa_settings add column initiator_name_enc text, add column security_credential_enc text,
        add column c2b_validation boolean not null default false,
        add column c2b_token_hash text unique, add column c2b_token_enc text,
        add column c2b_registered_at timestamptz, add column c2b_response_type text;

      alter table payments drop constraint if exists payments_method_check;
      alter table payments add constraint payments_method_check check (method in ('MPESA_STK', 'MANUAL', 'C2B'));
      alter table payments add column channel text check (channel in ('PAYBILL', 'TILL')),
        add column payer_name text, add column account_number text,
        add column matched_by text check (matched_by in ('reference', 'amount-and-phone', 'assigned')),
        add column status_check_hash text unique;
      -- A C2B confirmation is recorded once per shop by its TransID (Daraja repeats them).
      create unique index payments_seller_c2b_trans on payments (seller_id, mpesa_receipt) where method = 'C2B';
      create index payments_unmatched_index on payments (seller_id, created_at desc) where order_id is null;
      create index payments_c2b_check_due on payments (next_query_at) where status = 'PENDING' and method = 'C2B';

      -- What the order has been paid so far (several till payments may complete it).
      alter table orders add column amount_paid_kes integer not null default 0 check (amount_paid_kes >= 0);
      update orders set amount_paid_kes = total_kes where paid_at is not null;
      create index orders_open_amount_index on orders (seller_id, created_at) where status in ('PENDING', 'CANCELLED');

      alter table payment_callbacks add column kind text not null default 'stk'
        check (kind in ('stk', 'c2b-confirmation', 'c2b-status'));
    `);
  }
}
