import { ORDER_STATUSES } from '../../api-types';
import { movesFor } from './order-moves';

// The API's state table (src/orders/order-state.ts), as a seller meets it: the buttons offered per status.
const EXPECTED = {
  MPESA: {
    PENDING: ['cancel'],
    PAID: ['confirm', 'cancel'],
    CONFIRMED: ['dispatch', 'cancel'],
    DISPATCHED: ['deliver'],
    DELIVERED: [],
    CANCELLED: [],
  },
  CASH_ON_DELIVERY: {
    PENDING: ['confirm', 'cancel'],
    PAID: ['confirm', 'cancel'],
    CONFIRMED: ['dispatch', 'cancel'],
    DISPATCHED: ['deliver'],
    DELIVERED: [],
    CANCELLED: [],
  },
} as const;

describe('movesFor', () => {
  it.each(['MPESA', 'CASH_ON_DELIVERY'] as const)('offers the API’s moves for a %s order in each status', (pay) => {
    for (const status of ORDER_STATUSES)
      expect({ status, moves: movesFor({ status, paymentMethod: pay }) }).toEqual({
        status,
        moves: EXPECTED[pay][status],
      });
  });
});
