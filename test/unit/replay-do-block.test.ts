/**
 * DO blocks in the static replay: their PL/pgSQL body is read with PL/pgSQL's parser and its statements replayed,
 * every branch, skipping what a guard would have skipped; dynamic EXECUTE makes objects unknown, never errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findTable, type SchemaModel } from '../../src/model/schema-model.js';
import { loadSqlParser } from '../../src/sql/parser.js';
import { constantString, mayBeChangedByDynamicSql, readPlpgsqlBody } from '../../src/sql/plpgsql.js';
import { type ReplayResult, replaySql } from '../../src/sql/replay.js';

beforeAll(loadSqlParser);

async function replay(...sql: string[]): Promise<ReplayResult> {
  return replaySql(sql.map((s, i) => ({ file: `m${i + 1}.sql`, sql: s })));
}

const tableNames = (m: SchemaModel) => m.tables.map((t) => t.name);
const columnNames = (m: SchemaModel, table: string) => findTable(m, table)?.columns.map((c) => c.name);

describe('DO blocks in the replay', () => {
  it('creates a table behind an IF NOT EXISTS guard, and the statements after it see the table', async () => {
    const r = await replay(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT FROM information_schema.tables WHERE table_name = 'vtid_ledger') THEN
          CREATE TABLE vtid_ledger (id text PRIMARY KEY, status text);
        END IF;
      END $$;
      CREATE INDEX ON vtid_ledger (status);
      ALTER TABLE vtid_ledger ADD COLUMN title text;`);
    expect(r.problems).toEqual([]);
    expect(columnNames(r.model, 'vtid_ledger')).toEqual(['id', 'status', 'title']);
    expect(r.model.indexes.map((i) => i.name)).toEqual(['vtid_ledger_pkey', 'vtid_ledger_status_idx']);
    // Where the table is declared: the CREATE inside the block.
    expect(findTable(r.model, 'vtid_ledger')?.loc).toMatchObject({ file: 'm1.sql', line: 5 });
  });

  it('skips a guarded CREATE of what exists and a guarded DROP of what does not, without a problem', async () => {
    const r = await replay(
      'create table t (id int, a int)',
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 't') THEN CREATE TABLE t (other int); END IF;
         IF EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'gone') THEN DROP TABLE gone; END IF;
         ALTER TABLE t ADD COLUMN a int;
         IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'u') THEN CREATE TABLE u (id int); END IF;
       END $$`,
    );
    expect(r.problems).toEqual([]);
    expect(tableNames(r.model)).toEqual(['t', 'u']);
    expect(columnNames(r.model, 't')).toEqual(['id', 'a']);
  });

  it('replays both branches of IF / ELSIF / ELSE and CASE, in order, so each guard leads where Postgres ends', async () => {
    // Whichever branch runs, the end state has column `name`: renamed when `title` existed, added when not.
    const renamed = await replay(
      'create table docs (id int, title text)',
      `DO $$ BEGIN
         IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'docs' AND column_name = 'title') THEN
           ALTER TABLE docs RENAME COLUMN title TO name;
         ELSE
           ALTER TABLE docs ADD COLUMN name text;
         END IF;
       END $$`,
    );
    const added = await replay(
      'create table docs (id int)',
      `DO $$ BEGIN
         IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'docs' AND column_name = 'title') THEN
           ALTER TABLE docs RENAME COLUMN title TO name;
         ELSIF false THEN
           NULL;
         ELSE
           CASE WHEN true THEN ALTER TABLE docs ADD COLUMN name text; ELSE NULL; END CASE;
         END IF;
       END $$`,
    );
    expect(renamed.problems).toEqual([]);
    expect(added.problems).toEqual([]);
    expect(columnNames(renamed.model, 'docs')).toEqual(['id', 'name']);
    expect(columnNames(added.model, 'docs')).toEqual(['id', 'name']);
  });

  it('replays nested blocks, loops and exception handlers', async () => {
    const r = await replay(`
      DO $$
      DECLARE r record;
      BEGIN
        BEGIN
          CREATE TABLE a (id int);
        EXCEPTION WHEN duplicate_table THEN
          CREATE TABLE a_fallback (id int);
        END;
        FOR r IN SELECT 1 AS x LOOP
          CREATE TABLE IF NOT EXISTS b (id int);
        END LOOP;
        WHILE false LOOP CREATE TABLE c (id int); END LOOP;
      END $$;`);
    expect(r.problems).toEqual([]);
    expect(tableNames(r.model)).toEqual(['a', 'a_fallback', 'b', 'c']);
  });

  it('replays EXECUTE of a constant string, of constants joined with ||, and of format() with constant arguments', async () => {
    const r = await replay(`
      DO $$ BEGIN
        EXECUTE 'CREATE TABLE one (id int)';
        EXECUTE 'CREATE TABLE ' || 'two (id int)';
        EXECUTE format('CREATE TABLE %I (id int, %s text)', 'Three', 'label');
      END $$;`);
    expect(r.problems).toEqual([]);
    expect(tableNames(r.model)).toEqual(['Three', 'one', 'two']);
    expect(columnNames(r.model, 'Three')).toEqual(['id', 'label']);
  });

  it('treats what a dynamic EXECUTE may have made or dropped as unknown: later errors on names it mentions are not reported', async () => {
    const r = await replay(
      `DO $$
       DECLARE t text;
       BEGIN
         FOR t IN SELECT name FROM audit_years WHERE name IN ('audit_2024', 'audit_2025') LOOP
           EXECUTE format('CREATE TABLE IF NOT EXISTS %I (id int)', t);
         END LOOP;
       END $$;`,
      'ALTER TABLE audit_2024 ADD COLUMN note text',
      'ALTER TABLE never_mentioned ADD COLUMN note text',
      "create table kept (id int, p text check (p in ('a')))",
      `DO $$ DECLARE c text; BEGIN
         SELECT conname INTO c FROM pg_constraint WHERE conrelid = 'kept'::regclass;
         EXECUTE format('ALTER TABLE kept DROP CONSTRAINT %I', c);
       END $$`,
      "ALTER TABLE kept ADD CONSTRAINT kept_p_check CHECK (p in ('a', 'b'))",
    );
    expect(r.problems).toEqual([]);
    // A table the dynamic SQL may have made is external but not claimed to be made elsewhere; another one is.
    expect(r.model.externalTables?.map((e) => [e.name, e.dynamic ?? false])).toEqual([
      ['audit_2024', true],
      ['never_mentioned', false],
    ]);
  });

  it('reports nothing for a statement inside the body that fails on the replay, and makes no external table', async () => {
    const r = await replay(`DO $$ BEGIN ALTER TABLE missing ADD COLUMN x int; END $$`);
    expect(r.problems).toEqual([]);
    expect(r.model.externalTables ?? []).toEqual([]);
  });

  it('reports a body that does not compile at the line of the file where the error is', async () => {
    const r = await replay(
      `-- header
DO $$
BEGIN
  CREATE TABLE ok (id int);
  CREATE TABL broken (id int);
END $$;
CREATE TABLE after (id int);`,
    );
    expect(r.problems).toEqual([
      {
        file: 'm1.sql',
        line: 5,
        column: 1,
        message: 'DO block does not compile: syntax error at or near "TABL"',
        severity: 'error',
      },
    ]);
    // Nothing of the body is replayed (Postgres runs none of it); the file goes on.
    expect(tableNames(r.model)).toEqual(['after']);
  });

  it('leaves DO blocks in other languages alone', async () => {
    const r = await replay(`DO LANGUAGE plv8 $$ plv8.execute('create table x (id int)') $$`);
    expect(r.problems).toEqual([]);
    expect(r.model.tables).toEqual([]);
  });
});

describe('readPlpgsqlBody', () => {
  it('lists statements with their line in the body and marks dynamic EXECUTE', () => {
    const reading = readPlpgsqlBody(`
BEGIN
  CREATE TABLE a (id int);
  EXECUTE v_sql;
END`);
    expect(reading).toEqual({
      ok: true,
      actions: [
        { kind: 'sql', sql: 'CREATE TABLE a (id int)', line: 3 },
        { kind: 'dynamic', line: 4 },
      ],
    });
  });

  it('points at the last line for a body that ends too early', () => {
    const reading = readPlpgsqlBody('BEGIN\n  IF true THEN\n    NULL;\n');
    expect(reading).toMatchObject({ ok: false, line: 4 });
  });
});

describe('constantString', () => {
  it('evaluates what is known before the body runs, and nothing else', () => {
    expect(constantString("'a' || 'b'")).toBe('ab');
    expect(constantString("format('ALTER TABLE %I ADD %s', 'My T', 'c int')")).toBe(
      'ALTER TABLE "My T" ADD c int',
    );
    expect(constantString("format('x %L', 'it''s')")).toBe("x 'it''s'");
    expect(constantString("format('%1$I.%1$I', 'a')")).toBe('a.a');
    expect(constantString("format('%I', v_name)")).toBeUndefined();
    expect(constantString("'a' || v")).toBeUndefined();
    expect(constantString("format('%-10s', 'a')")).toBeUndefined();
  });
});

describe('mayBeChangedByDynamicSql', () => {
  it('matches the object names of a "does not exist" or "already exists" message against the words', () => {
    const words = new Set(['audit_2024', 'public']);
    expect(mayBeChangedByDynamicSql('relation "public.audit_2024" does not exist', words)).toBe(true);
    expect(mayBeChangedByDynamicSql('relation "public.other" does not exist', words)).toBe(false);
    expect(mayBeChangedByDynamicSql('constraint "c" for relation "audit_2024" already exists', words)).toBe(
      true,
    );
    expect(mayBeChangedByDynamicSql('column "audit_2024" specified more than once', words)).toBe(false);
  });
});

describe('DO blocks: loops over a constant array of names', () => {
  it('reads the body once per name, as it runs (FOREACH … IN ARRAY and FOR … IN SELECT unnest)', async () => {
    const r = await replay(
      'create table a (id int); create table b (id int); create table c (id int);',
      `DO $$
       DECLARE t text;
       BEGIN
         FOREACH t IN ARRAY ARRAY['a', 'b'] LOOP
           EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
         END LOOP;
         FOR t IN SELECT unnest(ARRAY['c']) LOOP
           EXECUTE 'ALTER TABLE ' || quote_ident(t) || ' ADD COLUMN note text';
         END LOOP;
       END $$;`,
    );
    expect(r.problems).toEqual([]);
    const table = (name: string) => r.model.tables.find((t) => t.name === name);
    expect([table('a')?.rlsEnabled, table('b')?.rlsEnabled, table('c')?.rlsEnabled]).toEqual([
      true,
      true,
      false,
    ]);
    expect(table('c')?.columns.map((c) => c.name)).toEqual(['id', 'note']);
  });
});
