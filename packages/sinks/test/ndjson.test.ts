import { ndjsonBuffer, ndjsonChunks } from '../src/ndjson';

describe('NDJSON in chunks', () => {
  const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ i, name: `événement ${i}`, pad: 'x'.repeat(i % 97) }));
  const whole = `${lines.join('\n')}\n`;

  it.each([1, 64, 4096, 1 << 20])('gives the bytes of the joined lines, in chunks of about %i bytes', (chunkBytes) => {
    const chunks = [...ndjsonChunks(lines, chunkBytes)];
    expect(Buffer.concat(chunks).equals(Buffer.from(whole, 'utf8'))).toBe(true);
    // Each chunk ends a line: no line is split between two writes.
    for (const c of chunks) expect(c[c.length - 1]).toBe(0x0a);
    if (chunkBytes === 4096) expect(chunks.length).toBeGreaterThan(10);
    if (chunkBytes === 1 << 20) expect(chunks).toHaveLength(1);
  });

  it('gives nothing for no lines, and one buffer when asked', () => {
    expect([...ndjsonChunks([])]).toEqual([]);
    expect(ndjsonBuffer(lines).toString('utf8')).toBe(whole);
  });
});
