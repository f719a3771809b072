import { PassThrough } from 'node:stream';
import type { BackfillProgress } from '@entra-ingest/workflows';
import { createProgressView, formatEta, progressLine } from '../src/progress-bar';

const base: BackfillProgress = {
  feed: 'acme', source: 'directoryAudits', from: '2026-11-01T00:00:00.000Z', to: '2026-11-04T00:00:00.000Z',
  windowsTotal: 36, running: 4, percent: 25, eventsPerSecond: 12.5, etaSeconds: 125,
  nextIndex: 13, windowsDone: 7, windowsAdded: 0, coveredMs: 64_800_000, windowsSkipped: 2, windowsFailed: 0, eventsDelivered: 1500, startedAtMs: 0, paused: false,
};

test('ETA reads as seconds, minutes or hours', () => {
  expect(formatEta(undefined)).toBe('?');
  expect(formatEta(42)).toBe('42s');
  expect(formatEta(125)).toBe('2m05s');
  expect(formatEta(3725)).toBe('1h02m');
});

test('the progress line counts skipped windows as finished and says when paused', () => {
  expect(progressLine(base)).toBe('25% | windows 9/36 | 2 already read | 4 running | 1500 events | 12.5/s | ETA 2m05s');
  expect(progressLine({ ...base, paused: true, windowsFailed: 1 })).toMatch(/1 FAILED.*\| PAUSED$/);
});

function capture(): { stream: NodeJS.WriteStream; text(): string } {
  const pass = new PassThrough();
  const chunks: Buffer[] = [];
  pass.on('data', (c: Buffer) => chunks.push(c));
  return { stream: pass as unknown as NodeJS.WriteStream, text: () => Buffer.concat(chunks).toString('utf8') };
}

test('off a terminal, lines are throttled but a pause and the end are always shown', () => {
  const out = capture();
  const view = createProgressView(out.stream, 60_000);
  view.update(base);
  view.update({ ...base, windowsDone: 8 }); // within the interval: dropped
  view.update({ ...base, windowsDone: 8, paused: true }); // state change: shown
  view.update({ ...base, windowsDone: 36 - 2, running: 0, percent: 100 }); // the end: shown
  view.stop();
  const lines = out.text().trim().split('\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toContain('windows 9/36');
  expect(lines[1]).toContain('PAUSED');
  expect(lines[2]).toMatch(/^backfill 100% \| windows 36\/36/);
});
