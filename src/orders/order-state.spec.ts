import { move } from './order-state.js';

describe('move', () => {
  it('walks the happy path of an M-Pesa order', () => {
    expect(move('PENDING', 'pay', 'MPESA')).toEqual({ ok: true, to: 'PAID' });
    expect(move('PAID', 'confirm', 'MPESA')).toEqual({ ok: true, to: 'CONFIRMED' });
    expect(move('CONFIRMED', 'dispatch', 'MPESA')).toEqual({ ok: true, to: 'DISPATCHED' });
    expect(move('DISPATCHED', 'deliver', 'MPESA')).toEqual({ ok: true, to: 'DELIVERED' });
  });

  it('confirms from PENDING only for cash on delivery', () => {
    expect(move('PENDING', 'confirm', 'CASH_ON_DELIVERY')).toEqual({ ok: true, to: 'CONFIRMED' });
    expect(move('PENDING', 'confirm', 'MPESA')).toEqual({
      ok: false,
      reason: 'Cannot confirm an order that is PENDING: an M-Pesa order is confirmed once it is PAID',
    });
  });

  it('cancels from PENDING, PAID or CONFIRMED only', () => {
    for (const from of ['PENDING', 'PAID', 'CONFIRMED'] as const)
      expect(move(from, 'cancel', 'MPESA')).toEqual({ ok: true, to: 'CANCELLED' });
    for (const from of ['DISPATCHED', 'DELIVERED', 'CANCELLED'] as const)
      expect(move(from, 'cancel', 'MPESA').ok).toBe(false);
  });

  it('says which move from which state is refused', () => {
    expect(move('DELIVERED', 'dispatch', 'MPESA')).toEqual({
      ok: false,
      reason: 'Cannot dispatch an order that is DELIVERED',
    });
    expect(move('PAID', 'pay', 'MPESA')).toEqual({ ok: false, reason: 'Cannot pay an order that is PAID' });
    expect(move('PENDING', 'deliver', 'CASH_ON_DELIVERY').ok).toBe(false);
  });

  it('reopens only an order the payment timeout cancelled', () => {
    expect(move('CANCELLED', 'reopen', 'MPESA', 'payment timeout')).toEqual({ ok: true, to: 'PENDING' });
    expect(move('CANCELLED', 'reopen', 'MPESA', 'customer changed their mind').ok).toBe(false);
    expect(move('PENDING', 'reopen', 'MPESA', 'payment timeout').ok).toBe(false);
  });
});
