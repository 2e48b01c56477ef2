import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/code-table-case.js';
import { codeContext, docTable, ref } from './code-context.js';

describe('code-table-case', () => {
  it('ok: exact spellings, and unknown names that are not spellings of a known table', () => {
    const ctx = codeContext({
      doc: [docTable('vtid_ledger', 10)],
      references: [ref('vtid_ledger', 'src/a.ts', 1), ref('ghosts', 'src/a.ts', 2)],
    });
    expect(rule.check(ctx)).toEqual([]);
  });

  it('ok: a documented (deprecated) spelling is code-deprecated-table, not a case problem', () => {
    const ctx = codeContext({
      doc: [docTable('vtid_ledger', 10), docTable('VtidLedger', 86, { replacement: 'vtid_ledger' })],
      references: [ref('VtidLedger', 'src/a.ts', 1)],
    });
    expect(rule.check(ctx)).toEqual([]);
  });

  it('err: one logical table written under one spelling and read under another', () => {
    const ctx = codeContext({
      doc: [docTable('oasis_events', 10)],
      migrations: ['oasis_events'],
      references: [
        ref('OasisEvents', 'src/ingest.ts', 4, 'write'),
        ref('oasis_events', 'src/feed.ts', 8, 'read'),
      ],
    });
    expect(rule.check(ctx)).toEqual([
      {
        rule: 'code-table-case',
        file: 'src/ingest.ts',
        line: 4,
        column: 5,
        table: 'OasisEvents',
        suggestion: 'oasis_events',
        message:
          '`OasisEvents` differs from the table `oasis_events` only in case or underscores; Postgres treats them as ' +
          'different tables. The table is split: written here as `OasisEvents` but read as `oasis_events` at ' +
          'src/feed.ts:8, so these writes never show up in those reads. Write `oasis_events`.',
      },
    ]);
  });

  it('err: a migrated table spelled differently, without another user', () => {
    const ctx = codeContext({
      migrations: ['relationship_edges'],
      references: [ref('relationshipEdges', 'src/g.ts', 2)],
    });
    const [f] = rule.check(ctx);
    expect(f?.suggestion).toBe('relationship_edges');
    expect(f?.message).not.toContain('split');
  });
});
