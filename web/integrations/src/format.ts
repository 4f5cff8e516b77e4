import type { DeliveryStatus } from './api';

/** Every date on the page in Nairobi time (EAT, UTC+3, no daylight saving), whatever the device's zone. */
const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Africa/Nairobi',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function when(iso: string | null | undefined): string {
  return iso ? `${dateTime.format(new Date(iso))} EAT` : '—';
}

/** A `datetime-local` value read as Nairobi time, as an ISO instant. */
export function nairobiInputToIso(value: string): string {
  return new Date(`${value.length === 16 ? `${value}:00` : value}+03:00`).toISOString();
}

/** Now minus `hours`, as a `datetime-local` value in Nairobi time. */
export function nairobiInputValue(hoursAgo: number): string {
  return new Date(Date.now() + 3 * 3_600_000 - hoursAgo * 3_600_000).toISOString().slice(0, 16);
}

/** ORDER_CREATED → "Order created". */
export function eventLabel(name: string): string {
  const words = name.toLowerCase().split('_');
  return [words[0].charAt(0).toUpperCase() + words[0].slice(1), ...words.slice(1)].join(' ');
}

export const STATUS_WORDS: Record<DeliveryStatus, string> = {
  SUCCEEDED: 'Delivered',
  FAILED: 'Failed',
  PENDING: 'Retrying',
  PAUSED: 'Waiting (endpoint off)',
};

export function deliveryStatusWord(d: { status: DeliveryStatus; attempts: number }): string {
  return d.status === 'PENDING' && d.attempts === 0 ? 'Queued' : STATUS_WORDS[d.status];
}

export const ROLE_WORDS = { OWNER: 'Owner', MANAGER: 'Manager', VIEWER: 'Viewer' } as const;

export function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`;
}

const shillings = new Intl.NumberFormat('en-KE', { maximumFractionDigits: 0 });

/** 4500 → "KES 4,500". */
export function kes(amount: number | null | undefined): string {
  return amount === null || amount === undefined ? '—' : `KES ${shillings.format(amount)}`;
}
