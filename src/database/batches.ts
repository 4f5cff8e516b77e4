/**
 * Runs `step` (which deletes or moves at most `batch` rows and says how many) until a round comes back short, so a
 * large purge never holds one long transaction; at most `maxRounds` rounds, fewer when `keepGoing` says stop.
 */
export async function inBatches(
  batch: number,
  step: () => Promise<number>,
  opts: { maxRounds?: number; keepGoing?: () => boolean } = {},
): Promise<number> {
  const { maxRounds = 100, keepGoing = () => true } = opts;
  let total = 0;
  for (let round = 0; round < maxRounds && keepGoing(); round++) {
    const n = await step();
    total += n;
    if (n < batch) break;
  }
  return total;
}
