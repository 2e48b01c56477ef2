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

  it("err: one finding per table, at its entry, with each unlisted file's first use related", () => {
    const ctx = codeContext({
      doc,
      references: [
        ref('vtid_ledger', 'src/board.ts', 9, 'write'),
        ref('vtid_ledger', 'src/board.ts', 7, 'read'),
        ref('vtid_ledger', 'src/admin.ts', 3, 'read'),
      ],
    });
    expect(unlisted.check(ctx)).toEqual([
      {
        rule: 'code-used-by-unlisted',
        file: 'DATABASE_SCHEMA.md',
        line: 10,
        column: 1,
        table: 'vtid_ledger',
        related: [
          { file: 'src/admin.ts', line: 3, column: 5, message: 'reads `vtid_ledger`' },
          { file: 'src/board.ts', line: 7, column: 5, message: 'reads `vtid_ledger`' },
        ],
        message:
          '2 files use `vtid_ledger` but are not in its "Used by" (`src/admin.ts`, `src/board.ts`), so a migration ' +
          'of the table would miss them. Add them there.',
      },
    ]);
    expect(unlisted.defaultSeverity).toBe('warn');
  });

  it('ok: test files and mocks are not expected in Used by', () => {
    const ctx = codeContext({
      doc,
      references: [
        ref('vtid_ledger', 'test/services/board.test.ts', 9),
        ref('vtid_ledger', 'src/__mocks__/db.ts', 2),
        ref('vtid_ledger', 'src/board.spec.ts', 2),
      ],
    });
    expect(unlisted.check(ctx)).toEqual([]);
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
