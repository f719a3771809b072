// What a file sink holds against the simulator's ground truth, by record id: "lost" is a record Graph has that no
// event carries, "duplicated" an id delivered more than once. Counts alone can hide one behind the other.
import fs from 'node:fs';
import path from 'node:path';

/** How many events of each record id (metadata.uid) the NDJSON files under `root` hold. */
export function sinkIdCounts(root: string): Map<string, number> {
  const counts = new Map<string, number>();
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ndjson')) {
        for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
          if (!line) continue;
          const uid = (JSON.parse(line) as { metadata?: { uid?: string } }).metadata?.uid;
          if (uid !== undefined) counts.set(uid, (counts.get(uid) ?? 0) + 1);
        }
      }
    }
  };
  walk(root);
  return counts;
}

export interface SinkCheck {
  /** Events in the sink. */
  events: number;
  /** Ground-truth ids with no event. */
  lost: number;
  /** Ids with more than one event. */
  duplicated: number;
  /** Events whose id is not in the ground truth (another range, or made up). */
  unexpected: number;
}

export function checkSink(truthIds: readonly string[], counts: ReadonlyMap<string, number>): SinkCheck {
  const truth = new Set(truthIds);
  let events = 0;
  let duplicated = 0;
  let unexpected = 0;
  for (const [id, n] of counts) {
    events += n;
    if (n > 1) duplicated++;
    if (!truth.has(id)) unexpected += n;
  }
  let lost = 0;
  for (const id of truth) if (!counts.has(id)) lost++;
  return { events, lost, duplicated, unexpected };
}

/**
 * checkSink on the real data, then again with one planted fault of each kind, which it must find: a check that finds
 * nothing proves something only if it finds what is there.
 */
export function checkSinkWithControl(truthIds: readonly string[], counts: ReadonlyMap<string, number>): SinkCheck {
  const result = checkSink(truthIds, counts);
  const planted = new Map(counts).set('control-duplicated', 2).set('control-unexpected', 1);
  const control = checkSink([...truthIds, 'control-lost', 'control-duplicated'], planted);
  const found = control.lost === result.lost + 1 && control.duplicated === result.duplicated + 1 && control.unexpected === result.unexpected + 1;
  if (!found) throw new Error(`sink check missed planted faults: ${JSON.stringify({ result, control })}`);
  return result;
}
