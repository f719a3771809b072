/** A record the mapper cannot turn into a valid event: `reason` says what is wrong, `path` where in the record. */
export class MappingError extends Error {
  override name = 'MappingError';
  constructor(readonly reason: string, readonly path?: string) {
    super(path ? `${reason} (at ${path})` : reason);
  }
}
