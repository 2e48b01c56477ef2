import { describe, expect, it } from 'vitest';
import rule, { checkValues } from '../../../src/lint/rules/drift-status-values.js';
import { brief, check, col, context, DOC, doc, docTable, model, run, table } from './context.js';

const values = ['pending', 'active', 'complete'];
const d = doc([
  docTable('vtid_ledger', 10, {
    statusValues: [{ column: 'status', values, origin: 'sql-comment', line: 18 }],
  }),
]);
const docSchema = model({ tables: [table('vtid_ledger', [col('status')])] });
const withCheck = (expr: string) =>
  model({
    tables: [table('vtid_ledger', [col('status')], { constraints: [check('vtid_ledger', 'status', expr)] })],
  });

describe('drift-status-values', () => {
  it('reads the values of both CHECK spellings', () => {
    expect(checkValues("(status = ANY (ARRAY['a'::text, 'it''s'::text]))")).toEqual(['a', "it's"]);
    expect(checkValues("status IN ('x', 'y')")).toEqual(['x', 'y']);
  });

  it('valid: the CHECK allows exactly the documented values, in any order', () => {
    const migrations = withCheck("(status = ANY (ARRAY['complete'::text, 'pending'::text, 'active'::text]))");
    expect(run(rule, context({ doc: d, docSchema, migrations }))).toEqual([]);
  });

  it('invalid: the CHECK allows a value the document does not list and refuses one it does', () => {
    const migrations = withCheck("(status = ANY (ARRAY['pending'::text, 'active'::text, 'blocked'::text]))");
    const findings = run(rule, context({ doc: d, docSchema, migrations }));
    expect(brief(findings)).toEqual([`${DOC}:18 drift-status-values [doc/migrations] vtid_ledger`]);
    expect(findings[0]?.message).toContain('documented but refused by the CHECK: `complete`');
    expect(findings[0]?.message).toContain('allowed by the CHECK but not documented: `blocked`');
    expect(findings[0]?.suggestion).toBe('pending, active, blocked');
  });

  it('invalid: documented values that no CHECK enforces', () => {
    const findings = run(rule, context({ doc: d, docSchema, migrations: docSchema }));
    expect(brief(findings)).toEqual([`${DOC}:18 drift-status-values [doc/migrations] vtid_ledger`]);
    expect(findings[0]?.message).toContain('enforce none');
  });
});
