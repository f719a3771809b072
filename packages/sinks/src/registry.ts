import type { SinkConfig } from '@entra-ingest/config';
import { FileSink } from './file-sink';
import { HttpSink } from './http-sink';
import { S3Sink } from './s3-sink';
import { SecurityLakeSink } from './security-lake-sink';
import type { Sink, SinkDeps } from './types';

type SinkFactory<T extends SinkConfig['type']> = (config: Extract<SinkConfig, { type: T }>, deps: SinkDeps) => Sink;

/** A new sink type: its schema in the config package, one file here, and one line below. */
const FACTORIES: { [T in SinkConfig['type']]: SinkFactory<T> } = {
  file: (config, deps) => new FileSink(config, deps),
  http: (config, deps) => new HttpSink(config, deps),
  s3: (config, deps) => new S3Sink(config, deps),
  securityLake: (config, deps) => new SecurityLakeSink(config, deps),
};

export function createSink(config: SinkConfig, deps: SinkDeps): Sink {
  const factory = FACTORIES[config.type] as SinkFactory<SinkConfig['type']> | undefined;
  if (!factory) throw new Error(`unknown sink type ${JSON.stringify((config as { type?: unknown }).type)}; known: ${Object.keys(FACTORIES).join(', ')}`);
  return factory(config, deps);
}
