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
    const d = doc([], { changelog: [row('2025-12-31', 90), row('11/11/2025', 91), row('2025-11-11', 92)] });
    const findings = run(rule, context({ doc: d }));
    expect(brief(findings)).toEqual([`${DOC}:91 doc-changelog`, `${DOC}:92 doc-changelog`]);
    expect(findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(findings[1]?.message).toContain('after a row of 2025-12-31');
  });

  it('invalid: an empty change', () => {
    const d = doc([], { changelog: [row('2025-12-31', 90, ' ')] });
    expect(brief(run(rule, context({ doc: d })))).toEqual([`${DOC}:90 doc-changelog`]);
  });
});
