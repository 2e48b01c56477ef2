import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/drift-missing-table.js';
import { replaySql } from '../../../src/sql/replay.js';
import { brief, col, context, DOC, doc, docTable, loc, M1, model, run, table } from './context.js';

const migrations = model({ tables: [table('vtid_ledger', [col('vtid')], { loc: loc(M1, 3) })] });

describe('drift-missing-table', () => {
  it('valid: documented tables exist; a deprecated entry is not expected to', () => {
    const d = doc([
      docTable('vtid_ledger', 10),
      docTable('VtidLedger', 60, {
        section: 'deprecated',
        schema: null,
        deprecation: { reason: 'naming', replacement: 'vtid_ledger', line: 61 },
      }),
    ]);
    const docSchema = model({ tables: [table('vtid_ledger', [col('vtid')], { loc: loc(DOC, 15) })] });
    expect(run(rule, context({ doc: d, docSchema, migrations }))).toEqual([]);
  });

  it('invalid: a documented table no migration creates, with or without a schema block', () => {
    const d = doc([
      docTable('vtid_ledger', 10),
      docTable('offers', 30),
      docTable('ghosts', 50, { schema: null }),
    ]);
    const docSchema = model({
      tables: [
        table('vtid_ledger', [col('vtid')], { loc: loc(DOC, 15) }),
        table('offers', [col('id')], { loc: loc(DOC, 35) }),
      ],
    });
    const findings = run(rule, context({ doc: d, docSchema, migrations }));
    expect(brief(findings)).toEqual([
      `${DOC}:35 drift-missing-table [doc/migrations] offers`,
      `${DOC}:50 drift-missing-table [doc/migrations] ghosts`,
    ]);
    expect(findings[0]?.message).toContain(
      'Write the migration that creates it, or remove it from the document',
    );
  });

  it('invalid (--db): a migrated table dropped by hand', () => {
    const d = doc([docTable('vtid_ledger', 10)]);
    const docSchema = model({ tables: [table('vtid_ledger', [col('vtid')], { loc: loc(DOC, 15) })] });
    const findings = run(rule, context({ doc: d, docSchema, migrations, database: model() }));
    expect(brief(findings)).toEqual([`${M1}:3 drift-missing-table [migrations/database] vtid_ledger`]);
  });

  it('valid: a documented table the migrations touch but leave to be made elsewhere, or the config lists', async () => {
    const replayed = (
      await replaySql([
        { file: M1, sql: 'create table a (id int);\nalter table profiles add column bio text;' },
      ])
    ).model;
    const d = doc(
      ['profiles', 'audit', 'ghosts'].map((name, i) => docTable(name, 10 + 20 * i, { schema: null })),
    );
    const findings = run(
      rule,
      context({ doc: d, migrations: replayed, config: { externalTables: ['audit'] } }),
    );
    expect(brief(findings)).toEqual([`${DOC}:50 drift-missing-table [doc/migrations] ghosts`]);
  });
});
