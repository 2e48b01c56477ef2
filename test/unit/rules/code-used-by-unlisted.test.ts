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

describe('code-used-by-unlisted and the ways documents write Used by', () => {
  it('ok: a bare file name (also in a note) and "Same as `other_table`" list the files they name', () => {
    const docs = [
      docTable('decision_policy', 10, { usedBy: [['services/gateway/src/services/policy-resolver.ts', 11]] }),
      docTable('policy_render_block', 20, { usedBy: [['Same as `decision_policy`', 21]] }),
      docTable('shop_video_anchors', 30, { usedBy: [['shop-feed.ts', 31]] }),
    ];
    const anchors = docs[2];
    if (anchors?.usedBy[0]) anchors.usedBy[0].note = '+ `universal-cart.ts` attribution';
    const ctx = codeContext({
      doc: docs,
      references: [
        ref('policy_render_block', 'services/gateway/src/services/policy-resolver.ts', 3),
        ref('shop_video_anchors', 'services/gateway/src/routes/shop-feed.ts', 4),
        ref('shop_video_anchors', 'services/gateway/src/routes/universal-cart.ts', 5),
      ],
    });
    expect(unlisted.check(ctx)).toEqual([]);
    // Another file of the group is still unlisted.
    const more = codeContext({
      doc: docs,
      references: [ref('policy_render_block', 'services/gateway/src/routes/admin.ts', 3)],
    });
    expect(unlisted.check(more).map((f) => f.table)).toEqual(['policy_render_block']);
  });
});
