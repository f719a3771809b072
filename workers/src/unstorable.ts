// A record Graph sent that cannot be written as a claim check (JSON.stringify is recursive: a value nested thousands
// of levels deep overflows the stack). Such a record must not fail its whole page forever: it is stored as a stub
// that keeps its id and says why, and mapping turns the stub into a dead letter.

export const UNSTORABLE_KEY = '@entraIngest.unstorable';

/** The page's records as JSON; records that cannot be serialised are replaced by stubs naming the reason. */
export function pageJson(records: unknown[]): string {
  try {
    return JSON.stringify(records);
  } catch {
    // Rare: find the culprits one by one (the fast path above is the normal case).
    return `[${records.map((r) => {
      try {
        return JSON.stringify(r) ?? 'null';
      } catch (err) {
        const id = (r as { id?: unknown } | null)?.id;
        return JSON.stringify({ ...(typeof id === 'string' ? { id } : {}), [UNSTORABLE_KEY]: `the record cannot be stored: ${(err as Error).message} (nested too deeply?)` });
      }
    }).join(',')}]`;
  }
}

/** Why the record is a stub, or undefined for a real record. */
export function unstorableReason(record: unknown): string | undefined {
  const reason = (record as Record<string, unknown> | null)?.[UNSTORABLE_KEY];
  return typeof reason === 'string' ? reason : undefined;
}
