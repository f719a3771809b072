import { keySegment, windowPrefix, type WindowRef } from '@entra-ingest/store';
import type { WindowPass } from '@entra-ingest/workflows';

// Where one pass of one window keeps its claim checks in the blob store (<window> = windows/<feed>/<source>/<start>-<end>):
//   <window>/p<pass>/pages/000000.json      the pages one fetch read, starting at that page index, one a line: the body
//                                           Graph sent (earlier versions: a JSON array of its records) (fetch → map)
//   <window>/p<pass>/pages/000000.next      the page's @odata.nextLink (page n+1 continues from it)
//   <window>/p<pass>/pages/000000.order.json  the page's last record time and ids: page n+1's order check (page-span.ts);
//                                           a blob of its own, so workers of an earlier version still read the link
//   <window>/p<pass>/events/<class>-<part>.ndjson       mapped OCSF events (map → deliver)
//   <window>/p<pass>/events/<class>-<part>.ids.json     [recordId, bucket] of each event, same order (JSON)
//   <window>/p<pass>/events.json            { mapping, parts }: one mapping run (a random id) and its parts
//   <window>/p<pass>/sinks/<sink>/pending.json          the batch being sent to that sink (sent again verbatim after a crash)
//   <window>/p<pass>/sinks/<sink>/accepted/<key>.json   ids of each batch the sink accepted (or rejected for good)
//   <window>/p<pass>/claims/buckets.json    record-index buckets this pass claims in (mapAndDeliverWindow; for a release)
//   <window>/p<pass>/delivered.json         { mapping, result }: what delivering that mapping (or that attempt) reported
// Which records are delivered is not here but in the feed's record index (records/<feed>/<source>/<hour>.json);
// this pass's folder name is its claimant name there.

export interface EventPart {
  classUid: number;
  className: string;
  part: number;
  events: number;
  key: string;
  /** OCSF `time` of the part's newest event (ms): the freshness metric, read when the part is delivered. */
  newestTimeMs?: number;
  idsKey: string;
}

export interface EventsIndex {
  /** Changes with every mapping run, so a delivery record of an earlier run never answers for a later one. */
  mapping: string;
  parts: EventPart[];
}

export function windowRef(w: WindowPass): WindowRef {
  return { feed: w.feed, source: w.source, windowStart: w.windowStart, windowEnd: w.windowEnd };
}

export function passPrefix(w: WindowPass): string {
  return `${windowPrefix(windowRef(w))}/p${w.pass}`;
}

/** The name this pass claims records under in the record index. */
export const claimantOf = passPrefix;

export const pagesPrefix = (w: WindowPass): string => `${passPrefix(w)}/pages`;
export const pageKey = (w: WindowPass, index: number): string => `${pagesPrefix(w)}/${String(index).padStart(6, '0')}.json`;
export const nextLinkKey = (w: WindowPass, index: number): string => `${pagesPrefix(w)}/${String(index).padStart(6, '0')}.next`;
export const pageOrderKey = (w: WindowPass, index: number): string => `${pagesPrefix(w)}/${String(index).padStart(6, '0')}.order.json`;
export const eventsPrefix = (w: WindowPass): string => `${passPrefix(w)}/events`;
export const eventsIndexKey = (w: WindowPass): string => `${passPrefix(w)}/events.json`;
export const deliveredKey = (w: WindowPass): string => `${passPrefix(w)}/delivered.json`;
export const eventPartKey = (w: WindowPass, classUid: number, part: number): string =>
  `${eventsPrefix(w)}/${classUid}-${String(part).padStart(4, '0')}.ndjson`;
export const eventPartIdsKey = (w: WindowPass, classUid: number, part: number): string =>
  `${eventsPrefix(w)}/${classUid}-${String(part).padStart(4, '0')}.ids.json`;
export const claimsPrefix = (w: WindowPass): string => `${passPrefix(w)}/claims`;
export const claimedBucketsKey = (w: WindowPass): string => `${claimsPrefix(w)}/buckets.json`;
export const sinksPrefix = (w: WindowPass): string => `${passPrefix(w)}/sinks`;
/** By claimant (a pass's folder): what another window reads when it takes over an expired claim. */
export const claimantPendingKey = (claimant: string, sinkId: string): string => `${claimant}/sinks/${keySegment(sinkId)}/pending.json`;
export const claimantAcceptedPrefix = (claimant: string, sinkId: string): string => `${claimant}/sinks/${keySegment(sinkId)}/accepted`;
export const sinkPendingKey = (w: WindowPass, sinkId: string): string => claimantPendingKey(claimantOf(w), sinkId);
export const sinkAcceptedPrefix = (w: WindowPass, sinkId: string): string => claimantAcceptedPrefix(claimantOf(w), sinkId);
export const sinkAcceptedKey = (w: WindowPass, sinkId: string, contentKey: string): string => `${sinkAcceptedPrefix(w, sinkId)}/${contentKey}.json`;
