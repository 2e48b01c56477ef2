import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/doc-syntax.js';
import { brief, context, DOC, doc, docTable, run } from './context.js';

describe('doc-syntax', () => {
  it('valid: a document without parse problems', () => {
    expect(run(rule, context({ doc: doc([docTable('t', 10)]) }))).toEqual([]);
  });

  it('invalid: a block that does not parse is an error at its line and column', () => {
    const d = doc([docTable('t', 10)], {
      problems: [
        { rule: 'doc-syntax', line: 16, column: 9, message: 'syntax error at or near "TEXTT"', table: 't' },
      ],
    });
    const findings = run(rule, context({ doc: d }));
    expect(brief(findings)).toEqual([`${DOC}:16 doc-syntax t`]);
    expect(findings[0]).toMatchObject({ severity: 'error', column: 9 });
    expect(findings[0]?.message).toContain('TEXTT');
  });

  it("valid: other rules' parse problems are not doc-syntax", () => {
    const d = doc([], { problems: [{ rule: 'doc-encoding', line: 3, column: 1, message: 'x' }] });
    expect(run(rule, context({ doc: d }))).toEqual([]);
  });
});
