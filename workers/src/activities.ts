import type { Logger } from '@entra-ingest/config';
import type { EventValidator } from '@entra-ingest/ocsf';
import type { BlobStore } from '@entra-ingest/store';
import type { IngestActivities } from '@entra-ingest/workflows';
import { adminActivities } from './activities/admin';
import { deliverActivities } from './activities/deliver';
import { fetchActivities } from './activities/fetch';
import { mapActivities } from './activities/map';
import { tokenActivities } from './activities/token';
import type { FeedRegistry } from './feeds';
import type { IngestMetrics } from './metrics';

export interface ActivityDeps {
  feeds: FeedRegistry;
  store: BlobStore;
  /** Validate every event against the OCSF schema before delivery (failures become dead letters). */
  validator?: EventValidator;
  metrics: IngestMetrics;
  /** Where reminders and operational messages go. */
  logger: Logger;
}

/** All activities, built once per worker so Graph clients, token caches and sinks are shared (and injectable in tests). */
export function createActivities(deps: ActivityDeps): IngestActivities {
  return {
    ...tokenActivities(deps.feeds),
    ...fetchActivities(deps.feeds, deps.store, deps.metrics),
    ...mapActivities(deps.feeds, deps.store, deps.validator, deps.metrics),
    ...deliverActivities(deps.feeds, deps.store, deps.metrics, deps.validator),
    ...adminActivities(deps.feeds, deps.logger),
  };
}
