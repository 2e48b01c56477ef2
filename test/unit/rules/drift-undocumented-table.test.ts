import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/drift-undocumented-table.js';
import { brief, col, context, doc, docTable, loc, M1, model, run, table } from './context.js';

const migrations = model({
  tables: [
    table('orders', [col('id')], { loc: loc(M1, 3) }),
    table('pgmigrations', [col('id')]),
    table('users', [col('id')], { schema: 'auth', loc: loc(M1, 30) }),
  ],
});

describe('drift-undocumented-table', () => {
  it('valid: every table of the migrations is documented (auth shims and bookkeeping are not ours)', () => {
    const ctx = context({
      doc: doc([docTable('orders', 10)]),
      docSchema: model({ tables: [table('orders', [col('id')])] }),
      migrations,
    });
    expect(run(rule, ctx)).toEqual([]);
  });

  it('valid: a table named by the document without a schema block counts as documented', () => {
    const ctx = context({ doc: doc([docTable('orders', 10, { schema: null })]), migrations });
    expect(run(rule, ctx)).toEqual([]);
  });

  it('invalid: a migrated table the document does not describe, at its CREATE TABLE', () => {
    const ctx = context({ doc: doc([]), migrations });
    const findings = run(rule, ctx);
    expect(brief(findings)).toEqual([`${M1}:3 drift-undocumented-table [doc/migrations] orders`]);
    expect(findings[0]?.message).toContain('Add it to a new `### orders` entry');
  });

  it('invalid (--db): a table created by hand in the database is held to the migrations', () => {
    const database = model({ tables: [...migrations.tables, table('scratch', [col('id')])] });
    const ctx = context({
      doc: doc([docTable('orders', 10)]),
      docSchema: model({ tables: [table('orders', [col('id')])] }),
      migrations,
      database,
    });
    const findings = run(rule, ctx);
    expect(brief(findings)).toEqual([`${M1}:1 drift-undocumented-table [migrations/database] scratch`]);
    expect(findings[0]?.message).toContain('no migration creates it');
  });
});
