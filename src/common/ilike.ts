/** `%text%` for ILIKE with the user's `\`, `%` and `_` taken literally (PostgreSQL's default escape is `\`). */
export function ilikePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
