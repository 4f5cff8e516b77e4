/**
 * MikroORM sends statements with their values written in, so a statement as traced would carry customers' names and
 * phones, password and key hashes, sealed secrets. What a span keeps is the statement's shape: every string and
 * number literal becomes `?` (as collectors' "db.statement obfuscation" does), identifiers and keywords stay.
 */
const LITERALS = /(?:\b[eE])?'(?:[^'\\]|''|\\.)*'|\$\$[\s\S]*?\$\$|(?<![\w$."])-?\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/g;

export function sqlShape(text: string): string {
  return text.replace(LITERALS, '?');
}
