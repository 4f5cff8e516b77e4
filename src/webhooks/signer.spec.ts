import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { newSigningSecret, signRequest } from './signer.js';

// The reference's Node.js snippet, verbatim in substance: what sellers run.
function verifySignature(rawBody: string | Buffer, signatureHeader: string, secret: string): boolean {
  const expected = 'sha256=' + createHmac('sha256', secret).update(rawBody).digest('hex');
  const a = Buffer.from(signatureHeader);
  const b = Buffer.from(expected);
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

describe('signRequest', () => {
  const body = JSON.stringify({
    event: 'ORDER_CREATED',
    sellerId: 'sel_1',
    timestamp: '2025-06-01T12:34:56.789Z',
    data: { customerName: 'Amina Wanjiku 🇰🇪' },
  });
  const at = new Date();

  it("verifies with the reference's snippet and with standardwebhooks", () => {
    const secret = newSigningSecret();
    const headers = signRequest(body, 'evt_1', at, secret);
    expect(verifySignature(Buffer.from(body), headers['X-SokoHub-Signature'], secret)).toBe(true);
    expect(verifySignature(body, headers['X-SokoHub-Signature'], newSigningSecret())).toBe(false);
    expect(() => new Webhook(secret).verify(body, { ...headers })).not.toThrow();
    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['X-SokoHub-Signature-Previous']).toBeUndefined();
  });

  it('signs with both secrets during a rotation grace period', () => {
    const [oldSecret, newSecret] = [newSigningSecret(), newSigningSecret()];
    const headers = signRequest(body, 'evt_2', at, newSecret, oldSecret);
    expect(verifySignature(body, headers['X-SokoHub-Signature'], newSecret)).toBe(true);
    expect(verifySignature(body, headers['X-SokoHub-Signature-Previous']!, oldSecret)).toBe(true);
    expect(() => new Webhook(oldSecret).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(newSecret).verify(body, { ...headers })).not.toThrow();
  });

  it('detects a changed body', () => {
    const secret = newSigningSecret();
    const headers = signRequest(body, 'evt_3', at, secret);
    expect(verifySignature(body.replace('Amina', 'Anna'), headers['X-SokoHub-Signature'], secret)).toBe(false);
  });
});
