import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new signing secret as shown to the seller: `whsec_` + 32 random bytes, base64 (Standard Webhooks' format). */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * `sha256=<hex>`: HMAC-SHA256 of the raw body, keyed with the secret string exactly as shown, UTF-8 (the reference's
 * snippets).
 */
export function sokohubSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface SignatureHeaders {
  'X-SokoHub-Signature': string;
  'X-SokoHub-Signature-Previous'?: string;
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs one request. During a rotation's grace period `previous` is set: the main header carries the new secret's
 * signature, `X-SokoHub-Signature-Previous` the old one, and `webhook-signature` lists both (Standard Webhooks allows
 * several).
 */
export function signRequest(
  body: string,
  msgId: string,
  at: Date,
  current: string,
  previous?: string,
): SignatureHeaders {
  const standard = [current, ...(previous ? [previous] : [])].map((secret) =>
    new Webhook(secret).sign(msgId, at, body),
  );
  return {
    'X-SokoHub-Signature': sokohubSignature(body, current),
    ...(previous ? { 'X-SokoHub-Signature-Previous': sokohubSignature(body, previous) } : {}),
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': standard.join(' '),
  };
}
