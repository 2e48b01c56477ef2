import { describe, expect, it } from 'vitest';
import { canonicalInterval } from '../../src/sql/interval.js';

describe('canonicalInterval (what Postgres prints for an interval literal)', () => {
  // The right-hand sides are what `select '<input>'::interval::text` gives on Postgres 15 (IntervalStyle postgres).
  it.each([
    ['24 hours', '24:00:00'],
    ['90 minutes', '01:30:00'],
    ['1 day', '1 day'],
    ['2 days', '2 days'],
    ['1 week', '7 days'],
    ['1 year 2 months', '1 year 2 mons'],
    ['13 months', '1 year 1 mon'],
    ['-13 months', '-1 years -1 mons'],
    ['-1 day', '-1 days'],
    ['1.5 hours', '01:30:00'],
    ['1.5 days', '1 day 12:00:00'],
    ['0.5 weeks', '3 days 12:00:00'],
    ['1 day -2 hours', '1 day -02:00:00'],
    ['-1 day 2 hours', '-1 days +02:00:00'],
    ['1 year -1 month', '11 mons'],
    ['00:30', '00:30:00'],
    ['1:02:03.5', '01:02:03.5'],
    ['500 ms', '00:00:00.5'],
    ['1 microsecond', '00:00:00.000001'],
    ['10', '00:00:10'],
    ['0', '00:00:00'],
    ['@ 1 hour ago', '-01:00:00'],
    ['3 days 04:05:06', '3 days 04:05:06'],
    ['1 decade', '10 years'],
    ['1d', '1 day'],
    ['10min', '00:10:00'],
  ])('%s → %s', (input, printed) => {
    expect(canonicalInterval(input)).toBe(printed);
    // Already printed: unchanged.
    expect(canonicalInterval(printed)).toBe(printed);
  });

  it('applies the type fields and precision as Postgres stores a value of that type', () => {
    // Right-hand sides: `select '<input>'::<type>::text` on Postgres 15.
    expect(canonicalInterval('1 hour 30 minutes 15 seconds', 'interval hour to minute')).toBe('01:30:00');
    expect(canonicalInterval('36 hours', 'interval day')).toBe('00:00:00');
    expect(canonicalInterval('1 year 2 months', 'interval year')).toBe('1 year');
    expect(canonicalInterval('2.5 seconds', 'interval(0)')).toBe('00:00:03');
    expect(canonicalInterval('-1.5 seconds', 'interval(0)')).toBe('-00:00:02');
    expect(canonicalInterval('1.25 seconds', 'interval second(1)')).toBe('00:00:01.3');
    // A fraction of a microsecond left after the whole ones is rounded to even: 0.5 goes to 0.
    expect(canonicalInterval('1.0000015 seconds')).toBe('00:00:01.000001');
    expect(canonicalInterval('1.5 microseconds')).toBe('00:00:00.000001');
  });

  it('gives null for what it does not read, so the text is compared as written', () => {
    for (const text of ['P1Y2M', '1 fortnight', '1.5 months', '', 'now', '1:2:3:4', '1h30m']) {
      expect(canonicalInterval(text), text).toBeNull();
    }
  });
});
