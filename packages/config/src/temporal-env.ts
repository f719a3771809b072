import fs from 'node:fs';
import type { AppConfig } from './schema';

/** How to reach Temporal: the standard environment variables win over the config file, as with the Temporal CLI. */
export interface TemporalTarget {
  address: string;
  namespace: string;
  taskQueue: string;
  apiKey?: string;
  tls?: { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer; serverNameOverride?: string } | true;
}

const read = (file: string | undefined): Buffer | undefined => (file ? fs.readFileSync(file) : undefined);

export function temporalTarget(config?: Pick<AppConfig, 'temporal'>, env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const address = env.TEMPORAL_ADDRESS || config?.temporal.address || '127.0.0.1:7233';
  const namespace = env.TEMPORAL_NAMESPACE || config?.temporal.namespace || 'default';
  const taskQueue = env.ENTRA_INGEST_TASK_QUEUE || config?.temporal.taskQueue || 'entra-ingest';
  const apiKey = env.TEMPORAL_API_KEY || undefined;
  const crt = read(env.TEMPORAL_TLS_CLIENT_CERT_PATH ?? env.TEMPORAL_TLS_CERT);
  const key = read(env.TEMPORAL_TLS_CLIENT_KEY_PATH ?? env.TEMPORAL_TLS_KEY);
  const ca = read(env.TEMPORAL_TLS_SERVER_CA_CERT_PATH ?? env.TEMPORAL_TLS_CA);
  const serverNameOverride = env.TEMPORAL_TLS_SERVER_NAME || undefined;
  const wantsTls = env.TEMPORAL_TLS === 'true' || !!crt || !!ca || !!apiKey;
  let tls: TemporalTarget['tls'];
  if (crt || ca || serverNameOverride) {
    tls = { clientCertPair: crt && key ? { crt, key } : undefined, serverRootCACertificate: ca, serverNameOverride };
  } else if (wantsTls) tls = true;
  return { address, namespace, taskQueue, apiKey, tls };
}
