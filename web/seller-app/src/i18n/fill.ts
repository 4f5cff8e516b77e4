/**
 * A catalogue message with its placeholders filled: `{name}` takes `vars.name`; `{n|one|other}` is a plural choice,
 * `one` when `vars.n` is 1 and `other` otherwise (English and Kiswahili both need just these two), so the app never
 * says "1 item(s)". A placeholder without its variable is left as written.
 */
export function fill(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text
    .replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (m, name: string, one: string, other: string) =>
      name in vars ? (Number(vars[name]) === 1 ? one : other) : m,
    )
    .replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
