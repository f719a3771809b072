import { eachLimited } from '../src/each-limited';

test('results keep their order and no more than the limit run at once', async () => {
  let running = 0;
  let peak = 0;
  const out = await eachLimited([5, 1, 4, 2, 3], 2, async (ms) => {
    peak = Math.max(peak, ++running);
    await new Promise((r) => setTimeout(r, ms));
    running--;
    return ms * 10;
  });
  expect(out).toEqual([50, 10, 40, 20, 30]);
  expect(peak).toBe(2);
  expect(await eachLimited([], 4, async () => 1)).toEqual([]);
});

test('a failure rejects the whole call', async () => {
  await expect(eachLimited([1, 2], 2, async (n) => { if (n === 2) throw new Error('bucket 2'); return n; })).rejects.toThrow('bucket 2');
});
