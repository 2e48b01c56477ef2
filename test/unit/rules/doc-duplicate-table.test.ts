import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/doc-duplicate-table.js';
import { brief, context, DOC, doc, docTable, run } from './context.js';

describe('doc-duplicate-table', () => {
  it('valid: each table once (names are case-sensitive)', () => {
    expect(
      run(rule, context({ doc: doc([docTable('a', 10), docTable('A', 20), docTable('b', 30)]) })),
    ).toEqual([]);
  });

  it('invalid: the second entry of a table, pointing back at the first', () => {
    const findings = run(
      rule,
      context({ doc: doc([docTable('a', 10), docTable('b', 20), docTable('a', 30)]) }),
    );
    expect(brief(findings)).toEqual([`${DOC}:30 doc-duplicate-table a`]);
    expect(findings[0]?.message).toContain('first at line 10');
  });
});
