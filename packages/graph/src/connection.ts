import type { ResolvedCredential } from '@entra-ingest/config';
import type { CloudName } from './clouds';
import type { HttpTimeouts } from './http';

export type { ResolvedCredential };

/** Everything needed to reach Graph as one app in one tenant. Secrets are already resolved (in the worker). */
export interface GraphConnection {
  tenantId: string;
  clientId: string;
  cloud: CloudName;
  /** Only for cloud "custom": bare origins like https://127.0.0.1:8443. */
  loginUrl?: string;
  graphUrl?: string;
  /** An extra CA to trust (e.g. the simulator's), on top of the public roots. HTTPS_PROXY/NO_PROXY are honoured. */
  caPem?: string;
  credential: ResolvedCredential;
  timeouts?: HttpTimeouts;
}
