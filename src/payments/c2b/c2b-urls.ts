import { createHash, randomBytes } from 'node:crypto';
import { refusedWord } from './c2b-shapes.js';

/**
 * The public URLs Daraja calls for till and paybill payments. Safaricom refuses registered URLs containing "mpesa",
 * "safaricom", "exe", "cmd", "sql" or "query", so they live under /api/c2b (not /api/payments/mpesa) and their random
 * tokens are drawn again until they contain none of those words. The STK callback's token is made and found the same
 * way.
 */
export const C2B_PATH = '/api/c2b';

export const hashUrlToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** 32 url-safe random characters (192 bits) containing no word Safaricom refuses. */
export function newUrlToken(): string {
  for (;;) {
    const token = randomBytes(24).toString('base64url');
    if (!refusedWord(token)) return token;
  }
}

export const confirmationUrl = (base: string, token: string): string => `${base}${C2B_PATH}/${token}/confirmation`;
export const validationUrl = (base: string, token: string): string => `${base}${C2B_PATH}/${token}/validation`;
/** Where Daraja posts a Transaction Status result: the id is ours, random, single-use. */
export const statusResultUrl = (base: string, id: string): string => `${base}${C2B_PATH}/status/${id}/result`;
export const statusTimeoutUrl = (base: string, id: string): string => `${base}${C2B_PATH}/status/${id}/timeout`;

/** Tokens we issue are 32 url-safe characters; anything else is not one (checked before any lookup). */
export const isUrlToken = (token: string): boolean => /^[\w-]{20,64}$/.test(token);
