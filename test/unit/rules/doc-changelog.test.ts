import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/doc-changelog.js';
import { brief, context, DOC, doc, run } from './context.js';

const row = (date: string, line: number, change = 'Added a table') => ({
  date,
  change,
  author: null,
  vtid: null,
  line,
});

describe('doc-changelog', () => {
  it('valid: ISO dates in order (same day twice is fine)', () => {
    const d = doc([], { changelog: [row('2025-11-11', 90), row('2025-11-11', 91), row('2026-01-03', 92)] });
    expect(run(rule, context({ doc: d }))).toEqual([]);
  });

  it('invalid: a date that is not YYYY-MM-DD and a row out of order, as warnings', () => {
    const d = doc([], {
      changelog: [row('2025-10-01', 89), row('2025-12-31', 90), row('11/11/2025', 91), row('2025-11-11', 92)],
    });
    const findings = run(rule, context({ doc: d }));
    expect(brief(findings)).toEqual([`${DOC}:91 doc-changelog`, `${DOC}:92 doc-changelog`]);
    expect(findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(findings[1]?.message).toContain('sits after a row of 2025-12-31');
  });

  it('invalid: an empty change', () => {
    const d = doc([], { changelog: [row('2025-12-31', 90, ' ')] });
    expect(brief(run(rule, context({ doc: d })))).toEqual([`${DOC}:90 doc-changelog`]);
  });

  it('two misplaced rows at the top of a long log are two findings, not one per later row', () => {
    const dates = [
      '2026-07-21',
      '2026-07-20',
      '2025-11-11',
      '2025-12-31',
      '2026-01-03',
      '2026-04-19',
      '2026-07-17',
    ];
    const d = doc([], { changelog: dates.map((date, i) => row(date, 100 + i)) });
    const findings = run(rule, context({ doc: d }));
    expect(brief(findings)).toEqual([`${DOC}:100 doc-changelog`, `${DOC}:101 doc-changelog`]);
    expect(findings[0]?.message).toContain(
      'goes oldest to newest and this row sits before a row of 2025-11-11',
    );
  });

  it('a newest-first log is a direction too', () => {
    const d = doc([], {
      changelog: ['2026-03-01', '2026-02-01', '2025-01-01', '2026-01-01', '2025-06-01'].map((date, i) =>
        row(date, 10 + i),
      ),
    });
    const findings = run(rule, context({ doc: d }));
    expect(brief(findings)).toEqual([`${DOC}:12 doc-changelog`]);
    expect(findings[0]?.message).toContain('newest to oldest');
  });
});
