import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/drift-missing-column.js';
import { brief, col, context, DOC, doc, docTable, loc, M1, model, run, table } from './context.js';

describe('drift-missing-column', () => {
  const d = doc([docTable('t', 10)]);
  it('valid: every documented column exists', () => {
    const docSchema = model({ tables: [table('t', [col('a', 'text', { loc: loc(DOC, 16) })])] });
    const migrations = model({ tables: [table('t', [col('a'), col('b')], { loc: loc(M1, 1) })] });
    expect(run(rule, context({ doc: d, docSchema, migrations }))).toEqual([]);
  });

  it('invalid: a documented column the migrations never create, at its line in the document', () => {
    const docSchema = model({
      tables: [
        table('t', [col('a', 'text', { loc: loc(DOC, 16) }), col('gone', 'text', { loc: loc(DOC, 17) })]),
      ],
    });
    const migrations = model({ tables: [table('t', [col('a')], { loc: loc(M1, 1) })] });
    const findings = run(rule, context({ doc: d, docSchema, migrations }));
    expect(brief(findings)).toEqual([`${DOC}:17 drift-missing-column [doc/migrations] t`]);
    expect(findings[0]?.message).toContain('`t.gone`');
  });
});
