import type { EventBatch } from '@entra-ingest/sinks';

/** Serialized OCSF-like events with distinct ids and times (ms) inside the window. */
export function makeEvents(count: number, startMs = Date.parse('2026-11-01T12:00:00Z')): string[] {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ class_uid: 3001, time: startMs + i * 1000 + 7, metadata: { uid: `evt-${i}` }, message: `event ${i}` }),
  );
}

export function makeBatch(overrides: Partial<EventBatch> = {}): EventBatch {
  return {
    feed: 'contoso',
    source: 'directoryAudits',
    windowStart: '2026-11-01T12:00:00.000Z',
    pass: 1,
    classUid: 3001,
    className: 'account_change',
    events: makeEvents(5),
    ...overrides,
  };
}
