import { darajaTimestamp, parseStkCallback, parseTransactionDate, queryOutcome, stkPassword } from './daraja-shapes.js';

describe('Daraja shapes', () => {
  it('stamps time in Nairobi (UTC+3) as yyyyMMddHHmmss', () => {
    expect(darajaTimestamp(new Date('2025-06-01T21:30:05Z'))).toBe('20250602003005');
  });

  it('builds the password from shortcode, passkey and timestamp', () => {
    expect(stkPassword('174379', 'passkey', '20250602003005')).toBe(
      Buffer.from('174379passkey20250602003005').toString('base64'),
    );
  });

  it('reads TransactionDate as Nairobi time', () => {
    expect(parseTransactionDate(20191219102115)?.toISOString()).toBe('2019-12-19T07:21:15.000Z');
    expect(parseTransactionDate('nope')).toBeNull();
  });

  it('parses a success callback by item name, tolerating a Balance without a value', () => {
    const body = {
      Body: {
        stkCallback: {
          MerchantRequestID: '29115-34620561-1',
          CheckoutRequestID: 'ws_CO_191220191020363925',
          ResultCode: 0,
          ResultDesc: 'The service request is processed successfully.',
          CallbackMetadata: {
            Item: [
              { Name: 'MpesaReceiptNumber', Value: 'NLJ7RT61SV' },
              { Name: 'Balance' },
              { Name: 'Amount', Value: 4500.0 },
              { Name: 'TransactionDate', Value: 20191219102115 },
              { Name: 'PhoneNumber', Value: 254708374149 },
            ],
          },
        },
      },
    };
    expect(parseStkCallback(body)).toEqual({
      merchantRequestId: '29115-34620561-1',
      checkoutRequestId: 'ws_CO_191220191020363925',
      resultCode: 0,
      resultDesc: 'The service request is processed successfully.',
      amount: 4500,
      receipt: 'NLJ7RT61SV',
      transactionDate: new Date('2019-12-19T07:21:15.000Z'),
      phone: '+254708374149',
    });
  });

  it('parses a failure without metadata, and refuses what is not a callback', () => {
    const failed = parseStkCallback({
      Body: {
        stkCallback: {
          MerchantRequestID: 'm',
          CheckoutRequestID: 'ws_1',
          ResultCode: 1032,
          ResultDesc: 'Request cancelled by user',
        },
      },
    });
    expect(failed).toMatchObject({ resultCode: 1032, amount: null, receipt: null, phone: null });
    expect(parseStkCallback({})).toBeUndefined();
    expect(parseStkCallback(null)).toBeUndefined();
    expect(parseStkCallback({ Body: { stkCallback: { CheckoutRequestID: 'x', ResultCode: 'abc' } } })).toBeUndefined();
  });

  it('tells definite query answers from "still processing"', () => {
    expect(
      queryOutcome(200, {
        ResponseCode: '0',
        ResultCode: '0',
        ResultDesc: 'The service request is processed successfully.',
      }),
    ).toEqual({ definite: true, resultCode: 0, resultDesc: 'The service request is processed successfully.' });
    expect(
      queryOutcome(200, { ResponseCode: '0', ResultCode: '1032', ResultDesc: 'Request cancelled by user' }),
    ).toMatchObject({ definite: true, resultCode: 1032 });
    expect(
      queryOutcome(500, { errorCode: '500.001.1001', errorMessage: 'The transaction is being processed' }),
    ).toEqual({ definite: false, resultCode: null, resultDesc: 'The transaction is being processed' });
    expect(queryOutcome(200, 'garbage')).toMatchObject({ definite: false });
  });
});
