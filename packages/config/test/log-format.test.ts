import { createLogger, textLine } from '../src/logger';

function capture(format: 'json' | 'text'): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger('dev', { format, level: 'info', write: (l) => lines.push(l) }) };
}

test('text lines are short and readable: time, level, component, message, fields', () => {
  const { lines, log } = capture('text');
  log.child('worker').info('worker ready', { taskQueue: 'entra-ingest', feeds: ['demo'], metricsPort: 9464, note: 'two words' });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d info  dev\.worker: worker ready taskQueue=entra-ingest feeds=\["demo"\] metricsPort=9464 note="two words"\n$/);
});

test('a multi-line message (the workflow bundler report) is one line saying how much it left out', () => {
  const line = textLine({ time: new Date(), level: 'info', component: 'worker.temporal', msg: 'asset workflow-bundle.js 1.2 MiB\nruntime modules 3 KiB\nmodules by path 900 KiB' });
  expect(line.split('\n')).toHaveLength(2);
  expect(line).toContain('asset workflow-bundle.js 1.2 MiB (+2 lines)');
});

test('long values are cut short in text and secrets stay masked in both formats', () => {
  const text = capture('text');
  text.log.warn('token request failed: Bearer abc.def.ghi', { body: 'x'.repeat(500), clientSecret: 'hunter2' });
  expect(text.lines[0]!.length).toBeLessThan(250);
  expect(text.lines[0]).not.toContain('hunter2');
  expect(text.lines[0]).not.toContain('abc.def.ghi');
  const json = capture('json');
  json.log.warn('token request failed: Bearer abc.def.ghi', { clientSecret: 'hunter2' });
  const record = JSON.parse(json.lines[0]!) as Record<string, unknown>;
  expect(record).toMatchObject({ level: 'warn', component: 'dev', clientSecret: '[REDACTED]' });
  expect(json.lines[0]).not.toContain('hunter2');
});

test('JSON stays the default, and ENTRA_INGEST_LOG_FORMAT=text switches without code changes', () => {
  const lines: string[] = [];
  createLogger('worker', { write: (l) => lines.push(l) }).info('hello');
  expect(() => JSON.parse(lines[0]!)).not.toThrow();
  process.env.ENTRA_INGEST_LOG_FORMAT = 'text';
  try {
    createLogger('worker', { write: (l) => lines.push(l) }).info('hello');
  } finally {
    delete process.env.ENTRA_INGEST_LOG_FORMAT;
  }
  expect(lines[1]).toMatch(/ info  worker: hello\n$/);
});
