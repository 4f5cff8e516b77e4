import type { Order } from '../../api-types';
import { whatsappLink } from './whatsapp';

describe('whatsappLink', () => {
  const order = {
    referenceCode: 'SKH-2026-00042',
    customerName: 'Amina Wanjiku',
    customerPhone: '+254712345678',
    status: 'PENDING',
    totalKes: 4500,
    amountDueKes: 1500,
    items: [
      { productName: 'Tote Bag', variantName: 'Red', quantity: 2 },
      { productName: 'Kikoi', variantName: null, quantity: 1 },
    ],
  } as unknown as Order;

  it("writes to the buyer's number, international form without the plus, the order in words", () => {
    const url = new URL(whatsappLink(order, 'Duka la Amina'));
    expect(url.origin + url.pathname).toBe('https://wa.me/254712345678');
    const text = url.searchParams.get('text');
    expect(text).toContain('Amina');
    expect(text).not.toContain('Wanjiku');
    expect(text).toContain('SKH-2026-00042');
    expect(text).toContain('Duka la Amina');
    expect(text).toContain('2 × Tote Bag (Red), 1 × Kikoi');
    expect(text).toMatch(/KES 4,500/);
    expect(text).toMatch(/Pending/);
    expect(text).toMatch(/KES 1,500/);
  });

  it('says nothing is due once it is paid', () => {
    const text = new URL(whatsappLink({ ...order, status: 'PAID', amountDueKes: 0 }, 'Duka')).searchParams.get('text');
    expect(text).toMatch(/Paid/);
    expect(text).not.toMatch(/due/i);
  });
});
