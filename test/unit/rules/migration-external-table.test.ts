import { describe, expect, it } from 'vitest';
import rule from '../../../src/lint/rules/migration-external-table.js';
import { replaySql } from '../../../src/sql/replay.js';
import { context, run } from './context.js';

async function migrations(files: Record<string, string>) {
  return (await replaySql(Object.entries(files).map(([file, sql]) => ({ file, sql })))).model;
}

describe('migration-external-table', () => {
  it('reports one table made elsewhere once, at its first statement, with the other files as related places', async () => {
    const model = await migrations({
      'm/1_a.sql': 'create table users (id int primary key);\nalter table audit_log add column who int;',
      'm/2_b.sql': 'create index audit_log_who_idx on audit_log (who);',
      'm/3_c.sql': 'alter table audit_log enable row level security;',
    });
    const findings = run(rule, context({ migrations: model }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      file: 'm/1_a.sql',
      line: 2,
      severity: 'warning',
      table: 'audit_log',
      related: [
        { file: 'm/2_b.sql', line: 1, column: 1 },
        { file: 'm/3_c.sql', line: 1, column: 1 },
      ],
    });
    expect(findings[0]?.message).toContain('m/1_a.sql and 2 other migration files touch it');
    expect(findings[0]?.message).not.toContain('Did you mean');
  });

  it('suggests an existing table only when the name is a plausible misspelling of it', async () => {
    const model = await migrations({
      'm/1.sql': [
        'create table vtid_ledger (id int primary key);',
        'create table user_consents (id int primary key);',
        'alter table vtid_ledgr add column x int;',
        'alter table user_intents add column x int;',
      ].join('\n'),
    });
    const findings = run(rule, context({ migrations: model }));
    expect(findings.map((f) => [f.table, f.suggestion ?? null])).toEqual([
      ['vtid_ledgr', 'vtid_ledger'],
      ['user_intents', null],
    ]);
  });

  it('says when a table is used before the migration that creates it', async () => {
    const model = await migrations({
      'm/1.sql': 'create index t_x_idx on t (x);',
      'm/2.sql': 'create table t (x int);',
    });
    const [f] = run(rule, context({ migrations: model }));
    expect(f?.message).toContain('used before it is created');
    expect(f?.message).toContain('m/2.sql:1');
  });

  it('says when a later CREATE TABLE IF NOT EXISTS did nothing because the table was there', async () => {
    const model = await migrations({
      'm/1.sql': 'alter table t add column y int;',
      'm/2.sql': 'create table if not exists t (x int);',
    });
    const findings = run(rule, context({ migrations: model }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: 'm/1.sql', line: 1, table: 't' });
    expect(findings[0]?.message).toContain('CREATE TABLE IF NOT EXISTS at m/2.sql:1 comes later');
    expect(findings[0]?.message).toContain('its columns unknown');
  });

  it('is satisfied by the tables the config lists, by name or by schema', async () => {
    const model = await migrations({
      'm/1.sql': 'alter table legacy add column x int;\ncreate policy p on billing.invoices using (true);',
    });
    expect(run(rule, context({ migrations: model })).map((f) => f.table)).toEqual([
      'legacy',
      'billing.invoices',
    ]);
    expect(
      run(rule, context({ migrations: model, config: { externalTables: ['legacy', 'billing.*'] } })),
    ).toEqual([]);
    expect(
      run(rule, context({ migrations: await migrations({ 'm/1.sql': 'create table a (id int);' }) })),
    ).toEqual([]);
  });
});

describe('migration-external-table and files that do not parse', () => {
  it("a table that an earlier, unparsable file meant to create is that file's finding, not an external table", async () => {
    const model = await migrations({
      'm/1.sql': "create table bootstrap_cache (k text);\ncomment on table bootstrap_cache is 'a' || 'b';",
      'm/2.sql': 'alter table bootstrap_cache enable row level security;',
    });
    expect(model.externalTables?.map((e) => [e.name, e.inFailedFile?.file])).toEqual([
      ['bootstrap_cache', 'm/1.sql'],
    ]);
    expect(run(rule, context({ migrations: model }))).toEqual([]);
  });
});
