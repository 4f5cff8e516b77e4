import { en, type MessageKey } from './en';
import { fill } from './fill';

/**
 * One message catalogue per language (`en.ts`, `sw.ts`: the same keys, checked by the compiler). English ships with
 * the first screen; Kiswahili is loaded when chosen. The choice is remembered on the device.
 */
export type Lang = 'en' | 'sw';
export type Messages = Record<MessageKey, string>;

const STORE_KEY = 'sokohub.lang';
let current: Lang = 'en';
let messages: Messages = en;

export function lang(): Lang {
  return current;
}

/** The language this device chose before, else the browser's if it is Kiswahili, else English. */
export function preferredLang(): Lang {
  const saved = localStorage.getItem(STORE_KEY);
  if (saved === 'en' || saved === 'sw') return saved;
  return navigator.language.toLowerCase().startsWith('sw') ? 'sw' : 'en';
}

/** Loads `next`'s catalogue and makes it current; the caller re-renders. */
export async function switchLanguage(next: Lang, remember = true): Promise<void> {
  messages = next === 'sw' ? (await import('./sw')).sw : en;
  current = next;
  document.documentElement.lang = next;
  if (remember) localStorage.setItem(STORE_KEY, next);
}

/** The message for `key`, with its placeholders (`{name}`, plural `{n|one|other}`) filled from `vars`. */
export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  return fill(messages[key], vars);
}

export type { MessageKey };
