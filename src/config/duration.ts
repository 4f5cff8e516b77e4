const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses "7d", "12h", "30m", "45s" or a bare number of seconds into seconds; undefined when malformed. */
export function parseDurationSeconds(value: string): number | undefined {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * (match[2] ? UNITS[match[2]] : 1);
  return seconds > 0 ? seconds : undefined;
}
