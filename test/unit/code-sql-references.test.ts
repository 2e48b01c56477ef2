import { beforeAll, describe, expect, it } from 'vitest';
import { functionNameCandidates, loadSqlParser, scanSqlText } from '../../src/code/sql-references.js';

beforeAll(async () => {
  await loadSqlParser();
});

const rels = (sql: string) =>
  (scanSqlText(sql)?.relations ?? [])
    .map((r) => `${r.schema ? `${r.schema}.` : ''}${r.name} ${r.kind}`)
    .sort();

describe('SQL relation references', () => {
  it('tells writes from reads and leaves CTE names out', () => {
    expect(rels('with x as (select * from a) insert into b select * from x join c on true')).toEqual([
      'a read',
      'b write',
      'c read',
    ]);
    expect(rels('update t set v = 1 from u where t.id = u.id')).toEqual(['t write', 'u read']);
    expect(rels('delete from s.t using u where s.t.id = u.id')).toEqual(['s.t write', 'u read']);
    expect(rels('merge into t using u on t.id = u.id when matched then delete')).toEqual([
      't write',
      'u read',
    ]);
    expect(rels('truncate a, b')).toEqual(['a write', 'b write']);
    expect(rels('select * from a where exists (select 1 from b)')).toEqual(['a read', 'b read']);
  });

  it('names the table DDL touches, and what the SQL defines separately', () => {
    const scan = scanSqlText(`
      create table audit_log (id int references vtid_ledger (vtid));
      create view open_vtids as select * from vtid_ledger where status = 'open';
      create policy "Members read" on offers using (exists (select 1 from memberships m));
      create trigger t before update on vtid_ledger for each row execute function set_updated_at();
    `);
    expect(scan?.definitions.map((d) => `${d.kind} ${d.name}`)).toEqual([
      'table audit_log',
      'view open_vtids',
    ]);
    expect((scan?.relations ?? []).map((r) => `${r.name} ${r.kind}`)).toEqual([
      'vtid_ledger unknown',
      'vtid_ledger read',
      'offers unknown',
      'memberships read',
      'vtid_ledger unknown',
    ]);
  });

  it('reads the statements inside SQL and PL/pgSQL function bodies, at their position', () => {
    const sql = `create or replace function vtid_next(p_year int default 2026) returns text
language plpgsql as $$
declare
  v_next int;
begin
  -- insert into commented_out values (1);
  select coalesce(max(seq), 0) + 1 into v_next from vtid_sequences where year = p_year;
  insert into vtid_sequences (year, seq) values (p_year, v_next) returning seq into v_next;
  perform pg_notify('vtid', v_next::text) from oasis_events limit 1;
  update vtid_ledger set updated_at = now() where false;
  return v_next::text;
end $$;
create function count_events() returns bigint language sql as $fn$ select count(*) from oasis_events $fn$;`;
    const scan = scanSqlText(sql);
    expect(scan?.definitions.map((d) => `${d.kind} ${d.name}`)).toEqual([
      'function vtid_next',
      'function count_events',
    ]);
    const found = (scan?.relations ?? []).map((r) => ({
      s: `${r.name} ${r.kind}`,
      at: sql.slice(r.index, r.index + r.name.length),
    }));
    expect(found.map((f) => f.s)).toEqual([
      'vtid_sequences read',
      'vtid_sequences write',
      'oasis_events read',
      'vtid_ledger write',
      'oasis_events read',
    ]);
    for (const f of found) expect(f.s.startsWith(f.at)).toBe(true);
  });

  it('gives null for text that is not SQL', () => {
    expect(scanSqlText('{ vtid_ledger { vtid } }')).toBeNull();
    expect(scanSqlText('and status = $1')).toBeNull();
  });
});

describe('SQL definitions for the code rules', () => {
  it('records what each function touches and calls, and trigger transition tables as relations', () => {
    const scan = scanSqlText(`
      create function a() returns void language sql as $$ insert into audit_log select * from vtid_ledger; select b() $$;
      create trigger t after insert on oasis_events referencing new table as inserted
        for each statement execute function n();
    `);
    expect(scan?.definitions.map((d) => [d.kind, d.name, d.uses ?? null, d.calls ?? null])).toEqual([
      ['function', 'a', ['public.audit_log', 'public.vtid_ledger'], ['public.b']],
      ['transition', 'inserted', null, null],
    ]);
  });

  it('finds the same definitions when only definitions are looked for, in every SQL file of the repository', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const root = path.resolve(import.meta.dirname, '../..');
    const texts: [string, string][] = [];
    const walkDir = (dir: string) => {
      for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) walkDir(rel);
        else if (e.name.endsWith('.sql')) texts.push([rel, readFileSync(path.join(root, rel), 'utf8')]);
      }
    };
    for (const d of ['migrations', 'schema', 'policies', 'test/fixtures']) walkDir(d);
    texts.push([
      'inline',
      `create schema s create table s.inner_t (id int) create view s.inner_v as select * from s.inner_t;
       create materialized view mv as select * from a;
       create table t2 as select 1 as x;
       alter table t2 add column y int; create index on t2 (y); comment on table t2 is 'x';
       create trigger tr after insert on t2 referencing new table as ins for each statement execute function f();
       create function g() returns int language sql begin atomic; select count(*) from t2; end;`,
    ]);
    let definitions = 0;
    for (const [file, text] of texts) {
      const all = scanSqlText(text, 7);
      const only = scanSqlText(text, 7, 'definitions');
      expect(only?.definitions, file).toEqual(all?.definitions);
      definitions += all?.definitions.length ?? 0;
    }
    expect(definitions).toBeGreaterThan(60);
    // What it leaves out: the relations of statements that define nothing.
    expect(scanSqlText('alter table t2 add column y int', 0, 'definitions')?.relations).toEqual([]);
    expect(scanSqlText('alter table t2 add column y int', 0, 'all')?.relations).toHaveLength(1);
  });
});

describe('functionNameCandidates', () => {
  it('holds every function the parser finds defined, in every SQL file of the repository and its fixtures', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const root = path.resolve(import.meta.dirname, '../..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) walk(rel);
        else if (e.name.endsWith('.sql')) files.push(rel);
      }
    };
    for (const d of ['migrations', 'schema', 'policies', 'test/fixtures']) walk(d);
    let defined = 0;
    for (const f of files) {
      const text = readFileSync(path.join(root, f), 'utf8');
      const names = new Set(functionNameCandidates(text));
      for (const d of scanSqlText(text)?.definitions ?? []) {
        if (d.kind !== 'function') continue;
        defined++;
        expect(names.has(d.name), `${f}: ${d.name}`).toBe(true);
      }
    }
    expect(defined).toBeGreaterThan(30);
  });

  it('reads quoted, schema-qualified and upper-case names, and procedures', () => {
    expect(
      functionNameCandidates(
        'CREATE OR REPLACE FUNCTION public."Odd""Name"() ...; create procedure app.do_it(); CREATE FUNCTION Upper_Fn()',
      ).sort(),
    ).toEqual(['Odd"Name', 'Upper_Fn', 'do_it', 'upper_fn'].sort());
    // Words after FUNCTION elsewhere are not names: `is` would seem to be called by every file.
    expect(functionNameCandidates('-- this function is the entry point\ndrop function old_fn();')).toEqual(
      [],
    );
  });
});
