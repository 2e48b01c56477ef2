/** Views and materialized views in the static replay, in the shape the live catalog gives them. */
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutLocations } from '../../src/model/schema-model.js';
import { loadSqlParser, parseExpression } from '../../src/sql/parser.js';
import { type ReplayResult, replaySql } from '../../src/sql/replay.js';
import { figureColname } from '../../src/sql/replay-views.js';

beforeAll(loadSqlParser);

async function replay(...sql: string[]): Promise<ReplayResult> {
  return replaySql(sql.map((s, i) => ({ file: `m${i + 1}.sql`, sql: s })));
}

const TABLE = 'create table t (id int primary key, a text, b int)';

describe('views in the replay', () => {
  it('models CREATE VIEW and CREATE MATERIALIZED VIEW with their columns and security_invoker', async () => {
    const r = await replay(
      TABLE,
      `create view v with (security_invoker = on) as select id, a as label, upper(a), b::text, b + 1 from t;
       create materialized view stats as select count(*) as n from t;
       create view api.everything as select * from t;`,
    );
    expect(r.problems).toEqual([]);
    expect(withoutLocations(r.model).views).toEqual([
      { schema: 'api', name: 'everything', materialized: false, securityInvoker: false },
      {
        schema: 'public',
        name: 'stats',
        materialized: true,
        securityInvoker: false,
        columns: ['n'],
      },
      {
        schema: 'public',
        name: 'v',
        materialized: false,
        securityInvoker: true,
        columns: ['id', 'label', 'upper', 'b', '?column?'],
      },
    ]);
    expect(r.model.views?.find((v) => v.name === 'v')?.loc).toEqual({ file: 'm2.sql', line: 1, column: 1 });
  });

  it('takes a column list before AS over the names the query gives', async () => {
    const r = await replay(TABLE, 'create view v (x, y) as select id, a, b from t');
    expect(r.model.views?.[0]?.columns).toEqual(['x', 'y', 'b']);
  });

  it('follows CREATE OR REPLACE, ALTER VIEW SET / RESET, RENAME, RENAME COLUMN, SET SCHEMA and DROP', async () => {
    const r = await replay(
      TABLE,
      `create view v as select id from t;
       create or replace view v as select id, a from t;
       alter view v set (security_invoker = true);
       alter view v rename column a to label;
       alter table v rename to w;
       alter view w owner to postgres;
       comment on view w is 'w';
       comment on column w.label is 'the label';
       create schema s;
       alter view w set schema s;
       create materialized view m as select id from t;
       create unique index on m (id);
       alter materialized view m rename to m2;
       create view gone as select 1 as one;
       drop view gone;
       drop view if exists never_there;`,
    );
    expect(r.problems).toEqual([]);
    expect(withoutLocations(r.model).views).toEqual([
      { schema: 'public', name: 'm2', materialized: true, securityInvoker: false, columns: ['id'] },
      { schema: 's', name: 'w', materialized: false, securityInvoker: true, columns: ['id', 'label'] },
    ]);
    // The index of a materialized view is not a table's (the catalog's model keeps tables' indexes only).
    expect(r.model.indexes.map((i) => i.name)).toEqual(['t_pkey']);
  });

  it('rejects what Postgres rejects: a view over a table name, a second view of one name, DROP of a missing view', async () => {
    const r = await replay(
      TABLE,
      'create view t as select 1 as x',
      'create view v as select 1 as x',
      'create view v as select 2 as x',
      'drop view nope',
      'create table v (id int)',
    );
    expect(r.problems.map((p) => [p.file, p.message])).toEqual([
      ['m2.sql', 'relation "t" already exists'],
      ['m4.sql', 'relation "v" already exists'],
      ['m5.sql', 'view "nope" does not exist'],
      ['m6.sql', 'relation "v" already exists'],
    ]);
  });

  it('drops the views over a table dropped with CASCADE, and the views over those', async () => {
    const r = await replay(
      TABLE,
      'create table other (id int)',
      `create view v1 as select id from t;
       create view v2 as with x as (select id from v1) select id from x;
       create view v3 as select id from other;
       alter table t rename to t_renamed;
       drop table t_renamed cascade;`,
    );
    expect(r.problems).toEqual([]);
    expect(r.model.views?.map((v) => v.name)).toEqual(['v3']);
  });

  it('sees a view made inside a DO block', async () => {
    const r = await replay(
      TABLE,
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_views WHERE viewname = 'v') THEN
           CREATE VIEW v AS SELECT id FROM t;
         END IF;
       END $$`,
    );
    expect(r.problems).toEqual([]);
    expect(r.model.views?.map((v) => [v.name, v.columns])).toEqual([['v', ['id']]]);
  });
});

describe('figureColname', () => {
  const name = (expr: string) => figureColname(parseExpression(expr));

  it('names output columns as Postgres does', () => {
    expect(name('t.a')).toBe('a');
    expect(name('count(*)')).toBe('count');
    expect(name('a::text')).toBe('a');
    expect(name("'x'::text")).toBe('text');
    expect(name('1::int')).toBe('int4');
    expect(name('coalesce(a, b)')).toBe('coalesce');
    expect(name('case when a then 1 end')).toBe('case');
    expect(name('case when a then 1 else b end')).toBe('b');
    expect(name('nullif(a, b)')).toBe('nullif');
    expect(name('greatest(a, b)')).toBe('greatest');
    expect(name('current_date')).toBe('current_date');
    expect(name('exists (select 1)')).toBe('exists');
    expect(name('(select max(x) from y)')).toBe('max');
    expect(name('a + 1')).toBe('?column?');
    expect(name("'x'")).toBe('?column?');
    expect(name('t.*')).toBeUndefined();
  });
});
