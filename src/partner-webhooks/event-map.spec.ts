import { PARTNER_TYPES, partnerTypeOf } from './event-map.js';

describe('partnerTypeOf', () => {
  it('maps every domain event as DESIGN.md says', () => {
    expect(partnerTypeOf('ORDER_CREATED')).toBe('NEW_CONSUMER_ORDER');
    for (const e of [
      'ORDER_PAID',
      'ORDER_CONFIRMED',
      'ORDER_DISPATCHED',
      'ORDER_DELIVERED',
      'ORDER_CANCELLED',
    ] as const)
      expect(partnerTypeOf(e)).toBe('UPDATE_CONSUMER_ORDER');
    expect(partnerTypeOf('CUSTOMER_CREATED')).toBe('NEW_CONSUMER_SIGNUP');
    expect(partnerTypeOf('CUSTOMER_UPDATED')).toBe('UPDATE_CONSUMER_USER');
    expect(partnerTypeOf('STAFF_ADDED')).toBe('NEW_MEMBER');
    expect(partnerTypeOf('STAFF_UPDATED')).toBe('UPDATE_MEMBER');
    expect(partnerTypeOf('PAYMENT_REQUESTED')).toBe('CREATE_TRANSACTION');
    expect(partnerTypeOf('PAYMENT_RECEIVED')).toBe('COMPLETE_TRANSACTION');
    expect(partnerTypeOf('PAYMENT_FAILED')).toBe('CANCEL_TRANSACTION');
    expect(partnerTypeOf('PAYMENT_UPDATED')).toBe('UPDATE_TRANSACTION');
    for (const e of ['PRODUCT_CREATED', 'PRODUCT_UPDATED', 'PRODUCT_DELETED', 'STOCK_CHANGED'] as const)
      expect(partnerTypeOf(e)).toBe('UPDATE_PRODUCT');
  });

  it('sends partners nothing for seller-only events', () => {
    expect(partnerTypeOf('LOW_STOCK_ALERT')).toBeUndefined();
    expect(partnerTypeOf('REVIEW_SUBMITTED')).toBeUndefined();
  });

  it('reaches all 11 partner types', () => {
    const all = [
      'ORDER_CREATED',
      'ORDER_PAID',
      'CUSTOMER_CREATED',
      'CUSTOMER_UPDATED',
      'STAFF_ADDED',
      'STAFF_UPDATED',
      'PAYMENT_REQUESTED',
      'PAYMENT_RECEIVED',
      'PAYMENT_FAILED',
      'PAYMENT_UPDATED',
      'PRODUCT_CREATED',
    ] as const;
    expect(new Set(all.map(partnerTypeOf))).toEqual(new Set(PARTNER_TYPES));
  });
});
