import { describe, expect, it } from 'vitest';
import unlisted from '../../../src/lint/rules/code-used-by-unlisted.js';
import { codeContext, docTable, ref } from './code-context.js';

const doc = [
  docTable('vtid_ledger', 10, {
    usedBy: [
      ['src/routes/vtid.ts', 14],
      ['./src/routes/tasks.ts', 15],
      ['schema/vtid.sql', 16],
      ['OASIS Operator', 17],
    ],
  }),
  docTable('VtidLedger', 86, { replacement: 'vtid_ledger' }),
];

describe('code-used-by-unlisted', () => {
  it('ok: every referencing file is listed; deprecated and undocumented tables are other rules', () => {
    const ctx = codeContext({
      doc,
      references: [
        ref('vtid_ledger', 'src/routes/vtid.ts', 3),
        ref('vtid_ledger', 'src/routes/tasks.ts', 4),
        ref('VtidLedger', 'src/old.ts', 1),
        ref('ghosts', 'src/old.ts', 2),
      ],
    });
    expect(unlisted.check(ctx)).toEqual([]);
  });

  it('err: one finding per file and table, at its first reference', () => {
    const ctx = codeContext({
      doc,
      references: [
        ref('vtid_ledger', 'src/board.ts', 7, 'read'),
        ref('vtid_ledger', 'src/board.ts', 9, 'write'),
      ],
    });
    expect(unlisted.check(ctx)).toEqual([
      {
        rule: 'code-used-by-unlisted',
        file: 'src/board.ts',
        line: 7,
        column: 5,
        table: 'vtid_ledger',
        message:
          'this file reads `vtid_ledger` but is not in its "Used by" in DATABASE_SCHEMA.md:10, so a migration of ' +
          'the table would miss it. Add `src/board.ts` there.',
      },
    ]);
    expect(unlisted.defaultSeverity).toBe('warn');
  });
});

describe('code-used-by-unlisted and repeatable SQL', () => {
  it('ok: policy and schema SQL files touch the tables they govern without being listed', () => {
    const ctx = codeContext({
      doc,
      references: [ref('vtid_ledger', 'policies/vtid_ledger.sql', 2, 'unknown', { via: 'sql-file' })],
    });
    expect(unlisted.check(ctx)).toEqual([]);
  });
});
