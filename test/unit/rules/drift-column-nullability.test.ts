import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/drift-column-nullability.js';
import { brief, col, context, DOC, doc, docTable, loc, model, run, table } from './context.js';

describe('drift-column-nullability', () => {
  const docSchema = model({
    tables: [table('t', [col('a', 'text', { nullable: false, loc: loc(DOC, 16) })])],
  });
  const nullable = model({ tables: [table('t', [col('a', 'text', { nullable: true })])] });

  it('valid: same nullability', () => {
    const migrations = model({ tables: [table('t', [col('a', 'text', { nullable: false })])] });
    expect(run(rule, context({ doc: doc([docTable('t', 10)]), docSchema, migrations }))).toEqual([]);
  });

  it('valid: a markdown column table says nothing about NULL', () => {
    const d = doc([docTable('t', 10, { schema: { kind: 'column-table', columns: [], line: 12 } })]);
    expect(run(rule, context({ doc: d, docSchema, migrations: nullable }))).toEqual([]);
  });

  it('invalid: NOT NULL in the document, nullable in the migrations', () => {
    const findings = run(rule, context({ doc: doc([docTable('t', 10)]), docSchema, migrations: nullable }));
    expect(brief(findings)).toEqual([`${DOC}:16 drift-column-nullability [doc/migrations] t`]);
    expect(findings[0]?.message).toContain('is `NOT NULL` in the document but `NULL` in the migrations');
  });
});
