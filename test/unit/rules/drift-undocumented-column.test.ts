import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/drift-undocumented-column.js';
import { brief, col, context, DOC, doc, docTable, loc, M1, model, run, table } from './context.js';

const docSchema = model({
  tables: [table('vtid_ledger', [col('vtid'), col('status')], { loc: loc(DOC, 24) })],
});

describe('drift-undocumented-column', () => {
  it('valid: the migrations have exactly the documented columns', () => {
    const migrations = model({
      tables: [table('vtid_ledger', [col('vtid'), col('status')], { loc: loc(M1, 3) })],
    });
    expect(run(rule, context({ doc: doc([docTable('vtid_ledger', 17)]), docSchema, migrations }))).toEqual(
      [],
    );
  });

  it('invalid: each column a later migration adds, at the documented table', () => {
    const migrations = model({
      tables: [
        table('vtid_ledger', [col('vtid'), col('status'), col('last_event_id'), col('service')], {
          loc: loc(M1, 3),
        }),
      ],
    });
    const findings = run(rule, context({ doc: doc([docTable('vtid_ledger', 17)]), docSchema, migrations }));
    expect(brief(findings)).toEqual([
      `${DOC}:24 drift-undocumented-column [doc/migrations] vtid_ledger`,
      `${DOC}:24 drift-undocumented-column [doc/migrations] vtid_ledger`,
    ]);
    expect(findings.map((f) => f.message.match(/`vtid_ledger\.(\w+)`/)?.[1])).toEqual([
      'last_event_id',
      'service',
    ]);
  });

  it('invalid (--db): a column added by hand in the database', () => {
    const migrations = model({
      tables: [table('vtid_ledger', [col('vtid'), col('status')], { loc: loc(M1, 3) })],
    });
    const database = model({ tables: [table('vtid_ledger', [col('vtid'), col('status'), col('hotfix')])] });
    const findings = run(
      rule,
      context({ doc: doc([docTable('vtid_ledger', 17)]), docSchema, migrations, database }),
    );
    expect(brief(findings)).toEqual([`${M1}:3 drift-undocumented-column [migrations/database] vtid_ledger`]);
    expect(findings[0]?.message).toContain('`vtid_ledger.hotfix`');
  });
});
