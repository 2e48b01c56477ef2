import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/drift-rls.js';
import { brief, col, context, loc, M1, model, run, table } from './context.js';

const migrations = model({ tables: [table('offers', [col('id')], { rlsEnabled: true, loc: loc(M1, 4) })] });

describe('drift-rls', () => {
  it('valid: without --db there is nothing to compare', () => {
    expect(run(rule, context({ migrations }))).toEqual([]);
  });

  it('valid: the database has the flags the files set', () => {
    expect(run(rule, context({ migrations, database: migrations }))).toEqual([]);
  });

  it('invalid: RLS disabled by hand', () => {
    const database = model({ tables: [table('offers', [col('id')], { rlsEnabled: false })] });
    const findings = run(rule, context({ migrations, database }));
    expect(brief(findings)).toEqual([`${M1}:4 drift-rls [migrations/database] offers`]);
    expect(findings[0]?.message).toContain('enabled in the migrations but disabled in the database');
    expect(findings[0]?.message).toContain('every role with a grant');
  });
});
