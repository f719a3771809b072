import { parseGraphTime, recordTime, recordId } from '../src';

describe('parseGraphTime', () => {
  test('7-digit fractions are truncated to milliseconds, never rounded', () => {
    expect(parseGraphTime('2018-01-09T21:20:02.7215374Z')).toBe(Date.UTC(2018, 0, 9, 21, 20, 2, 721));
    // Rounding would move this event into the next day (and the next ingestion window).
    expect(parseGraphTime('2025-12-31T23:59:59.9999999Z')).toBe(Date.UTC(2025, 11, 31, 23, 59, 59, 999));
  });

  test('short fractions, no fraction and offsets', () => {
    expect(parseGraphTime('2021-06-30T16:34:32Z')).toBe(Date.UTC(2021, 5, 30, 16, 34, 32));
    expect(parseGraphTime('2021-06-30T16:34:32.5Z')).toBe(Date.UTC(2021, 5, 30, 16, 34, 32, 500));
    expect(parseGraphTime('2021-06-30T16:34:32.05Z')).toBe(Date.UTC(2021, 5, 30, 16, 34, 32, 50));
    expect(parseGraphTime('2021-06-30T18:34:32.123+02:00')).toBe(Date.UTC(2021, 5, 30, 16, 34, 32, 123));
  });

  test.each(['', '2021-06-30', '2021-06-30T16:34:32', '2021-13-01T00:00:00Z', '2021-02-30T00:00:00Z', '2021-06-30T16:34:32.Z', 'yesterday', '2021-06-30T24:00:00Z'])(
    'rejects %p',
    (value) => expect(parseGraphTime(value)).toBeUndefined(),
  );

  test('non-strings are not times', () => {
    for (const v of [null, undefined, 1, {}, []]) expect(parseGraphTime(v)).toBeUndefined();
  });
});

test('recordId and recordTime never throw and say undefined for unusable records', () => {
  for (const bad of [null, 'x', 42, [], { id: 5 }, { id: '' }, { activityDateTime: 'soon' }]) {
    expect(recordId('directoryAudits', bad)).toBeUndefined();
    expect(recordTime('directoryAudits', bad)).toBeUndefined();
  }
  expect(recordTime('signIns', { createdDateTime: '2020-03-13T19:15:41.6195833Z' })).toBe(Date.UTC(2020, 2, 13, 19, 15, 41, 619));
  expect(recordTime('users', { id: 'u', createdDateTime: '2020-03-13T19:15:41Z' })).toBeUndefined();
  expect(recordId('users', { id: 'u-1' })).toBe('u-1');
});
