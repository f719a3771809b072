import os from 'node:os';
import { FileSinkSchema, type SinkConfig } from '@entra-ingest/config';
import { FileSink, createSink } from '@entra-ingest/sinks';

describe('createSink', () => {
  const deps = { dataDir: os.tmpdir(), resolveSecret: () => '' };

  it('builds a file sink from its config', () => {
    const sink = createSink(FileSinkSchema.parse({ type: 'file', id: 'archive' }), deps);
    expect(sink).toBeInstanceOf(FileSink);
    expect([sink.id, sink.type]).toEqual(['archive', 'file']);
  });

  it('names the known types when given an unknown one', () => {
    expect(() => createSink({ type: 'kafka', id: 'k' } as unknown as SinkConfig, deps)).toThrow(/unknown sink type "kafka"; known: file, http/);
  });
});
