import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { loadConfig } from '../../src/config/load.js';
import { readMigrationHistory } from '../../src/migrate/history.js';
import {
  type MigrationStatus,
  migrateDown,
  migrateUp,
  migrationStatus,
  readAppliedMigrations,
} from '../../src/migrate/index.js';
import { catalogSnapshot, failure, queryOnce, useMigrateFixture } from './migrate-support.js';

const fixture = useMigrateFixture();

const opts = () => ({ databaseUrl: fixture.db.url, root: fixture.project.root });
const states = (s: MigrationStatus) => Object.fromEntries(s.migrations.map((m) => [m.name, m.state]));
const repeatableStates = (s: MigrationStatus) =>
  Object.fromEntries(s.repeatables.map((r) => [r.file, r.state]));

const query = <T extends object>(text: string) => queryOnce<T>(fixture.db.url, text);

function writeThreeMigrations() {
  fixture.project.migration(
    '20240101000000_create_accounts',
    `create table accounts (id bigint generated always as identity primary key, email text not null unique);
create index ix_accounts_email_lower on accounts (lower(email));`,
    'drop table accounts;',
  );
  fixture.project.migration(
    '20240102000000_create_orders',
    `create table orders (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts (id),
  status text not null default 'open' check (status in ('open', 'paid'))
);
create function order_count(p_account bigint) returns bigint language sql stable
  as $$ select count(*) from orders where account_id = p_account $$;`,
    'drop function order_count(bigint);\ndrop table orders;',
  );
  fixture.project.migration(
    '20240103000000_order_view',
    `create view open_orders as select * from orders where status = 'open';`,
    'drop view open_orders;',
  );
}

describe('migrate up / down / status', () => {
  it('up -> down -> up leaves the same catalog, and status is right at each step', async () => {
    writeThreeMigrations();
    // The trigger goes with the accounts table when down drops it; the next up must put it back.
    fixture.project.write(
      'schema/010_helpers.sql',
      `create or replace function accounts_lower_email() returns trigger language plpgsql as $$
begin new.email := lower(new.email); return new; end $$;
drop trigger if exists accounts_lower_email on accounts;
create trigger accounts_lower_email before insert on accounts for each row execute function accounts_lower_email();
`,
    );
    const empty = await catalogSnapshot(fixture.db.url);

    let status = await migrationStatus(opts());
    expect(Object.values(states(status))).toEqual(['pending', 'pending', 'pending']);
    expect(repeatableStates(status)).toEqual({ 'schema/010_helpers.sql': 'pending' });

    const lines: string[] = [];
    const first = await migrateUp({ ...opts(), log: (l) => lines.push(l) });
    expect(first.applied.map((s) => s.name)).toEqual([
      '20240101000000_create_accounts',
      '20240102000000_create_orders',
      '20240103000000_order_view',
      'schema/010_helpers.sql',
    ]);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^applied 20240101000000_create_accounts \(\d+ ms\)$/);
    const afterUp = await catalogSnapshot(fixture.db.url);
    expect(afterUp.filter((l) => l.startsWith('trigger CREATE TRIGGER accounts_lower_email'))).toHaveLength(
      1,
    );
    expect(afterUp.filter((l) => l.startsWith('view public.open_orders'))).toHaveLength(1);
    status = await migrationStatus(opts());
    expect(Object.values(states(status))).toEqual(['applied', 'applied', 'applied']);
    expect(status.migrations.every((m) => m.recordedChecksum === m.currentChecksum && m.appliedAt)).toBe(
      true,
    );
    expect(repeatableStates(status)).toEqual({ 'schema/010_helpers.sql': 'applied' });

    const down = await migrateDown({ ...opts(), count: 3 });
    expect(down.applied.map((s) => s.name)).toEqual([
      '20240103000000_order_view',
      '20240102000000_create_orders',
      '20240101000000_create_accounts',
    ]);
    status = await migrationStatus(opts());
    expect(Object.values(states(status))).toEqual(['pending', 'pending', 'pending']);
    expect(repeatableStates(status)).toEqual({ 'schema/010_helpers.sql': 'pending' });
    const afterDown = await catalogSnapshot(fixture.db.url);
    // Only dbcanon's and node-pg-migrate's own tables (and the repeatable's function) remain of what up created.
    const userObjects = (snap: string[]) =>
      snap.filter((l) => /accounts|orders/.test(l) && !l.startsWith('function public.accounts_lower_email'));
    expect(userObjects(afterDown)).toEqual(userObjects(empty));

    await migrateUp(opts());
    expect(await catalogSnapshot(fixture.db.url)).toEqual(afterUp);
    status = await migrationStatus(opts());
    expect(Object.values(states(status))).toEqual(['applied', 'applied', 'applied']);
  });

  it('down reverts one migration by default, and up --count applies only that many', async () => {
    writeThreeMigrations();
    const partial = await migrateUp({ ...opts(), count: 2 });
    expect(partial.applied.map((s) => s.name)).toEqual([
      '20240101000000_create_accounts',
      '20240102000000_create_orders',
    ]);
    expect(Object.values(states(await migrationStatus(opts())))).toEqual(['applied', 'applied', 'pending']);
    await migrateDown(opts());
    expect(Object.values(states(await migrationStatus(opts())))).toEqual(['applied', 'pending', 'pending']);
    expect(await query<{ t: string | null }>(`select to_regclass('orders')::text as t`)).toEqual([
      { t: null },
    ]);
  });

  it('refuses to run when an applied file was edited, naming it; --allow-changed overrides', async () => {
    writeThreeMigrations();
    await migrateUp({ ...opts(), count: 2 });
    fixture.project.migration(
      '20240101000000_create_accounts',
      'create table accounts (id int primary key);',
      'drop table accounts;',
    );

    const e = await failure(migrateUp(opts()));
    expect(e.code).toBe('MIGRATE_CHANGED');
    expect(e.location?.file).toBe('migrations/20240101000000_create_accounts.sql');
    expect(e.format()).toContain('20240101000000_create_accounts');
    expect(states(await migrationStatus(opts()))['20240101000000_create_accounts']).toBe('changed');
    // Nothing ran: the third migration is still pending.
    expect(states(await migrationStatus(opts()))['20240103000000_order_view']).toBe('pending');

    const allowed = await migrateUp({ ...opts(), allowChanged: true });
    expect(allowed.applied.map((s) => s.name)).toEqual(['20240103000000_order_view']);
  });

  it('refuses to run when an applied file disappeared, naming it', async () => {
    writeThreeMigrations();
    await migrateUp({ ...opts(), count: 2 });
    fixture.project.remove('migrations/20240102000000_create_orders.sql');

    const e = await failure(migrateUp(opts()));
    expect(e.code).toBe('MIGRATE_MISSING');
    expect(e.location?.file).toBe('migrations/20240102000000_create_orders.sql');
    const status = await migrationStatus(opts());
    expect(status.migrations.find((m) => m.name === '20240102000000_create_orders')).toMatchObject({
      state: 'missing',
      file: null,
    });
  });

  it('refuses a pending migration older than the newest applied one, naming both', async () => {
    writeThreeMigrations();
    await migrateUp(opts());
    fixture.project.migration(
      '20240101120000_late_branch',
      'create table late (id int);',
      'drop table late;',
    );

    const e = await failure(migrateUp(opts()));
    expect(e.code).toBe('MIGRATE_ORDER');
    expect(e.location?.file).toBe('migrations/20240101120000_late_branch.sql');
    expect(e.message).toContain('migrations/20240101120000_late_branch.sql');
    expect(e.message).toContain('migrations/20240103000000_order_view.sql');
    expect(await query<{ t: string | null }>(`select to_regclass('late')::text as t`)).toEqual([{ t: null }]);
    const status = await migrationStatus(opts());
    expect(status.outOfOrder.map((p) => p.pending.name)).toEqual(['20240101120000_late_branch']);
  });

  it('a migration failing half-way leaves nothing of the run behind and is reported at its line and column', async () => {
    fixture.project.migration(
      '20240101000000_ok',
      'create table kept (id int primary key);',
      'drop table kept;',
    );
    fixture.project.migration(
      '20240102000000_broken',
      [
        'create table half (id int primary key);',
        'create index ix_half on half (id);',
        'create function half_fn() returns int language sql as $$ select 1 $$;',
        'insert into half (id) values (1);',
        'select id,',
        '       no_such_column',
        '  from half;',
        'create table never (id int);',
      ].join('\n'),
      'drop table half;',
    );
    const e = await failure(migrateUp(opts()));
    expect(e.code).toBe('MIGRATE_FAILED');
    // Line 1 of the file is the marker: the failing column reference is on the file's line 7, column 8.
    expect(e.location).toEqual({ file: 'migrations/20240102000000_broken.sql', line: 7, column: 8 });
    expect(e.message).toContain('column "no_such_column" does not exist');
    expect(e.details).toContain('SQLSTATE 42703');
    expect(e.details).toContain('7 |        no_such_column');
    expect(e.details).toContain('  |        ^');

    const [row] = await query<{
      half: string | null;
      ix: string | null;
      fn: string | null;
      never: string | null;
    }>(
      `select to_regclass('half')::text as half, to_regclass('ix_half')::text as ix,
              to_regprocedure('half_fn()')::text as fn, to_regclass('never')::text as never`,
    );
    expect(row).toEqual({ half: null, ix: null, fn: null, never: null });
    // The run is one transaction: the migration before the broken one went with it.
    expect(await query<{ t: string | null }>(`select to_regclass('kept')::text as t`)).toEqual([{ t: null }]);
    const status = await migrationStatus(opts());
    expect(states(status)).toEqual({ '20240101000000_ok': 'pending', '20240102000000_broken': 'pending' });
    const applied = await readAppliedMigrations(fixture.db.url, fixture.project.root, defaultConfig());
    expect(applied).toEqual([]);
  });

  it('a failure at COMMIT (a deferred constraint) rolls the migration back and names its file', async () => {
    fixture.project.migration(
      '20240101000000_deferred',
      `create table parent (id int primary key);
create table child (parent_id int references parent (id) deferrable initially deferred);
insert into child values (1);`,
    );
    const e = await failure(migrateUp(opts()));
    expect(e.code).toBe('MIGRATE_FAILED');
    expect(e.location?.file).toBe('migrations/20240101000000_deferred.sql');
    expect(e.details).toContain('SQLSTATE 23503');
    expect(await query<{ t: string | null }>(`select to_regclass('child')::text as t`)).toEqual([
      { t: null },
    ]);
    expect(states(await migrationStatus(opts()))).toEqual({ '20240101000000_deferred': 'pending' });
  });

  it('an error without a position is put at the start of the statement that raised it', async () => {
    fixture.project.migration(
      '20240101000000_dup',
      'create table t (id int primary key);\ninsert into t values (1);\n\n  -- the second insert collides\n  insert into t values (1);\n',
    );
    const e = await failure(migrateUp(opts()));
    expect(e.location).toEqual({ file: 'migrations/20240101000000_dup.sql', line: 6, column: 3 });
    expect(e.details).toContain('SQLSTATE 23505');
    expect(e.details.some((d) => d.startsWith('detail: Key (id)=(1) already exists'))).toBe(true);
    expect(await query<{ t: string | null }>(`select to_regclass('t')::text as t`)).toEqual([{ t: null }]);
  });

  it('re-applies a repeatable only when its content changed', async () => {
    fixture.project.migration(
      '20240101000000_log',
      'create table apply_log (file text, at timestamptz default clock_timestamp());',
    );
    fixture.project.write('schema/010_logged.sql', "insert into apply_log (file) values ('010');\n");
    fixture.project.write('policies/020_other.sql', "insert into apply_log (file) values ('020');\n");
    const count = async () =>
      Object.fromEntries(
        (
          await query<{ file: string; n: number }>(
            'select file, count(*)::int as n from apply_log group by file',
          )
        ).map((r) => [r.file, r.n]),
      );

    const first = await migrateUp(opts());
    expect(first.applied.filter((s) => s.kind === 'repeatable').map((s) => s.file)).toEqual([
      'schema/010_logged.sql',
      'policies/020_other.sql',
    ]);
    expect(await count()).toEqual({ '010': 1, '020': 1 });

    const again = await migrateUp(opts());
    expect(again.applied).toEqual([]);
    expect(await count()).toEqual({ '010': 1, '020': 1 });

    fixture.project.write(
      'schema/010_logged.sql',
      "-- now with a comment\ninsert into apply_log (file) values ('010');\n",
    );
    expect(repeatableStates(await migrationStatus(opts()))).toEqual({
      'schema/010_logged.sql': 'changed',
      'policies/020_other.sql': 'applied',
    });
    const third = await migrateUp(opts());
    expect(third.applied.map((s) => s.file)).toEqual(['schema/010_logged.sql']);
    expect(await count()).toEqual({ '010': 2, '020': 1 });
  });

  it('a failing repeatable is reported at its line and keeps its old record', async () => {
    fixture.project.write(
      'schema/010_fn.sql',
      'create or replace function f() returns int language sql as $$ select 1 $$;\n',
    );
    await migrateUp(opts());
    fixture.project.write(
      'schema/010_fn.sql',
      'create or replace function f() returns int language sql as $$ select 1 $$;\nselect f(1);\n',
    );
    const e = await failure(migrateUp(opts()));
    expect(e.code).toBe('MIGRATE_FAILED');
    expect(e.location).toEqual({ file: 'schema/010_fn.sql', line: 2, column: 8 });
    expect(repeatableStates(await migrationStatus(opts()))).toEqual({ 'schema/010_fn.sql': 'changed' });
  });

  it('--dry-run returns the SQL it would run and changes nothing', async () => {
    writeThreeMigrations();
    fixture.project.write('policies/accounts.sql', 'alter table accounts enable row level security;\n');
    const before = await catalogSnapshot(fixture.db.url);
    const plan = await migrateUp({ ...opts(), dryRun: true });
    expect(plan.dryRun).toBe(true);
    expect(plan.applied).toEqual([]);
    expect(plan.planned.map((p) => p.name)).toEqual([
      '20240101000000_create_accounts',
      '20240102000000_create_orders',
      '20240103000000_order_view',
      'policies/accounts.sql',
    ]);
    expect(plan.planned[0]?.sql).toContain('create index ix_accounts_email_lower');
    expect(plan.planned[0]?.sql).not.toContain('drop table');
    expect(await catalogSnapshot(fixture.db.url)).toEqual(before);

    await migrateUp({ ...opts(), count: 1 });
    const applied = await catalogSnapshot(fixture.db.url);
    const downPlan = await migrateDown({ ...opts(), dryRun: true });
    expect(downPlan.planned).toEqual([
      expect.objectContaining({
        name: '20240101000000_create_accounts',
        direction: 'down',
        sql: 'drop table accounts;\n',
      }),
    ]);
    expect(await catalogSnapshot(fixture.db.url)).toEqual(applied);
  });

  it('applies a Supabase project in the Supabase CLI’s order (file names), the order check replays', async () => {
    // Under node-pg-migrate's numeric order the 8-digit file would run first, before its table exists.
    fixture.project.write('supabase/migrations/20240101_b.sql', 'alter table t add column b int;');
    fixture.project.write('supabase/migrations/20240101000000_a.sql', 'create table t (a int);');
    fixture.project.write('supabase/migrations/20240102000000_VTID_C.sql', 'alter table t add column c int;');
    const order = ['20240101000000_a', '20240101_b', '20240102000000_VTID_C'];

    const history = await readMigrationHistory(
      fixture.project.root,
      (await loadConfig(fixture.project.root)).config,
    );
    expect([history.runner.id, ...history.files.map((f) => f.name)]).toEqual(['supabase', ...order]);
    expect((await migrationStatus(opts())).migrations.map((m) => m.name)).toEqual(order);

    const result = await migrateUp(opts());
    expect(result.applied.map((s) => s.name)).toEqual(order);
    const status = await migrationStatus(opts());
    expect(status.migrations.map((m) => [m.name, m.state])).toEqual(order.map((n) => [n, 'applied']));
    expect(status.outOfOrder).toEqual([]);
    const columns = await query<{ column_name: string }>(
      "select column_name from information_schema.columns where table_name = 't' order by ordinal_position",
    );
    expect(columns.map((c) => c.column_name)).toEqual(['a', 'b', 'c']);
  });

  it('records the checksum of migrations applied before dbcanon tracked them', async () => {
    writeThreeMigrations();
    await migrateUp({ ...opts(), count: 1 });
    await query('delete from dbcanon_migrations');
    const before = await readAppliedMigrations(fixture.db.url, fixture.project.root, defaultConfig());
    expect(before).toEqual([
      expect.objectContaining({ name: '20240101000000_create_accounts', recordedChecksum: null }),
    ]);
    const lines: string[] = [];
    const result = await migrateUp({ ...opts(), log: (l) => lines.push(l) });
    expect(result.adopted).toEqual(['20240101000000_create_accounts']);
    const after = await readAppliedMigrations(fixture.db.url, fixture.project.root, defaultConfig());
    expect(after.every((r) => r.recordedChecksum === r.currentChecksum && r.file)).toBe(true);
    expect(lines[0]).toBe(
      'recorded the checksum of 20240101000000_create_accounts (applied before dbcanon tracked checksums)',
    );
  });
});
