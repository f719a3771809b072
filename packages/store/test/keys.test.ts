import { UnsafeKeyError, assertSafeKey, compactTime, keySegment } from '@entra-ingest/store';

describe('assertSafeKey', () => {
  it.each(['a', 'windows/feed-1/signIns/20261101T120000Z/p0/pages/000000.json', 'a=b/c:d/e+f/g_h.i'])('accepts %j', (key) => {
    expect(() => assertSafeKey(key)).not.toThrow();
  });

  const hostile: [string, string][] = [
    ['parent folder', '../x'],
    ['parent folder in the middle', 'a/../../b'],
    ['current folder', 'a/./b'],
    ['absolute path', '/etc/passwd'],
    ['backslash separator', 'a\\b'],
    ['backslash parent', '..\\..\\x'],
    ['NUL byte', 'a\u0000b'],
    ['empty', ''],
    ['empty segment', 'a//b'],
    ['trailing slash', 'a/b/'],
    ['hidden file', 'a/.ssh'],
    ['dots inside a segment', 'a..b'],
    ['unicode full stop lookalikes', 'a/\u2024\u2024/b'],
    ['fullwidth solidus', 'a\uff0fb'],
    ['combining characters', 'e\u0301'],
    ['space', 'a b'],
    ['newline', 'a\nb'],
    ['tilde (temp files)', 'a~tmp~1'],
    ['very long key', 'a/'.repeat(600) + 'b'],
    ['very long segment', 'x'.repeat(201)],
  ];
  it.each(hostile)('rejects %s', (_what, key) => {
    expect(() => assertSafeKey(key)).toThrow(UnsafeKeyError);
  });

  it('says which segment is wrong', () => {
    expect(() => assertSafeKey('ok/../x')).toThrow(/segment 2 of blob key "ok\/..\/x"/);
  });
});

describe('keySegment', () => {
  const samples = [
    '', '.', '..', '...', '../../etc', '/etc/passwd', 'a\\b', 'feed-1', 'signIns', '2026-11-01T12:00:00.000Z', '=', '=2F',
    'a/b', 'a.b', 'a..b', '.hidden', 'naïve', '\u0000', 'e\u0301', '\u2024\u2024', '😀', 'x'.repeat(500), 'x'.repeat(500) + 'y',
  ];

  it.each(samples)('turns %j into one safe segment', (value) => {
    const segment = keySegment(value);
    expect(() => assertSafeKey(segment)).not.toThrow();
    expect(segment).not.toContain('/');
  });

  it('is injective over the samples', () => {
    expect(new Set(samples.map(keySegment)).size).toBe(samples.length);
  });

  it('keeps ordinary ids and ISO times readable', () => {
    expect(keySegment('feed-1')).toBe('feed-1');
    expect(keySegment('2026-11-01T12:00:00.000Z')).toBe('2026-11-01T12:00:00.000Z');
  });
});

describe('compactTime', () => {
  it('formats in UTC whatever the offset of the input', () => {
    expect(compactTime('2026-11-01T13:30:00+01:30')).toBe('20261101T120000Z');
    expect(compactTime('2026-11-01T12:00:00.250Z')).toBe('20261101T120000.250Z');
  });

  it('refuses a value that is not a date-time', () => {
    expect(() => compactTime('yesterday')).toThrow(/not an ISO date-time: "yesterday"/);
  });
});
