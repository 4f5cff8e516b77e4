/** pg's own parameter conversion (what `client.query` applies to each value), which pg exports but does not type. */
declare module 'pg/lib/utils.js' {
  const utils: { prepareValue(value: unknown): unknown };
  export default utils;
}
