import { describe, expect, it } from 'vitest';
import rule, { isPlural, pluralize } from '../../../src/lint/rules/naming-plural-table.js';
import { brief, col, context, loc, M1, model, run, table } from './context.js';

describe('naming-plural-table', () => {
  it('knows plurals', () => {
    expect(['tasks', 'agents', 'data', 'cost_records'.split('_')[1] ?? ''].every(isPlural)).toBe(true);
    expect(['ledger', 'status', 'memory', 'address'].some(isPlural)).toBe(false);
    expect([pluralize('memory'), pluralize('status'), pluralize('ledger')]).toEqual([
      'memories',
      'statuses',
      'ledgers',
    ]);
  });

  it('is off in the recommended preset', () => {
    const migrations = model({ tables: [table('vtid_ledger', [col('a')])] });
    expect(run(rule, context({ migrations }))).toEqual([]);
  });

  it('valid (strict): plural names', () => {
    const migrations = model({ tables: [table('tasks', [col('a')]), table('cost_records', [col('a')])] });
    expect(run(rule, context({ migrations }), 'strict')).toEqual([]);
  });

  it('invalid (strict): a singular name is an error with the plural as suggestion', () => {
    const migrations = model({ tables: [table('vtid_ledger', [col('a')], { loc: loc(M1, 2) })] });
    const findings = run(rule, context({ migrations }), 'strict');
    expect(brief(findings)).toEqual([`${M1}:2 naming-plural-table vtid_ledger`]);
    expect(findings[0]).toMatchObject({ severity: 'error', suggestion: 'vtid_ledgers' });
  });
});
