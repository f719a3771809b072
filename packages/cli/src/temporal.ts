import { Client, Connection } from '@temporalio/client';
import { dataConverterFromConfig } from '@entra-ingest/codec';
import { type AppConfig, temporalTarget, type TemporalTarget } from '@entra-ingest/config';
import { SideCalls } from './side-calls';

/** A Temporal client honouring TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY and TLS variables like the Temporal CLI. */
export async function connectTemporal(config?: Pick<AppConfig, 'temporal'>, baseDir: string = process.cwd()): Promise<{ client: Client; target: TemporalTarget; sideCalls: SideCalls; close(): Promise<void> }> {
  const target = temporalTarget(config);
  // Same codecs as the worker (temporal.encryption), so inputs and results read back in clear; baseDir resolves key files.
  const dataConverter = config ? dataConverterFromConfig(config, baseDir) : undefined;
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: target.address, tls: target.tls, apiKey: target.apiKey, connectTimeout: '10s' });
  } catch (err) {
    throw new Error(`cannot reach Temporal at ${target.address}: ${(err as Error).message} (set TEMPORAL_ADDRESS, or start one with "entra-ingest dev")`);
  }
  const client = new Client({ connection, namespace: target.namespace, ...(dataConverter ? { dataConverter } : {}) });
  const sideCalls = new SideCalls(client);
  return {
    client, target, sideCalls,
    close: async () => {
      await sideCalls.settled();
      await connection.close();
    },
  };
}
