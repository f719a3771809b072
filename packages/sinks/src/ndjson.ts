/** Bytes of NDJSON taken at a time: large enough for few writes, small beside a part of 10,000 events (~25 MB). */
const CHUNK_BYTES = 1 << 20;

/**
 * The events as NDJSON (each line, then a newline) in UTF-8 chunks of about `chunkBytes`: a batch's file is written
 * without first joining all of it into one string and copying that into one buffer, two transient copies of the
 * whole batch per write.
 */
export function* ndjsonChunks(lines: readonly string[], chunkBytes = CHUNK_BYTES): Generator<Buffer> {
  let from = 0;
  let size = 0;
  for (let i = 0; i < lines.length; i++) {
    // Line lengths in UTF-16 units: a close enough measure of bytes for cutting chunks.
    size += lines[i]!.length + 1;
    if (size >= chunkBytes || i === lines.length - 1) {
      yield Buffer.from(`${lines.slice(from, i + 1).join('\n')}\n`, 'utf8');
      from = i + 1;
      size = 0;
    }
  }
}

/** The events as one NDJSON buffer, for a receiver that takes a body of known length. */
export function ndjsonBuffer(lines: readonly string[]): Buffer {
  return Buffer.concat([...ndjsonChunks(lines)]);
}
