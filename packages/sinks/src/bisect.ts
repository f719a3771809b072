import { SinkError, type EventBatch } from './types';

/** An event the receiver refused on its own (every batch holding it was rejected, and it was alone in the last). */
export interface RejectedEvent {
  recordId?: string;
  event: string;
  /** What the receiver answered, e.g. `HTTP 400: field x is invalid`. */
  answer: string;
  status?: number;
}

export interface IsolatedDelivery {
  /** Events the receiver accepted. */
  delivered: number;
  rejected: RejectedEvent[];
}

function half(batch: EventBatch, from: number, to: number): EventBatch {
  return { ...batch, events: batch.events.slice(from, to), ...(batch.recordIds ? { recordIds: batch.recordIds.slice(from, to) } : {}) };
}

/**
 * Delivers `batch` with `send`; when the receiver rejects it permanently (a 4xx other than 408/429), splits it in two
 * and delivers each half the same way, until the events at fault stand alone: those are returned, the rest are
 * delivered. The split is deterministic, so a retry after a crash sends the same halves under the same content keys.
 * Any other failure is thrown as it came (Temporal's retry policy is the one retry layer).
 */
export async function deliverIsolatingRejects(batch: EventBatch, send: (b: EventBatch) => Promise<unknown>): Promise<IsolatedDelivery> {
  if (batch.events.length === 0) return { delivered: 0, rejected: [] };
  try {
    await send(batch);
    return { delivered: batch.events.length, rejected: [] };
  } catch (err) {
    if (!(err instanceof SinkError) || !err.rejectsEvents) throw err;
    if (batch.events.length === 1) {
      return { delivered: 0, rejected: [{ recordId: batch.recordIds?.[0], event: batch.events[0]!, answer: err.answer ?? err.message, status: err.status }] };
    }
    const mid = Math.ceil(batch.events.length / 2);
    const left = await deliverIsolatingRejects(half(batch, 0, mid), send);
    const right = await deliverIsolatingRejects(half(batch, mid, batch.events.length), send);
    return { delivered: left.delivered + right.delivered, rejected: [...left.rejected, ...right.rejected] };
  }
}
