import { beforeAll, describe, expect, it } from 'vitest';
import { findTransactionControl, noTransactionMarker } from '../../src/migrate/transaction-control.js';
import { loadSqlParser } from '../../src/sql/parser.js';

beforeAll(async () => {
  await loadSqlParser();
});

const names = (sql: string, firstLine = 1) =>
  findTransactionControl(sql, 'm.sql', firstLine).map(
    (t) => `${t.line}:${t.column} ${t.kind} ${t.statement}`,
  );

describe('findTransactionControl', () => {
  it('finds every statement that opens or ends a transaction, with its line', () => {
    const sql = [
      'create table t (a int);',
      'commit;',
      'begin;',
      "savepoint s; release savepoint s; rollback to savepoint s; prepare transaction 'x';",
      'start transaction; end; abort;',
    ].join('\n');
    expect(names(sql, 10)).toEqual([
      '11:1 transaction-statement COMMIT',
      '12:1 transaction-statement BEGIN',
      '13:1 transaction-statement SAVEPOINT',
      '13:14 transaction-statement RELEASE SAVEPOINT',
      '13:35 transaction-statement ROLLBACK TO SAVEPOINT',
      '13:60 transaction-statement PREPARE TRANSACTION',
      '14:1 transaction-statement START TRANSACTION',
      '14:20 transaction-statement COMMIT',
      '14:25 transaction-statement ROLLBACK',
    ]);
  });

  it('finds statements Postgres refuses inside a transaction block, and leaves their in-transaction forms', () => {
    const sql = `vacuum t;
analyze t;
create index concurrently i on t (a);
create index j on t (a);
drop index concurrently i;
drop index j;
reindex index concurrently i;
reindex index i;
alter table t detach partition p concurrently;
alter table t detach partition p;
create database x;
alter system set work_mem = '1MB';
cluster;
cluster t using i;
refresh materialized view concurrently m;`;
    expect(names(sql)).toEqual([
      '1:1 outside-transaction-only VACUUM',
      '3:1 outside-transaction-only CREATE INDEX CONCURRENTLY',
      '5:1 outside-transaction-only DROP INDEX CONCURRENTLY',
      '7:1 outside-transaction-only REINDEX CONCURRENTLY',
      '9:1 outside-transaction-only DETACH PARTITION CONCURRENTLY',
      '11:1 outside-transaction-only CREATE DATABASE',
      '12:1 outside-transaction-only ALTER SYSTEM',
      '13:1 outside-transaction-only CLUSTER (every table)',
    ]);
  });

  it('allows the autocommit statements under the no-transaction marker, never a COMMIT', () => {
    const sql = '-- dbcanon:no-transaction\ncreate index concurrently i on t (a);\ncommit;\n';
    expect(noTransactionMarker(sql, 5)).toBe(5);
    expect(names(sql, 5)).toEqual(['7:1 transaction-statement COMMIT']);
  });

  it('does not take a marker that is part of another comment or a string', () => {
    expect(
      noTransactionMarker("-- see dbcanon:no-transaction\nselect '-- dbcanon:no-transaction';"),
    ).toBeNull();
    expect(noTransactionMarker('  --  DBCANON : no-transaction  \nvacuum;')).toBe(1);
  });

  it('ignores transaction words inside function bodies and strings', () => {
    const sql = `create function f() returns void language plpgsql as $$ begin commit; end $$;
select 'commit;';
do $$ begin perform 1; end $$;`;
    expect(names(sql)).toEqual([]);
  });

  it('gives nothing for a section the parser rejects', () => {
    expect(names('commit; create tabel x;')).toEqual([]);
  });
});
