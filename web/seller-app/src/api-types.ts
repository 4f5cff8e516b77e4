/** The shapes of the seller API the dashboard's sections read (the Integrations types live in api.ts). */

export const ORDER_STATUSES = ['PENDING', 'PAID', 'CONFIRMED', 'DISPATCHED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderItem {
  productId: string;
  variantId: string | null;
  productName: string;
  variantName: string | null;
  quantity: number;
  unitPriceKes: number;
  subtotalKes: number;
}

export interface TimelineEntry {
  status: OrderStatus;
  at: string;
  actor: string;
  note: string | null;
}

export interface Order {
  id: string;
  referenceCode: string;
  status: OrderStatus;
  totalKes: number;
  customerName: string;
  customerPhone: string;
  deliveryMethod: 'DELIVERY' | 'PICKUP';
  mpesaReceipt: string | null;
  paidAt: string | null;
  amountPaidKes: number;
  amountDueKes: number;
  items: OrderItem[];
  customerId: string;
  deliveryAddress: string | null;
  paymentMethod: 'MPESA' | 'CASH_ON_DELIVERY';
  itemCount: number;
  cancelReason: string | null;
  timeline: TimelineEntry[];
  createdAt: string;
  updatedAt: string;
}

export interface ProductImage {
  id: string;
  url: string;
  contentType: string;
  size: number;
}

export interface Variant {
  id: string;
  name: string;
  options: Record<string, string>;
  sku: string | null;
  priceKes: number;
  stock: number;
}

export interface Product {
  id: string;
  name: string;
  description: string | null;
  priceKes: number;
  compareAtPriceKes: number | null;
  sku: string | null;
  category: string | null;
  stock: number;
  lowStockThreshold: number;
  isActive: boolean;
  images: ProductImage[];
  variants: Variant[];
  createdAt: string;
  updatedAt: string;
}

export interface BulkResult {
  created: number;
  errors: { row: number; field: string; message: string }[];
  ids: string[];
}

export interface StockTakeResult {
  updated: number;
  unchanged: number;
  skipped: number;
  changes: { row: number; productId: string; variantId: string | null; name: string; from: number; to: number }[];
}

export interface CustomerStats {
  orderCount: number;
  totalSpentKes: number;
  averageOrderValueKes: number;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
}

export interface Customer {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  notes: string | null;
  tags: string[];
  stats: CustomerStats;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerDetail extends Customer {
  recentOrders: Order[];
}

export interface Range {
  from: string;
  to: string;
  timezone: string;
}

export interface Change {
  value: number;
  previous: number;
  changePercent: number | null;
}

export interface Overview {
  range: Range;
  revenueKes: Change;
  orderCount: Change;
  paidOrderCount: Change;
  averageOrderValueKes: Change;
  newCustomers: Change;
  conversionRate: Change;
}

export interface Revenue {
  range: Range;
  granularity: 'daily' | 'weekly' | 'monthly';
  series: { date: string; revenueKes: number; orders: number }[];
}

export interface TopProducts {
  range: Range;
  products: { productId: string; name: string; unitsSold: number; revenueKes: number; currentStock: number }[];
}

export interface CustomerAnalytics {
  range: Range;
  series: { date: string; newCustomers: number; returningCustomers: number }[];
  retentionRate: number;
  repeatPurchaseRate: number;
  topCustomers: { customerId: string; name: string; phone: string; spentKes: number; orders: number }[];
}

export interface StaffMember {
  id: string;
  email: string;
  name: string | null;
  role: 'OWNER' | 'MANAGER' | 'VIEWER';
  createdAt: string;
}

export interface ShopSettings {
  codHoldHours: number | null;
  effectiveCodHoldHours: number;
  maxUnitsPerLine: number | null;
  effectiveMaxUnitsPerLine: number;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { type: 'user' | 'key'; id: string; email?: string };
  action: string;
  target: string | null;
  ip: string | null;
}
