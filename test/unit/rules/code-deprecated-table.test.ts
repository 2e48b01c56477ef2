import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/code-deprecated-table.js';
import { codeContext, docTable, ref } from './code-context.js';

const doc = [
  docTable('vtid_ledger', 10),
  docTable('VtidLedger', 86, { replacement: 'vtid_ledger', reason: 'Naming convention mismatch.' }),
  docTable('old_audit', 95, { section: 'deprecated' }),
];

describe('code-deprecated-table', () => {
  it('ok: only live tables are used', () => {
    const ctx = codeContext({ doc, references: [ref('vtid_ledger', 'src/a.ts', 1, 'write')] });
    expect(rule.check(ctx)).toEqual([]);
  });

  it('err: a deprecated table, with the replacement as suggestion and the split between writer and reader', () => {
    const ctx = codeContext({
      doc,
      references: [
        ref('VtidLedger', 'src/routes/vtid.ts', 12, 'write'),
        ref('vtid_ledger', 'src/routes/tasks.ts', 5, 'read'),
      ],
    });
    expect(rule.check(ctx)).toEqual([
      {
        rule: 'code-deprecated-table',
        file: 'src/routes/vtid.ts',
        line: 12,
        column: 5,
        table: 'VtidLedger',
        suggestion: 'vtid_ledger',
        message:
          '`VtidLedger` is deprecated in DATABASE_SCHEMA.md:86 (Naming convention mismatch). The table is split: ' +
          'written here as `VtidLedger` but read as `vtid_ledger` at src/routes/tasks.ts:5, so these writes never ' +
          'show up in those reads. Use `vtid_ledger` instead.',
      },
    ]);
  });

  it('err: a reader of the deprecated spelling is told it never sees the writes', () => {
    const ctx = codeContext({
      doc,
      references: [
        ref('VtidLedger', 'src/board.ts', 3, 'read'),
        ref('vtid_ledger', 'src/ingest.ts', 9, 'write'),
      ],
    });
    expect(rule.check(ctx)[0]?.message).toContain(
      'read here as `VtidLedger` but written as `vtid_ledger` at src/ingest.ts:9, so this read never sees those writes',
    );
  });

  it('err: a table under the deprecated heading without a named replacement has no suggestion', () => {
    const ctx = codeContext({ doc, references: [ref('old_audit', 'src/a.ts', 7)] });
    const [f] = rule.check(ctx);
    expect(f?.suggestion).toBeUndefined();
    expect(f?.message).toBe(
      '`old_audit` is deprecated in DATABASE_SCHEMA.md:95. Move this code to the table that replaced it.',
    );
  });
});
