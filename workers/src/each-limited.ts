/**
 * Runs `fn` over `items`, at most `limit` at a time, and returns the results in order. The record index keeps one blob
 * per hour: a week-long backfill window touches 168, whose compare-and-swaps are independent of each other and each
 * wait on a durable write — one after the other they cost seconds, a few at a time a fraction of that.
 */
export async function eachLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
