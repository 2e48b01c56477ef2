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

  it('gives null for what it does not read, so the text is compared as written', () => {
    for (const text of ['P1Y2M', '1 fortnight', '1.5 months', '', 'now', '1:2:3:4', '1h30m']) {
      expect(canonicalInterval(text), text).toBeNull();
    }
  });
});
