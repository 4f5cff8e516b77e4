import type { EventName, EventPayloads } from './event-catalogue.js';

const order = (status: string) => ({
  orderId: 'ord_01jdx3k2m4n5p6q7r8s9t0v1w2',
  referenceCode: 'SKH-20251128-00042',
  status,
  totalKes: 4500,
  customerName: 'Amina Wanjiku',
  customerPhone: '+254712345678',
  itemCount: 3,
});
const product = {
  productId: 'prod_01jdx3k2m4n5p6q7r8s9t0v1w2',
  name: 'Kiondo basket, large',
  sku: 'KIO-L',
  priceKes: 1500,
  stock: 12,
  isActive: true,
  category: 'Baskets',
};
const customer = {
  customerId: 'cus_01jdx3k2m4n5p6q7r8s9t0v1w2',
  name: 'Amina Wanjiku',
  phone: '+254712345678',
  email: null,
};
const payment = (status: string, receipt: string | null) => ({
  paymentId: 'pay_01jdx3k2m4n5p6q7r8s9t0v1w2',
  orderId: 'ord_01jdx3k2m4n5p6q7r8s9t0v1w2',
  referenceCode: 'SKH-20251128-00042',
  amountKes: 4500,
  mpesaReceipt: receipt,
  phone: '+254712345678',
  status,
  method: 'C2B',
  channel: 'PAYBILL',
  payerName: 'Amina Wanjiku',
  accountNumber: 'SKH-2025-00042',
  matched: true,
  matchedBy: 'reference',
});
const staff = {
  userId: 'usr_01jdx3k2m4n5p6q7r8s9t0v1w2',
  email: 'wanjiru@example.co.ke',
  name: 'Wanjiru Kamau',
  role: 'MANAGER',
};

/** One realistic `data` per event: shown in the catalogue, sent by test deliveries, validated by a test. */
const EXAMPLES: { [N in EventName]: EventPayloads[N] } = {
  ORDER_CREATED: order('PENDING'),
  ORDER_PAID: order('PAID'),
  ORDER_CONFIRMED: order('CONFIRMED'),
  ORDER_DISPATCHED: order('DISPATCHED'),
  ORDER_DELIVERED: order('DELIVERED'),
  ORDER_CANCELLED: order('CANCELLED'),
  PRODUCT_CREATED: product,
  PRODUCT_UPDATED: { ...product, priceKes: 1650 },
  PRODUCT_DELETED: { ...product, isActive: false },
  CUSTOMER_CREATED: customer,
  CUSTOMER_UPDATED: { ...customer, email: 'amina@example.co.ke' },
  PAYMENT_RECEIVED: payment('COMPLETED', 'SKA1B2C3D4'),
  PAYMENT_REQUESTED: payment('PENDING', null),
  PAYMENT_FAILED: payment('FAILED', null),
  PAYMENT_UPDATED: payment('FLAGGED', 'SKA1B2C3D4'),
  LOW_STOCK_ALERT: {
    productId: product.productId,
    variantId: null,
    name: product.name,
    sku: product.sku,
    stock: 2,
    lowStockThreshold: 5,
  },
  REVIEW_SUBMITTED: {
    reviewId: 'rev_01jdx3k2m4n5p6q7r8s9t0v1w2',
    productId: product.productId,
    customerName: 'Amina Wanjiku',
    rating: 5,
    comment: 'Strong and beautifully woven.',
  },
  STAFF_ADDED: staff,
  STAFF_UPDATED: { ...staff, role: 'VIEWER' },
  STOCK_CHANGED: { ...product, stock: 11 },
};

export function sampleEventData<N extends EventName>(name: N): EventPayloads[N] {
  return EXAMPLES[name];
}
