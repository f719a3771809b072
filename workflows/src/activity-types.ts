// The contract between workflow code and the worker's activities. Everything here travels through Temporal and is
// stored in workflow history: references, counts and times only — never event data, secrets or tokens.

import type { DeltaSourceName, LogSourceName, SourceName } from '@entra-ingest/sources';

export type { DeltaSourceName, SourceName };
/** Sources read in time windows (the registry's `log` kind). */
export type WindowedSourceName = LogSourceName;

/** Identifies one read ("pass") of one window: pass 0 is the first read, 1.. are the late-event sweeps. */
export interface WindowPass {
  feed: string;
  source: SourceName;
  windowStart: string;
  windowEnd: string;
  pass: number;
}

export interface TokenInfo {
  expiresOn: string;
}

/** One Graph page to read: the first of a window (no link), or the page a nextLink/deltaLink points at. */
export interface PageRequest extends WindowPass {
  pageIndex: number;
  /**
   * Delta sources only, first page: the previous round's deltaLink. Within a read, the worker keeps each page's nextLink next
   * to the page in its store, so skip tokens and filters never enter this history.
   */
  deltaLink?: string;
}

/** What one fetch read: one page, or several when the tenant's budget allows. */
export interface PageResult {
  /** Pages read (absent: one, as fetches answered before they read several). */
  pages?: number;
  records: number;
  bytes: number;
  /** Graph has another page; the worker keeps its link. */
  more: boolean;
  /** Delta sources only, on the last page: where the next round continues. */
  deltaLink?: string;
  /** Reports: time (ms) of the page's oldest record with a usable time. */
  oldestMs?: number;
  /** Reports: the page's records come newest first (what lets a backfill window split by volume). */
  newestFirst?: boolean;
}

/** What a whole read of a window (all its pages) amounted to. */
export interface FetchResult {
  pages: number;
  records: number;
  bytes: number;
  /** Times the read started over because Graph no longer accepted its skip token. */
  restarts: number;
  deltaLink?: string;
  /** Oldest record time (ms) over the pages read. */
  oldestMs?: number;
  /** Every page read came newest first. */
  newestFirst: boolean;
  /** The read stopped with pages left (a backfill window handing its unread part to pieces). */
  more: boolean;
}

export interface MappedClass {
  classUid: number;
  className: string;
  events: number;
  parts: number;
}

export interface MapResult {
  /** Records of this window not delivered before: what this pass delivers. */
  newRecords: number;
  /** Records seen before (an earlier pass, or twice in this read). */
  duplicatesSkipped: number;
  /** Records that belong to a neighbouring window (Graph's `le` is inclusive). */
  outsideWindow: number;
  deadLetters: number;
  classes: MappedClass[];
}

export interface DeliverResult {
  /** Records this pass delivered (accepted by every sink that did not reject them for good). */
  delivered: number;
  perSink: Record<string, number>;
  /** Mapped records another window delivered or claimed first (its job, not this pass's). */
  alreadyOwned?: number;
  /** Records a sink rejected for good (4xx): dead letters with the receiver's answer. */
  rejected?: number;
}

/** Mapping and delivery in one activity: what each would have reported. */
export type MapDeliverResult = Omit<MapResult, 'classes'> & DeliverResult;

export interface ReleaseResult {
  /** Claimed records no sink had received: free for other windows now. */
  released: number;
  /** Claimed records every sink had accepted: recorded as delivered. */
  settled: number;
  /** Records some sink may have received (accepted by some, or in flight): still claimed, a re-run of this window sends them. */
  kept: number;
}

export interface ExpiryCredential {
  kind: 'password' | 'certificate';
  displayName: string;
  keyId: string;
  endDateTime: string;
}

export interface ExpiryReadResult {
  source: 'graph' | 'config';
  credentials: ExpiryCredential[];
  /** Why the app could not be read (e.g. permission missing), when the config's date was used. */
  note?: string;
}

export interface ReminderInput {
  feed: string;
  credential: ExpiryCredential;
  /** Whole days until expiry; negative once expired. */
  daysLeft: number;
}

export interface SourceCheck {
  source: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export interface CheckReport {
  feed: string;
  ok: boolean;
  token: SourceCheck;
  sources: SourceCheck[];
  clockSkewSeconds?: number;
  credentials?: ExpiryCredential[];
}

/** A feed's scheduling settings as the worker's config has them (no secrets), in milliseconds. */
export interface FeedSettings {
  feed: string;
  /** Names the tenant's Graph task queue (a tenant id is not a secret). */
  tenantId: string;
  sources: SourceName[];
  windowMs: number;
  everyMs: number;
  lagMs: number;
  sweepDelaysMs: number[];
  initialLookbackMs: number;
  maxWindowsPerRun: number;
  retentionDays: number;
  usersEveryMs: number;
}

/** The activities workflows call; the worker implements them with `createActivities(deps)`. */
export interface IngestActivities {
  describeFeed(feed: string): Promise<FeedSettings>;
  refreshToken(feed: string): Promise<TokenInfo>;
  /** Runs on the tenant's own task queue, whose rate limit every worker obeys (pages per activity ÷ queue rate = the limit). */
  fetchPage(p: PageRequest): Promise<PageResult>;
  mapWindow(w: WindowPass & { pages: number }): Promise<MapResult>;
  deliverWindow(w: WindowPass): Promise<DeliverResult>;
  /** Maps the pass's pages and delivers the events part by part (no events written in between). */
  mapAndDeliverWindow(w: WindowPass & { pages: number }): Promise<MapDeliverResult>;
  /** A cancelled pass gives back the records it claimed but no sink received, so other windows deliver them. */
  releaseWindow(w: WindowPass): Promise<ReleaseResult>;
  readCredentialExpiry(feed: string): Promise<ExpiryReadResult>;
  sendReminder(input: ReminderInput): Promise<void>;
  checkFeed(feed: string): Promise<CheckReport>;
}

/** Failure types activities raise (ApplicationFailure.type) that workflows branch on. */
export const FAILURE_TYPES = {
  /** Credentials, permission, licence, tenant: a person must act; retried slowly until fixed. */
  configuration: 'EntraConfigurationError',
  /** A delta token no longer valid: start a full resync. */
  syncStateNotFound: 'EntraSyncStateNotFound',
  /** Graph no longer accepts the skip token: read the window again from its first page. */
  restartRead: 'EntraRestartRead',
  /** The feed is not in the worker's config. */
  unknownFeed: 'EntraUnknownFeed',
} as const;
