import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/doc-misplaced-table.js';
import { brief, context, DOC, doc, docTable, run } from './context.js';

describe('doc-misplaced-table', () => {
  it('valid: a deprecated table under DEPRECATED, a live one under PRODUCTION TABLES', () => {
    const d = doc([
      docTable('orders', 10),
      docTable('Orders', 40, {
        section: 'deprecated',
        schema: null,
        deprecation: { reason: 'naming', replacement: 'orders', line: 41 },
      }),
    ]);
    expect(run(rule, context({ doc: d }))).toEqual([]);
  });

  it('invalid: a table under DEPRECATED that is not deprecated', () => {
    const d = doc([docTable('services_catalog', 50, { section: 'deprecated' })]);
    const findings = run(rule, context({ doc: d }));
    expect(brief(findings)).toEqual([`${DOC}:50 doc-misplaced-table services_catalog`]);
    expect(findings[0]?.message).toMatch(/Move its entry under PRODUCTION TABLES/);
  });

  it('reports a table once when the parser already flagged it', () => {
    const d = doc([docTable('x', 50, { section: 'deprecated' })], {
      problems: [{ rule: 'doc-misplaced-table', line: 50, column: 1, message: 'misplaced', table: 'x' }],
    });
    expect(run(rule, context({ doc: d }))).toHaveLength(1);
  });
});
