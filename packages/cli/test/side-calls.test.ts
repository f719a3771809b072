import { SideCalls } from '../src/side-calls';

// A fake client whose withDeadline records the deadline and runs the call, as the Temporal client does.
function fakeClient(): { deadlines: number[]; withDeadline<R>(deadline: number | Date, fn: () => Promise<R>): Promise<R> } {
  const deadlines: number[] = [];
  return { deadlines, withDeadline: (deadline, fn) => (deadlines.push(Number(deadline)), fn()) };
}

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

test('settled() waits for every call still in flight, failed ones included', async () => {
  const side = new SideCalls(fakeClient());
  const a = deferred<number>();
  const b = deferred<number>();
  const results = [side.run(() => a.promise), side.run(() => b.promise).catch((e: Error) => e.message)];
  let done = false;
  const settled = side.settled().then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  expect(done).toBe(false);
  a.resolve(1);
  await new Promise((r) => setImmediate(r));
  expect(done).toBe(false); // b is still out
  b.reject(new Error('UNAVAILABLE'));
  await settled;
  expect(await Promise.all(results)).toEqual([1, 'UNAVAILABLE']);
});

test('settled() is immediate when nothing is in flight, and each call gets a deadline seconds ahead', async () => {
  const client = fakeClient();
  const side = new SideCalls(client);
  await side.settled();
  const before = Date.now();
  await side.run(async () => 'ok');
  expect(client.deadlines).toHaveLength(1);
  expect(client.deadlines[0]! - before).toBeGreaterThanOrEqual(1000);
  expect(client.deadlines[0]! - before).toBeLessThanOrEqual(10_000);
  await side.settled();
});
