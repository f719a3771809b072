import { windowPrefix, type WindowRef } from '@entra-ingest/store';
import type { WindowPass } from '@entra-ingest/workflows';

// Where one pass of one window keeps its claim checks in the blob store:
//   <window>/p<pass>/pages/000000.json   raw Graph records of each page (fetch → map)
//   <window>/p<pass>/pages/000000.next   the page's @odata.nextLink (page n+1 continues from it)
//   <window>/p<pass>/events/<class>-<part>.ndjson + events.json   mapped OCSF events (map → deliver)
//   <window>/p<pass>/ids                  record ids this pass handles (written to the manifest on delivery)
//   <window>/p<pass>/delivered.json       what delivery reported, so a repeated delivery answers without sending

export interface EventPart {
  classUid: number;
  className: string;
  part: number;
  events: number;
  key: string;
  /** OCSF `time` of the part's newest event (ms): the freshness metric, read when the part is delivered. */
  newestTimeMs?: number;
}

export function windowRef(w: WindowPass): WindowRef {
  return { feed: w.feed, source: w.source, windowStart: w.windowStart, windowEnd: w.windowEnd };
}

export function passPrefix(w: WindowPass): string {
  return `${windowPrefix(windowRef(w))}/p${w.pass}`;
}

export const pagesPrefix = (w: WindowPass): string => `${passPrefix(w)}/pages`;
export const pageKey = (w: WindowPass, index: number): string => `${pagesPrefix(w)}/${String(index).padStart(6, '0')}.json`;
export const nextLinkKey = (w: WindowPass, index: number): string => `${pagesPrefix(w)}/${String(index).padStart(6, '0')}.next`;
export const eventsPrefix = (w: WindowPass): string => `${passPrefix(w)}/events`;
export const eventsIndexKey = (w: WindowPass): string => `${passPrefix(w)}/events.json`;
export const deliveredKey = (w: WindowPass): string => `${passPrefix(w)}/delivered.json`;
export const idsKey = (w: WindowPass): string => `${passPrefix(w)}/ids`;
export const eventPartKey = (w: WindowPass, classUid: number, part: number): string =>
  `${eventsPrefix(w)}/${classUid}-${String(part).padStart(4, '0')}.ndjson`;
