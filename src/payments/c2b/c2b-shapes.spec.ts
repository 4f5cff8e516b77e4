import { createHash } from 'node:crypto';
import {
  displayMsisdn,
  parseC2bConfirmation,
  parseStatusResult,
  phoneAgrees,
  referenceLookup,
  refusedWord,
} from './c2b-shapes.js';
import { confirmationUrl, newUrlToken, statusResultUrl, validationUrl } from './c2b-urls.js';

describe('C2B shapes', () => {
  it('reads a v2 paybill confirmation and a till one', () => {
    const paybill = parseC2bConfirmation({
      TransactionType: 'Pay Bill',
      TransID: 'rktqdm7w6s',
      TransTime: '20191122063845',
      TransAmount: '10.00',
      BusinessShortCode: '600638',
      BillRefNumber: 'SKH-2025-00042',
      MSISDN: '2547 ***** 126',
      FirstName: 'John',
      MiddleName: '',
      LastName: 'Doe',
    });
    expect(paybill).toMatchObject({
      transId: 'RKTQDM7W6S',
      channel: 'PAYBILL',
      amountKes: 10,
      accountNumber: 'SKH-2025-00042',
      payerName: 'John Doe',
      transTime: new Date('2019-11-22T03:38:45Z'),
    });
    expect(parseC2bConfirmation({ TransactionType: 'Buy Goods', TransID: 'RKT1', TransAmount: 5 })).toBeUndefined();
    expect(
      parseC2bConfirmation({ TransactionType: 'Buy Goods', TransID: 'RKTQDM7W6T', TransAmount: 5, BillRefNumber: '' })
        ?.channel,
    ).toBe('TILL');
    expect(parseC2bConfirmation({ TransID: 'RKTQDM7W6T', TransAmount: '-5' })).toBeUndefined();
    expect(parseC2bConfirmation('nope')).toBeUndefined();
  });

  it("compares a masked, hashed or whole MSISDN with an order's phone by the visible digits only", () => {
    expect(phoneAgrees('2547*****678', '+254712345678')).toBe(true);
    expect(phoneAgrees('2547 ***** 678', '+254712345678')).toBe(true);
    expect(phoneAgrees('0712***678', '+254712345678')).toBe(true);
    expect(phoneAgrees('2547*****679', '+254712345678')).toBe(false);
    expect(phoneAgrees('2541*****678', '+254712345678')).toBe(false);
    expect(phoneAgrees('25*******78', '+254712345678')).toBe(false); // too few visible digits to tell
    expect(phoneAgrees('254712345678', '+254712345678')).toBe(true);
    expect(phoneAgrees(createHash('sha256').update('254712345678').digest('hex'), '+254712345678')).toBe(true);
    expect(phoneAgrees(createHash('sha256').update('254700000000').digest('hex'), '+254712345678')).toBe(false);
    expect(phoneAgrees(null, '+254712345678')).toBe(false);
    expect(displayMsisdn('2547 ***** 126')).toBe('+2547*****126');
  });

  it('reads an account number as an order reference, forgiving case, spaces and the prefix', () => {
    for (const ref of ['SKH-2025-00042', 'skh-2025-00042', ' skh 2025 00042 ', '2025-00042', '202500042'])
      expect(referenceLookup(ref)).toEqual({ kind: 'year-and-number', year: 2025, number: 42 });
    expect(referenceLookup('00042')).toEqual({ kind: 'number', number: 42 });
    expect(referenceLookup('42')).toEqual({ kind: 'number', number: 42 });
    for (const junk of ['HELLO', '', null, '0', 'SKH-ABC']) expect(referenceLookup(junk)).toBeUndefined();
  });

  it('reads a Transaction Status result by parameter name', () => {
    const r = parseStatusResult({
      Result: {
        ResultCode: 0,
        ResultDesc: 'The service request is processed successfully.',
        ResultParameters: {
          ResultParameter: [
            { Key: 'ReceiptNo', Value: 'mbn31h462n' },
            { Key: 'TransactionReason' },
            { Key: 'TransactionStatus', Value: 'Completed' },
            { Key: 'Amount', Value: 300 },
          ],
        },
      },
    });
    expect(r).toEqual({
      resultCode: 0,
      resultDesc: 'The service request is processed successfully.',
      receipt: 'MBN31H462N',
      amountKes: 300,
      transactionStatus: 'Completed',
    });
    expect(parseStatusResult({ Result: { ResultCode: 1, ResultDesc: 'no' } })).toMatchObject({ amountKes: null });
    expect(parseStatusResult({})).toBeUndefined();
  });

  it('makes URLs Safaricom accepts: no refused word in any of thousands of tokens', () => {
    expect(refusedWord('https://api.sokohub.co.ke/api/payments/mpesa/callback/x')).toBe('mpesa');
    expect(refusedWord('https://x.test/EXEC')).toBe('exe');
    for (let i = 0; i < 5000; i++) {
      const token = newUrlToken();
      expect(token).toMatch(/^[\w-]{32}$/);
      const base = 'https://api.sokohub.co.ke';
      for (const url of [confirmationUrl(base, token), validationUrl(base, token), statusResultUrl(base, token)])
        expect(refusedWord(url)).toBeUndefined();
    }
  });
});
