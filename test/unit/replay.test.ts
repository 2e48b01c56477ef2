import { describe, expect, it } from 'vitest';
import { findColumn, findTable, type SchemaModel } from '../../src/model/schema-model.js';
import { replaySql } from '../../src/sql/replay.js';

async function replay(...sql: string[]): Promise<SchemaModel> {
  const r = await replaySql(sql.map((s, i) => ({ file: `m${i + 1}.sql`, sql: s })));
  expect(r.problems).toEqual([]);
  return r.model;
}

function table(model: SchemaModel, name: string) {
  const t = findTable(model, name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
}

describe('replaySql: tables and columns', () => {
  it('normalizes types to format_type spelling', async () => {
    const m = await replay(
      'create table t (a int, b int4, c integer, d timestamptz, e varchar(20), f text[], g numeric(10,2), h bool, i float8, j varchar(5)[], k timestamp)',
    );
    expect(table(m, 't').columns.map((c) => c.type)).toEqual([
      'integer',
      'integer',
      'integer',
      'timestamp with time zone',
      'character varying(20)',
      'text[]',
      'numeric(10,2)',
      'boolean',
      'double precision',
      'character varying(5)[]',
      'timestamp without time zone',
    ]);
  });

  it('turns serial into integer with a sequence default and NOT NULL', async () => {
    const m = await replay('create table orders (id serial primary key, n bigserial)');
    const t = table(m, 'orders');
    expect(findColumn(t, 'id')).toMatchObject({
      type: 'integer',
      nullable: false,
      default: "nextval('orders_id_seq')",
    });
    expect(findColumn(t, 'n')).toMatchObject({
      type: 'bigint',
      nullable: false,
      default: "nextval('orders_n_seq')",
    });
  });

  it('gives unnamed constraints the names Postgres generates', async () => {
    const m = await replay(
      `create table parents (id uuid primary key);
       create table children (
         id int primary key, parent_id uuid references parents on delete cascade, code text unique,
         qty int check (qty > 0), lo int, hi int, check (lo < hi))`,
    );
    const t = table(m, 'children');
    expect(t.constraints.map((c) => [c.name, c.kind, c.columns])).toEqual([
      ['children_check', 'check', ['hi', 'lo']],
      ['children_code_key', 'unique', ['code']],
      ['children_parent_id_fkey', 'foreign_key', ['parent_id']],
      ['children_pkey', 'primary_key', ['id']],
      ['children_qty_check', 'check', ['qty']],
    ]);
    expect(t.constraints.find((c) => c.kind === 'foreign_key')?.references).toEqual({
      schema: 'public',
      table: 'parents',
      columns: ['id'],
      onDelete: 'cascade',
      onUpdate: 'no action',
    });
    expect(m.indexes.map((i) => i.name)).toEqual(['children_code_key', 'children_pkey', 'parents_pkey']);
  });

  it('truncates long generated names to 63 bytes as Postgres does', async () => {
    const m = await replay(
      'create table user_offers_memory (tenant_id uuid, user_id uuid, target_type text, target_id uuid, unique (tenant_id, user_id, target_type, target_id))',
    );
    const [c] = table(m, 'user_offers_memory').constraints;
    expect(c?.name).toBe('user_offers_memory_tenant_id_user_id_target_type_target_id_key');
    expect(c?.name.length).toBe(62);
    const m2 = await replay(
      'create table a_rather_long_table_name_for_testing_truncation (a_rather_long_column_name_for_testing int unique)',
    );
    expect(m2.indexes[0]?.name).toBe('a_rather_long_table_name_for__a_rather_long_column_name_for_key');
  });

  it('renders defaults and checks in their canonical text', async () => {
    const m = await replay(
      `create table s (status text not null default 'active' check (status in ('active', 'done')),
        meta jsonb not null default '{}'::jsonb, at timestamptz default now(), n int check (n between 0 and 100),
        big bigint default 0, gone text default null)`,
    );
    const t = table(m, 's');
    expect(t.columns.map((c) => c.default)).toEqual(["'active'", "'{}'", 'now()', null, '0', null]);
    expect(t.constraints.map((c) => c.expression)).toEqual([
      '(n >= 0) AND (n <= 100)',
      "status = ANY (ARRAY['active', 'done'])",
    ]);
  });

  it('skips CREATE TABLE IF NOT EXISTS for an existing table and ADD COLUMN IF NOT EXISTS for an existing column', async () => {
    const m = await replay(
      'create table t (id int)',
      'create table if not exists t (other text); alter table t add column if not exists id text',
    );
    expect(table(m, 't').columns.map((c) => [c.name, c.type])).toEqual([['id', 'integer']]);
  });
});

describe('replaySql: ALTER and DROP', () => {
  it('renames a table and a column, carrying constraints, indexes and expressions along', async () => {
    const m = await replay(
      "create table t (id int primary key, state text check (state <> 'x')); create index t_state_idx on t (state)",
      'alter table t rename to things; alter table things rename column state to status',
    );
    const t = table(m, 'things');
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'status']);
    // Postgres keeps the generated names it chose at creation.
    expect(t.constraints.map((c) => [c.name, c.columns, c.expression])).toEqual([
      ['t_pkey', ['id'], null],
      ['t_state_check', ['status'], "status <> 'x'"],
    ]);
    expect(m.indexes.map((i) => [i.name, i.table, i.columns])).toEqual([
      ['t_pkey', 'things', ['id']],
      ['t_state_idx', 'things', ['status']],
    ]);
    expect(findTable(m, 't')).toBeUndefined();
  });

  it('drops a column with the constraints and indexes that use it', async () => {
    const m = await replay(
      'create table t (id int primary key, code text unique, n int check (n > 0)); create index on t (code, id)',
      'alter table t drop column code; alter table t drop column if exists nothing',
    );
    expect(table(m, 't').columns.map((c) => c.name)).toEqual(['id', 'n']);
    expect(table(m, 't').constraints.map((c) => c.name)).toEqual(['t_n_check', 't_pkey']);
    expect(m.indexes.map((i) => i.name)).toEqual(['t_pkey']);
  });

  it('alters type, default and nullability', async () => {
    const m = await replay(
      "create table t (a int not null, b text default 'x')",
      'alter table t alter column a type bigint, alter column a drop not null; alter table t alter column b drop default, alter column b set not null',
    );
    expect(table(m, 't').columns.map((c) => [c.type, c.nullable, c.default])).toEqual([
      ['bigint', true, null],
      ['text', false, null],
    ]);
  });

  it('remembers where a later ALTER COLUMN … TYPE set the type, apart from where the column was made', async () => {
    const m = await replay(
      'create table t (\n  a int,\n  b text\n)',
      '-- widen\nalter table t alter column a type bigint',
    );
    const [a, b] = table(m, 't').columns;
    expect([a?.loc?.file, a?.loc?.line, a?.typeLoc?.file, a?.typeLoc?.line]).toEqual([
      'm1.sql',
      2,
      'm2.sql',
      2,
    ]);
    expect(b?.typeLoc).toBeUndefined();
  });

  it('adds and drops constraints, and RLS flags', async () => {
    const m = await replay(
      'create table t (a int); alter table t add constraint t_a_positive check (a > 0), add unique (a)',
      'alter table t drop constraint t_a_positive; alter table t enable row level security; alter table t force row level security',
    );
    const t = table(m, 't');
    expect(t.constraints.map((c) => c.name)).toEqual(['t_a_key']);
    expect([t.rlsEnabled, t.rlsForced]).toEqual([true, true]);
  });

  it('switches an identity column between ALWAYS and BY DEFAULT, and rejects it on a plain column', async () => {
    const m = await replay(
      'create table t (a int generated always as identity, b int)',
      'alter table t alter column a set generated by default set increment by 5',
    );
    expect(table(m, 't').columns.map((c) => c.identity)).toEqual(['by default', null]);
    const again = await replay(
      'create table t (a int generated by default as identity)',
      'alter table t alter a set generated always',
    );
    expect(table(again, 't').columns[0]?.identity).toBe('always');
    const r = await replaySql([
      { file: 'm.sql', sql: 'create table t (b int);\nalter table t alter column b set generated always;' },
    ]);
    expect(r.problems).toEqual([
      expect.objectContaining({
        line: 2,
        message: expect.stringContaining('"b" of relation "t" is not an identity column'),
      }),
    ]);
  });

  it('reports a statement Postgres would reject and goes on', async () => {
    const r = await replaySql([
      {
        file: 'm.sql',
        sql: 'create table ok (id int);\ncreate table ok (id int);\ncreate table ok2 (id int);',
      },
    ]);
    expect(r.problems).toEqual([
      expect.objectContaining({
        file: 'm.sql',
        line: 2,
        column: 1,
        severity: 'error',
        message: expect.stringContaining('"ok" already exists'),
      }),
    ]);
    expect(findTable(r.model, 'ok2')).toBeDefined();
  });

  it('takes a table that statements touch but none creates as external, once, and goes on', async () => {
    const r = await replaySql([
      {
        file: 'a.sql',
        sql: [
          'alter table legacy add column note text;',
          'alter table legacy alter column owner set not null;',
          'create index legacy_note_idx on legacy (note);',
          'alter table legacy enable row level security;',
          'create table child (id int primary key, legacy_id int references legacy);',
        ].join('\n'),
      },
      {
        file: 'b.sql',
        sql: 'comment on column legacy.owner is $$who$$;\ncreate policy p on legacy using (true);',
      },
    ]);
    expect(r.problems).toEqual([]);
    // The stand-in and what hangs on it are not the project's tables; the reference to it is.
    expect(findTable(r.model, 'legacy')).toBeUndefined();
    expect(r.model.indexes.map((i) => i.name)).toEqual(['child_pkey']);
    expect(r.model.policies).toEqual([]);
    expect(
      findTable(r.model, 'child')?.constraints.find((c) => c.kind === 'foreign_key')?.references,
    ).toMatchObject({ table: 'legacy', columns: [] });
    expect(r.model.externalTables).toEqual([
      {
        schema: 'public',
        name: 'legacy',
        loc: { file: 'a.sql', line: 1, column: 1 },
        files: ['a.sql', 'b.sql'],
        createdAt: null,
        exists: true,
      },
    ]);
  });

  it('lists the tables the history dropped, renamed or moved away and did not make again', async () => {
    const r = await replaySql([
      {
        file: 'm.sql',
        sql: [
          'create table a (id int);',
          'create table b (id int);',
          'create table c (id int);',
          'create table d (id int);',
          'create schema archive;',
          'drop table a;',
          'alter table b rename to bee;',
          'alter table c set schema archive;',
          'drop table d;',
          'create table d (id int);',
        ].join('\n'),
      },
    ]);
    expect(r.model.goneTables).toEqual([
      { schema: 'public', name: 'a', loc: { file: 'm.sql', line: 6, column: 1 }, becameKey: null },
      { schema: 'public', name: 'b', loc: { file: 'm.sql', line: 7, column: 1 }, becameKey: 'public.bee' },
      { schema: 'public', name: 'c', loc: { file: 'm.sql', line: 8, column: 1 }, becameKey: 'archive.c' },
    ]);
  });

  it('an external table created later becomes a table, and remembers where it was first used', async () => {
    const r = await replaySql([
      { file: 'a.sql', sql: 'create index t_x_idx on t (x);' },
      { file: 'b.sql', sql: 'create table t (x int);' },
      { file: 'c.sql', sql: 'alter table gone add column y int;\ndrop table gone;' },
    ]);
    expect(r.problems).toEqual([]);
    expect(findTable(r.model, 't')?.columns.map((c) => c.name)).toEqual(['x']);
    expect(r.model.indexes.map((i) => i.name)).toEqual(['t_x_idx']);
    expect(r.model.externalTables?.map((e) => [e.name, e.createdAt?.file ?? null, e.exists])).toEqual([
      ['gone', null, false],
      ['t', 'b.sql', true],
    ]);
  });
});

describe('replaySql: a CHECK on a column the table does not have', () => {
  it('fails as Postgres fails it, and the constraint is not added', async () => {
    const r = await replaySql([
      {
        file: 'a.sql',
        sql: 'create table t (a int);\nalter table t add constraint t_b_check check (b > 0);',
      },
    ]);
    expect(r.problems.map((p) => [p.line, p.message])).toEqual([[2, 'column "b" does not exist']]);
    expect(findTable(r.model, 't')?.constraints).toEqual([]);
  });
});

describe('replaySql: CREATE TABLE IF NOT EXISTS after a first use', () => {
  it('does nothing, as Postgres does: the table stays external, its columns unknown', async () => {
    const r = await replaySql([
      { file: 'a.sql', sql: 'alter table t add column y int;' },
      { file: 'b.sql', sql: 'create table if not exists t (x int, z text);' },
      { file: 'c.sql', sql: 'create index t_z_idx on t (z);' },
    ]);
    expect(r.problems).toEqual([]);
    expect(findTable(r.model, 't')).toBeUndefined();
    expect(
      r.model.externalTables?.map((e) => ({
        name: e.name,
        createdAt: e.createdAt,
        skipped: e.skippedCreate && `${e.skippedCreate.file}:${e.skippedCreate.line}`,
        files: e.files,
      })),
    ).toEqual([{ name: 't', createdAt: null, skipped: 'b.sql:1', files: ['a.sql', 'b.sql', 'c.sql'] }]);
  });
});

describe('replaySql: partitions, inheritance, LIKE and SET SCHEMA', () => {
  it('gives a partition its parent columns, and its keys and indexes under names of its own', async () => {
    const m = await replay(
      'create table ev (id bigint, at date, kind text default $$x$$ not null, primary key (id, at)) partition by range (at)',
      "create index on ev (kind); create table ev_1 partition of ev for values from ('2024-01-01') to ('2025-01-01')",
      'alter table ev add column note text check (note <> $$$$); alter table only ev alter column kind set default $$y$$',
    );
    const part = table(m, 'ev_1');
    expect(part.columns.map((c) => [c.name, c.type, c.nullable, c.default])).toEqual([
      ['id', 'bigint', false, null],
      ['at', 'date', false, null],
      ['kind', 'text', false, "'x'"],
      ['note', 'text', true, null],
    ]);
    expect(part.constraints.map((c) => [c.kind, c.name]).sort()).toEqual([
      ['check', 'ev_note_check'],
      ['primary_key', 'ev_1_pkey'],
    ]);
    expect(
      m.indexes
        .filter((i) => i.table === 'ev_1')
        .map((i) => i.name)
        .sort(),
    ).toEqual(['ev_1_kind_idx', 'ev_1_pkey']);
  });

  it('copies what LIKE includes, moves a table with SET SCHEMA, and drops an inheriting table only with CASCADE', async () => {
    const m = await replay(
      "create table src (id int primary key, code text default 'c' check (code <> ''))",
      'create table copy (like src including defaults); create table full_copy (like src including all)',
      'create schema app; alter table copy set schema app',
    );
    expect(findTable(m, 'app.copy')?.columns.map((c) => [c.name, c.nullable, c.default])).toEqual([
      ['id', false, null],
      ['code', true, "'c'"],
    ]);
    expect(
      table(m, 'full_copy')
        .constraints.map((c) => c.name)
        .sort(),
    ).toEqual(['full_copy_pkey', 'src_code_check']);
    const r = await replaySql([
      {
        file: 'm.sql',
        sql: 'create table base (id int);\ncreate table heir () inherits (base);\ndrop table base;',
      },
    ]);
    expect(r.problems).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringContaining('inherits from it') }),
    ]);
    // What Postgres rejects is a problem at its line, as elsewhere: a duplicate CHECK name added later, and
    // dropping a partition's copy of its parent's index.
    const rejected = await replaySql([
      {
        file: 'm.sql',
        sql: [
          'create table t (a int, constraint ck check (a > 0));',
          'alter table t add constraint ck check (a < 5);',
          'create table p (a int) partition by range (a);',
          'create table p1 partition of p for values from (0) to (5);',
          'create index on p (a);',
          'drop index p1_a_idx;',
        ].join('\n'),
      },
    ]);
    expect(rejected.problems.map((p) => [p.line, p.message])).toEqual([
      [2, 'constraint "ck" for relation "t" already exists'],
      [6, 'cannot drop index p1_a_idx because index p_a_idx requires it'],
    ]);
  });
});

describe('replaySql: ALTER FUNCTION', () => {
  it('follows SET search_path and SECURITY DEFINER set after CREATE, the way projects harden functions', async () => {
    const m = await replay(
      'create function h() returns void language plpgsql security definer as $$ begin end $$',
      "alter function h() set search_path = ''; alter function h security invoker; alter function h() security definer",
      'create function g(a varchar(10)) returns numeric(5,1) language sql set search_path = public as $$ select 1 $$',
      'alter function g(varchar) reset search_path',
    );
    expect(
      m.functions.map((f) => [f.name, f.identityArgs, f.returns, f.securityDefiner, f.searchPath]),
    ).toEqual([
      ['g', 'a character varying', 'numeric', false, null],
      ['h', '', 'void', true, '""'],
    ]);
    const r = await replaySql([{ file: 'm.sql', sql: "alter function missing() set search_path = ''" }]);
    expect(r.problems).toEqual([
      expect.objectContaining({ message: expect.stringContaining('missing does not exist') }),
    ]);
  });
});

describe('replaySql: files', () => {
  it('reports a file that does not parse at its line and column and still replays the others', async () => {
    const r = await replaySql([
      { file: 'a.sql', sql: 'create table a (id int);' },
      { file: 'b.sql', sql: '-- Up\ncreate table b (id int);\nalter tabel b add c int;', line: 3 },
      { file: 'c.sql', sql: 'create table c (id int);' },
    ]);
    expect(r.problems).toEqual([
      { file: 'b.sql', line: 5, column: 7, message: 'syntax error at or near "tabel"', severity: 'error' },
    ]);
    expect(r.model.tables.map((t) => t.name)).toEqual(['a', 'c']);
  });

  it('skips psql meta-commands with a note', async () => {
    const r = await replaySql([{ file: 'a.sql', sql: '\\set ON_ERROR_STOP 1\ncreate table a (id int);' }]);
    expect(r.problems).toEqual([expect.objectContaining({ file: 'a.sql', line: 1, severity: 'note' })]);
    expect(r.model.tables.map((t) => t.name)).toEqual(['a']);
  });

  it('records where each table and column was declared', async () => {
    const r = await replaySql([
      { file: 'doc.md', sql: 'create table t (\n  id int,\n  name text\n);', line: 20 },
    ]);
    const t = table(r.model, 't');
    expect(t.loc).toEqual({ file: 'doc.md', line: 20, column: 14 });
    expect(t.columns.map((c) => c.loc?.line)).toEqual([21, 22]);
  });

  it('starts from a base model', async () => {
    const base = await replay('create table t (id int)');
    const r = await replaySql([{ file: 'b.sql', sql: 'alter table t add column x text' }], base);
    expect(table(r.model, 't').columns.map((c) => c.name)).toEqual(['id', 'x']);
    expect(table(base, 't').columns.map((c) => c.name)).toEqual(['id']);
  });
});

describe('replaySql: policies, functions, triggers, comments', () => {
  it('models them as the catalog reports them', async () => {
    const m = await replay(
      `create table t (id int, owner uuid);
       create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
       create or replace function count_t(p_min int default 0) returns bigint language sql security definer
         set search_path = '' as $$ select count(*) from public.t $$;
       create trigger t_touch before insert or update on t for each row execute function touch();
       create policy "Owners read" on t for select to authenticated using (owner = auth.uid());
       comment on table t is 'things'; comment on column t.id is 'the id';`,
    );
    expect(
      m.functions.map((f) => [f.name, f.identityArgs, f.returns, f.securityDefiner, f.searchPath]),
    ).toEqual([
      ['count_t', 'p_min integer', 'bigint', true, '""'],
      ['touch', '', 'trigger', false, null],
    ]);
    expect(m.triggers).toEqual([
      expect.objectContaining({
        name: 't_touch',
        timing: 'before',
        events: ['insert', 'update'],
        level: 'row',
        function: 'public.touch',
      }),
    ]);
    expect(m.policies).toEqual([
      expect.objectContaining({
        name: 'Owners read',
        command: 'select',
        roles: ['authenticated'],
        using: 'owner = auth.uid()',
        withCheck: null,
      }),
    ]);
    expect(table(m, 't').comment).toBe('things');
    expect(findColumn(table(m, 't'), 'id')?.comment).toBe('the id');
  });
});

describe('replayMigrations', () => {
  it('replays the Up sections of versioned files in name order, then the repeatables', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { configSchema } = await import('../../src/config/schema.js');
    const { replayMigrations } = await import('../../src/sql/replay.js');
    const root = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-replay-'));
    mkdirSync(path.join(root, 'migrations'));
    mkdirSync(path.join(root, 'policies'));
    writeFileSync(
      path.join(root, 'migrations', '20250102000000_add_note.sql'),
      '-- Up Migration\nalter table t add column note text;\n\n-- Down Migration\nalter table t drop column note;\n',
    );
    writeFileSync(
      path.join(root, 'migrations', '20250101000000_init.sql'),
      '-- Up Migration\ncreate table t (id int);\n-- Down Migration\ndrop table t;\n',
    );
    writeFileSync(
      path.join(root, 'policies', 't.sql'),
      'alter table t enable row level security;\nalter tabel x;\n',
    );
    const r = await replayMigrations(root, configSchema.parse({}));
    expect(r.files).toEqual([
      path.join('migrations', '20250101000000_init.sql'),
      path.join('migrations', '20250102000000_add_note.sql'),
      path.join('policies', 't.sql'),
    ]);
    expect(r.versioned.map((v) => v.name)).toEqual(['20250101000000_init', '20250102000000_add_note']);
    expect(r.problems).toEqual([
      expect.objectContaining({
        file: path.join('policies', 't.sql'),
        line: 2,
        column: 7,
        severity: 'error',
      }),
    ]);
    // The broken repeatable adds nothing; the Down sections are not replayed.
    expect(table(r.model, 't').columns.map((c) => c.name)).toEqual(['id', 'note']);
    expect(table(r.model, 't').rlsEnabled).toBe(false);
  });
});

describe('replaySql: temporary tables', () => {
  it("a temporary table lives until the end of its file, is reached by its plain name, and is never the project's", async () => {
    const r = await replaySql([
      {
        file: 'a.sql',
        sql: [
          'create temp table labels (k text, v text) on commit drop;',
          'alter table labels add column lang text;',
          'create index labels_k_idx on labels (k);',
        ].join('\n'),
      },
      { file: 'b.sql', sql: 'create table labels (id int);' },
    ]);
    expect(r.problems).toEqual([]);
    expect(r.model.externalTables ?? []).toEqual([]);
    expect(r.model.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(['public.labels']);
    expect(r.model.indexes).toEqual([]);
  });
});
