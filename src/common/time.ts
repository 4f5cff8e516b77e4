/** The shops' time zone (UTC+3, no daylight saving): days, references and reports are cut at its midnight. */
export const NAIROBI = 'Africa/Nairobi';
