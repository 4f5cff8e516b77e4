/**
 * Promise.all that waits for every promise to settle before it rejects, with the first error in the list: work
 * started together inside a transaction must be over before the transaction rolls back, or a straggler's statement
 * would reach a connection that has already moved on.
 */
export async function allOrFirstError<T extends readonly unknown[]>(
  values: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(values);
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}
