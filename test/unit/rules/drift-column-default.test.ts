import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/drift-column-default.js';
import { brief, col, context, DOC, doc, docTable, loc, model, run, table } from './context.js';

describe('drift-column-default', () => {
  const docSchema = model({
    tables: [table('t', [col('m', 'jsonb', { default: null, loc: loc(DOC, 16) })])],
  });

  it('valid: same default', () => {
    const migrations = model({ tables: [table('t', [col('m', 'jsonb')])] });
    expect(run(rule, context({ doc: doc([docTable('t', 10)]), docSchema, migrations }))).toEqual([]);
  });

  it('invalid: a default only the migrations give, as a warning', () => {
    const migrations = model({ tables: [table('t', [col('m', 'jsonb', { default: "'{}'::jsonb" })])] });
    const findings = run(rule, context({ doc: doc([docTable('t', 10)]), docSchema, migrations }));
    expect(brief(findings)).toEqual([`${DOC}:16 drift-column-default [doc/migrations] t`]);
    expect(findings[0]?.severity).toBe('warning');
    expect(findings[0]?.message).toContain("is `no default` in the document but `DEFAULT '{}'::jsonb`");
  });
});
