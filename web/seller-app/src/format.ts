import type { DeliveryStatus } from './api';
import { lang, t } from './i18n';

/**
 * Dates in Nairobi time (EAT, UTC+3, no daylight saving) whatever the device's zone, in the chosen language's words;
 * money as KES with Kenyan grouping.
 */
const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(kind: 'dateTime' | 'date' | 'short' | 'time'): Intl.DateTimeFormat {
  const key = `${lang()}:${kind}`;
  let f = formats.get(key);
  if (!f) {
    const base: Intl.DateTimeFormatOptions = { timeZone: 'Africa/Nairobi' };
    const options: Record<typeof kind, Intl.DateTimeFormatOptions> = {
      dateTime: {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      },
      date: { day: 'numeric', month: 'short', year: 'numeric' },
      short: { day: 'numeric', month: 'short' },
      time: { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' },
    };
    f = new Intl.DateTimeFormat(lang() === 'sw' ? 'sw-KE' : 'en-KE', { ...base, ...options[kind], hour12: false });
    formats.set(key, f);
  }
  return f;
}

export function when(iso: string | null | undefined): string {
  return iso ? `${dateFormat('dateTime').format(new Date(iso))} EAT` : '—';
}

/** "3 Dec, 14:05" (Nairobi): lists, where the year is this year's. */
export function shortWhen(iso: string | null | undefined): string {
  return iso ? dateFormat('time').format(new Date(iso)) : '—';
}

/** The day of an instant (Nairobi): "3 Dec 2026". */
export function dateOf(iso: string | null | undefined): string {
  return iso ? dateFormat('date').format(new Date(iso)) : '—';
}

/** A calendar day the API names as YYYY-MM-DD (already a Nairobi day): "3 Dec 2026". */
export function day(isoDay: string, withYear = true): string {
  // Noon UTC of that day is the same day in Nairobi.
  return dateFormat(withYear ? 'date' : 'short').format(new Date(`${isoDay}T12:00:00Z`));
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

export const DELIVERY_STATUSES: DeliveryStatus[] = ['SUCCEEDED', 'FAILED', 'PENDING', 'PAUSED'];

export function statusWord(status: DeliveryStatus): string {
  return t(`delivery.status.${status}`);
}

export function deliveryStatusWord(d: { status: DeliveryStatus; attempts: number }): string {
  return d.status === 'PENDING' && d.attempts === 0 ? t('delivery.status.QUEUED') : statusWord(d.status);
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`;
}

const shillings = new Intl.NumberFormat('en-KE', { maximumFractionDigits: 0 });

/** 4500 → "KES 4,500" (Kenyan usage in both languages). */
export function kes(amount: number | null | undefined): string {
  return amount === null || amount === undefined ? '—' : `KES ${shillings.format(amount)}`;
}

/** 1234 → "1,234". */
export function count(n: number): string {
  return shillings.format(n);
}
