import type { Order } from '../../api-types';
import { kes } from '../../format';
import { t } from '../../i18n';

/**
 * A wa.me link to the buyer with the order in words, in the dashboard's language: the buyers of a small Kenyan shop
 * ask on WhatsApp, and the seller answers with the reference, what was ordered, the total and what is still due.
 */
export function whatsappLink(order: Order, shop: string): string {
  const items = order.items
    .map((i) => `${i.quantity} × ${i.productName}${i.variantName ? ` (${i.variantName})` : ''}`)
    .join(', ');
  const text = [
    t('whatsapp.order', {
      name: order.customerName.split(/\s+/)[0],
      ref: order.referenceCode,
      shop,
      items,
      total: kes(order.totalKes),
    }),
    t('whatsapp.status', { status: t(`status.${order.status}`) }),
    order.amountDueKes > 0 ? t('whatsapp.due', { due: kes(order.amountDueKes) }) : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `https://wa.me/${order.customerPhone.replace(/\D/g, '')}?text=${encodeURIComponent(text)}`;
}
