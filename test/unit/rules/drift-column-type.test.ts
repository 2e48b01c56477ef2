import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/drift-column-type.js';
import { brief, col, context, DOC, doc, docTable, loc, M1, model, run, table } from './context.js';

describe('drift-column-type', () => {
  const d = doc([docTable('t', 10)]);
  const docSchema = model({
    tables: [table('t', [col('at', 'timestamp with time zone', { loc: loc(DOC, 16) }), col('n', 'integer')])],
  });

  it('valid: same types', () => {
    const migrations = model({
      tables: [table('t', [col('at', 'timestamp with time zone'), col('n', 'integer')])],
    });
    expect(run(rule, context({ doc: d, docSchema, migrations }))).toEqual([]);
  });

  it('invalid: a type that differs, with the migrations type as the suggestion', () => {
    const migrations = model({
      tables: [
        table('t', [col('at', 'timestamp without time zone'), col('n', 'integer')], { loc: loc(M1, 1) }),
      ],
    });
    const findings = run(rule, context({ doc: d, docSchema, migrations }));
    expect(brief(findings)).toEqual([`${DOC}:16 drift-column-type [doc/migrations] t`]);
    expect(findings[0]).toMatchObject({ suggestion: 'timestamp without time zone' });
    expect(findings[0]?.message).toContain(
      'is `timestamp with time zone` in the document but `timestamp without time zone` in the migrations',
    );
  });
});
