import { ApplicationFailure } from '@temporalio/common';
import { SinkError } from '@entra-ingest/sinks';
import { MAX_THROTTLE_DELAY_MS, sinkRetryFailure, toActivityFailure } from '../src/failures';

describe('sink failures to activity failures', () => {
  test("a receiver's Retry-After becomes the activity's next retry delay", () => {
    const f = sinkRetryFailure(new SinkError('http sink siem: HTTP 429', { retryable: true, status: 429, retryAfterMs: 7000 }));
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f).toMatchObject({ type: 'SinkError', nextRetryDelay: 7000, nonRetryable: false, message: 'http sink siem: HTTP 429' });
  });

  test('a Retry-After of days is capped; one of 0 still waits a second', () => {
    expect(sinkRetryFailure(new SinkError('x', { retryable: true, status: 503, retryAfterMs: 9e12 }))).toMatchObject({ nextRetryDelay: MAX_THROTTLE_DELAY_MS });
    expect(sinkRetryFailure(new SinkError('x', { retryable: true, status: 429, retryAfterMs: 0 }))).toMatchObject({ nextRetryDelay: 1000 });
  });

  test('without a Retry-After, or not retryable, the error passes through to the retry policy unchanged', () => {
    const plain = new SinkError('x', { retryable: true, status: 502 });
    const rejected = new SinkError('x', { retryable: false, status: 400, answer: 'bad' });
    const other = new Error('disk full');
    expect(sinkRetryFailure(plain)).toBe(plain);
    expect(sinkRetryFailure(rejected)).toBe(rejected);
    expect(sinkRetryFailure(other)).toBe(other);
  });
});

describe('Graph failures to activity failures', () => {
  const graphError = (kind: string, retryAfterMs?: number) => Object.assign(new Error(`graph ${kind}`), { kind, retryable: true, retryAfterMs });

  test('a 429 or a 503 with Retry-After: Graph\'s wait is the next retry delay, capped', () => {
    expect(toActivityFailure(graphError('throttled', 8000))).toMatchObject({ type: 'GraphThrottled', nextRetryDelay: 8000 });
    expect(toActivityFailure(graphError('transient', 4000))).toMatchObject({ type: 'Graph:transient', nextRetryDelay: 4000, nonRetryable: false });
    expect(toActivityFailure(graphError('transient', 9e12))).toMatchObject({ nextRetryDelay: MAX_THROTTLE_DELAY_MS });
  });

  test('a transient failure without Retry-After is left to the retry policy\'s backoff', () => {
    const f = toActivityFailure(graphError('transient')) as ApplicationFailure;
    expect(f).toMatchObject({ type: 'Graph:transient', nonRetryable: false });
    expect(f.nextRetryDelay).toBeUndefined();
  });
});
