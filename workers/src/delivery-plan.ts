// The pure rules of delivery: which events a sink still needs, in which batches, and which ids each bucket settles.

/** One mapped event with the record it came from and that record's bucket in the record index. */
export interface OwnedEvent {
  id: string;
  bucket: string;
  event: string;
}

/** Parses a part's ids file: a JSON array of [recordId, bucket], one per event line, same order. */
export function zipPart(eventsText: string, idsJson: string, where: string): OwnedEvent[] {
  const events = eventsText ? eventsText.split('\n') : [];
  const ids = JSON.parse(idsJson) as unknown;
  if (!Array.isArray(ids) || ids.length !== events.length || !ids.every((p) => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string')) {
    throw new Error(`part ${where}: its ids file does not hold one [id, bucket] pair per event (${events.length} events)`);
  }
  return events.map((event, i) => ({ id: (ids[i] as string[])[0]!, bucket: (ids[i] as string[])[1]!, event }));
}

/** Ids per bucket, each once. */
export function idsByBucket(items: Iterable<{ id: string; bucket: string }>): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const { id, bucket } of items) {
    let ids = out.get(bucket);
    if (!ids) out.set(bucket, (ids = new Set()));
    ids.add(id);
  }
  return new Map([...out].map(([bucket, ids]) => [bucket, [...ids]]));
}

/**
 * The events a sink still has to receive — owned by this pass (`mine`) and not accepted by the sink before — cut into
 * batches of at most `max`. Deterministic: the same inputs give the same batches, hence the same content keys.
 */
export function batchesToSend(items: OwnedEvent[], mine: ReadonlySet<string>, accepted: ReadonlySet<string>, max: number): OwnedEvent[][] {
  if (!(max >= 1)) throw new RangeError(`batch size must be at least 1, got ${max}`);
  const todo = items.filter((e) => mine.has(e.id) && !accepted.has(e.id));
  const batches: OwnedEvent[][] = [];
  for (let i = 0; i < todo.length; i += max) batches.push(todo.slice(i, i + max));
  return batches;
}

/**
 * What a cancelled pass does with its claim: ids every sink accepted are settled; the others are released, with the
 * sinks that accepted them (the next claimant sends them to the other sinks only) — except ids a sink has in flight
 * (sent, answer unknown): those stay claimed, since sending them again under another batch name could duplicate
 * them; a re-run of this window re-sends that batch verbatim.
 */
export function releasePlan(
  claimed: string[], sinks: { sinkId: string; accepted: ReadonlySet<string>; pending: string[] }[],
): { settle: string[]; release: string[]; acceptedBy: Record<string, string[]>; keep: string[] } {
  // A pending batch the sink then accepted is done, not in flight.
  const inFlight = new Set(sinks.flatMap((s) => s.pending.filter((id) => !s.accepted.has(id))));
  const out = { settle: [] as string[], release: [] as string[], acceptedBy: {} as Record<string, string[]>, keep: [] as string[] };
  for (const id of claimed) {
    const by = sinks.filter((s) => s.accepted.has(id)).map((s) => s.sinkId);
    if (sinks.length > 0 && by.length === sinks.length) out.settle.push(id);
    else if (inFlight.has(id)) out.keep.push(id);
    else {
      out.release.push(id);
      if (by.length) out.acceptedBy[id] = by;
    }
  }
  return out;
}
