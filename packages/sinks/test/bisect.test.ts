import { SinkError, deliverIsolatingRejects, type EventBatch } from '@entra-ingest/sinks';
import { makeBatch, makeEvents } from './helpers/events';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);

/** A receiver that refuses (400) any batch holding one of `bad`, and remembers what it accepted. */
function receiver(bad: Set<string>, status = 400) {
  const accepted: string[] = [];
  const calls: string[][] = [];
  const send = async (b: EventBatch) => {
    calls.push(b.recordIds ?? []);
    const culprit = b.recordIds?.find((id) => bad.has(id));
    if (culprit) throw new SinkError(`rejected`, { retryable: false, status, answer: `HTTP ${status}: ${culprit} is invalid` });
    accepted.push(...(b.recordIds ?? []));
  };
  return { send, accepted, calls };
}

describe('deliverIsolatingRejects', () => {
  it('delivers a good batch in one call', async () => {
    const r = receiver(new Set());
    const out = await deliverIsolatingRejects(makeBatch({ events: makeEvents(8), recordIds: ids(8) }), r.send);
    expect(out).toEqual({ delivered: 8, rejected: [] });
    expect(r.calls).toHaveLength(1);
  });

  it('isolates the events at fault with the receiver\'s answer and delivers all the others once', async () => {
    const r = receiver(new Set(['r3', 'r10']));
    const batch = makeBatch({ events: makeEvents(13), recordIds: ids(13) });
    const out = await deliverIsolatingRejects(batch, r.send);
    expect(out.delivered).toBe(11);
    expect(out.rejected.map((x) => x.recordId)).toEqual(['r3', 'r10']);
    expect(out.rejected[0]).toMatchObject({ event: batch.events[3], answer: 'HTTP 400: r3 is invalid', status: 400 });
    expect(r.accepted.sort()).toEqual(ids(13).filter((id) => id !== 'r3' && id !== 'r10').sort());
  });

  it('needs about 2·log2(n) calls for one bad event among n, not n', async () => {
    const r = receiver(new Set(['r41']));
    const out = await deliverIsolatingRejects(makeBatch({ events: makeEvents(64), recordIds: ids(64) }), r.send);
    expect(out.delivered).toBe(63);
    expect(r.calls.length).toBeLessThanOrEqual(13);
  });

  it('splits the same way every time, so a retry sends the same sub-batches', async () => {
    const a = receiver(new Set(['r5']));
    const b = receiver(new Set(['r5']));
    await deliverIsolatingRejects(makeBatch({ events: makeEvents(9), recordIds: ids(9) }), a.send);
    await deliverIsolatingRejects(makeBatch({ events: makeEvents(9), recordIds: ids(9) }), b.send);
    expect(a.calls).toEqual(b.calls);
  });

  it.each([408, 429, 503])('does not bisect a %i: it is thrown for the retry policy', async (status) => {
    const send = async () => {
      throw new SinkError('busy', { retryable: status !== 408 && status !== 429 ? true : false, status });
    };
    await expect(deliverIsolatingRejects(makeBatch({ recordIds: ids(5) }), send)).rejects.toThrow('busy');
  });

  it('does not bisect a failure that is not about the events (no HTTP status), nor a plain error', async () => {
    await expect(deliverIsolatingRejects(makeBatch({ recordIds: ids(5) }), async () => {
      throw new SinkError('path outside root', { retryable: false });
    })).rejects.toThrow('path outside root');
    await expect(deliverIsolatingRejects(makeBatch({ recordIds: ids(5) }), async () => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
  });
});
