const SEP = '[\\s().-]*';
const PREFIX = `(?:(?:\\+${SEP})?2${SEP}5${SEP}4${SEP}|0${SEP})?`;
/**
 * The inputs normalizeKenyanPhone accepts, as one regular expression: the phone fields' documented `pattern`, so a
 * generated client or a tester driven by the document knows the rule (phone.spec.ts holds the two together).
 */
export const KENYAN_PHONE_PATTERN = `^${SEP}${PREFIX}[17](?:${SEP}\\d){8}${SEP}$`;

/**
 * Normalises the usual ways Kenyans write a mobile number to E.164 (+2547XXXXXXXX / +2541XXXXXXXX):
 * 0712 345 678, 712345678, 254712345678, +254-712-345-678, (+254) 712345678. Undefined when it is not one.
 */
export function normalizeKenyanPhone(input: string): string | undefined {
  const digits = input.replace(/[\s\-().]/g, '');
  const match = /^(?:\+?254|0)?([17]\d{8})$/.exec(digits);
  return match ? `+254${match[1]}` : undefined;
}

/**
 * A search's text as the phone column stores it, so a seller finds "0712 345 678" or "2547123" as they type it:
 * separators dropped and a leading 0 / 254 / +254 read as +254 (a whole number or its start). Anything else is
 * searched as typed.
 */
export function phoneSearchText(input: string): string {
  const digits = input.replace(/[\s\-().]/g, '');
  const match = /^(?:\+?254|0)([17]\d{0,8})$/.exec(digits);
  return match ? `+254${match[1]}` : input;
}

/** The form Daraja expects: 2547XXXXXXXX, no plus sign. */
export function toDarajaMsisdn(e164: string): string {
  return e164.replace(/^\+/, '');
}
