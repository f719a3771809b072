// Blobs of earlier versions: their fetches wrote a page's records as JSON again, and a record that JSON.stringify
// could not write (nested thousands of levels deep) was stored as a stub that kept its id and said why. Fetches now
// store the body as Graph sent it, so such a record reaches mapping itself (and its event, which cannot be
// serialised either, becomes a dead letter there); stubs still in a store become dead letters as before.

export const UNSTORABLE_KEY = '@entraIngest.unstorable';

/** Why the record is a stub, or undefined for a real record. */
export function unstorableReason(record: unknown): string | undefined {
  const reason = (record as Record<string, unknown> | null)?.[UNSTORABLE_KEY];
  return typeof reason === 'string' ? reason : undefined;
}
