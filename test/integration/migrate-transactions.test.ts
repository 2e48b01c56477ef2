/**
 * The run's transactions: one transaction per run (migrations and repeatables together), sections that would
 * take the transaction out of the runner's hands refused before anything runs, `-- dbcanon:no-transaction`
 * sections run statement by statement, and a lost connection reported once.
 */
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { migrateDown, migrateUp, migrationStatus } from '../../src/migrate/index.js';
import { findFailingStatement } from '../../src/migrate/locate-statement.js';
import { loadSqlParser } from '../../src/sql/parser.js';
import { failure, queryOnce, useMigrateFixture } from './migrate-support.js';

const fixture = useMigrateFixture();
const opts = () => ({ databaseUrl: fixture.db.url, root: fixture.project.root });

const query = <T extends object>(text: string) => queryOnce<T>(fixture.db.url, text);

const exists = async (name: string) =>
  (await query<{ t: string | null }>(`select to_regclass('${name}')::text as t`))[0]?.t !== null;

/** Rows of the bookkeeping tables (a table that does not exist counts as empty). */
async function bookkeeping(): Promise<{ migrations: number; checksums: number; repeatables: number }> {
  const count = async (t: string) =>
    (await exists(t)) ? ((await query<{ n: number }>(`select count(*)::int as n from ${t}`))[0]?.n ?? 0) : 0;
  return {
    migrations: await count('pgmigrations'),
    checksums: await count('dbcanon_migrations'),
    repeatables: await count('dbcanon_repeatables'),
  };
}

const EMPTY = { migrations: 0, checksums: 0, repeatables: 0 };

describe('transaction control in sections', () => {
  it('a COMMIT in a pending section is refused before anything of the run is sent', async () => {
    fixture.project.migration('20240101000000_first', 'create table first_t (id int primary key);');
    fixture.project.migration(
      '20240102000000_commits',
      'create table x (id int primary key);\ncommit;\nselect 1/0;',
    );
    const e = await failure(migrateUp(opts()));
    expect(e.code).toBe('MIGRATE_TRANSACTION_CONTROL');
    // Line 1 is the marker.
    expect(e.location).toEqual({ file: 'migrations/20240102000000_commits.sql', line: 3, column: 1 });
    expect(e.message).toContain('COMMIT');
    expect(e.details).toContain('3 | commit;');
    expect(await exists('x')).toBe(false);
    expect(await exists('first_t')).toBe(false);
    expect(await bookkeeping()).toEqual(EMPTY);

    fixture.project.migration('20240102000000_commits', 'create table x (id int primary key);');
    const fixed = await migrateUp(opts());
    expect(fixed.applied.map((s) => s.name)).toEqual(['20240101000000_first', '20240102000000_commits']);
    expect(await exists('x')).toBe(true);
  });

  it('BEGIN, ROLLBACK and SAVEPOINT are refused too, in up and in down', async () => {
    for (const [i, stmt] of ['begin;', 'rollback;', 'savepoint s1;'].entries()) {
      fixture.project.migration(`2024010100000${i}_tx`, `create table t${i} (id int);\n${stmt}`);
      const e = await failure(migrateUp(opts()));
      expect(e.code).toBe('MIGRATE_TRANSACTION_CONTROL');
      expect(e.location?.line).toBe(3);
      fixture.project.remove(`migrations/2024010100000${i}_tx.sql`);
    }
    fixture.project.migration('20240102000000_down', 'create table d (id int);', 'drop table d;\ncommit;');
    await migrateUp(opts());
    const e = await failure(migrateDown(opts()));
    expect(e.code).toBe('MIGRATE_TRANSACTION_CONTROL');
    expect(e.location).toEqual({ file: 'migrations/20240102000000_down.sql', line: 5, column: 1 });
    expect(await exists('d')).toBe(true);
    expect((await bookkeeping()).migrations).toBe(1);
  });

  it('CREATE INDEX CONCURRENTLY without the marker is refused; with it, it applies', async () => {
    fixture.project.migration('20240101000000_table', 'create table big (id int primary key, v text);');
    fixture.project.migration('20240102000000_index', 'create index concurrently ix_big_v on big (v);');
    const e = await failure(migrateUp(opts()));
    expect(e.code).toBe('MIGRATE_TRANSACTION_CONTROL');
    expect(e.message).toContain('CREATE INDEX CONCURRENTLY');
    expect(e.location).toEqual({ file: 'migrations/20240102000000_index.sql', line: 2, column: 1 });
    expect(e.hint).toContain('-- dbcanon:no-transaction');
    expect(await exists('big')).toBe(false);

    fixture.project.migration(
      '20240102000000_index',
      '-- dbcanon:no-transaction\ncreate index concurrently ix_big_v on big (v);\nvacuum big;',
    );
    const r = await migrateUp(opts());
    expect(r.applied.map((s) => s.name)).toEqual(['20240101000000_table', '20240102000000_index']);
    const [ix] = await query<{ valid: boolean }>(
      `select indisvalid as valid from pg_index where indexrelid = 'ix_big_v'::regclass`,
    );
    expect(ix?.valid).toBe(true);
    const status = await migrationStatus(opts());
    expect(status.migrations.map((m) => m.state)).toEqual(['applied', 'applied']);
  });

  it('a failing no-transaction section says which statements committed and is not recorded', async () => {
    fixture.project.migration('20240101000000_table', 'create table big (id int primary key, v text);');
    fixture.project.migration(
      '20240102000000_index',
      [
        '-- dbcanon:no-transaction',
        'create index concurrently ix_big_v on big (v);',
        'create index concurrently ix_none on no_such_table (v);',
      ].join('\n'),
    );
    const e = await failure(migrateUp(opts()));
    expect(e.code).toBe('MIGRATE_FAILED');
    expect(e.location).toEqual({ file: 'migrations/20240102000000_index.sql', line: 4, column: 1 });
    expect(e.hint).toContain('1 statement(s) before the failing one committed');
    expect(e.hint).toContain('migrations/20240102000000_index.sql:3:1');
    expect(e.hint).toContain('committed earlier in this run: 20240101000000_table');
    expect(await exists('ix_big_v')).toBe(true);
    const status = await migrationStatus(opts());
    expect(status.migrations.map((m) => m.state)).toEqual(['applied', 'pending']);
  });

  it('locating a failed statement never runs a COMMIT of the section', async () => {
    await loadSqlParser();
    const sql = postgres(fixture.db.url, { max: 1, onnotice: () => {} });
    try {
      const section = [
        'create table located (id int primary key);',
        'commit;',
        'insert into located values (1);',
        'insert into located values (1);',
      ].join('\n');
      // The replay stops at the COMMIT: the duplicate after it is not found, and the table is not kept.
      expect(await findFailingStatement(sql, section, '23505')).toBeNull();
      expect(await exists('located')).toBe(false);
    } finally {
      await sql.end();
    }
  });
});

describe('one transaction per run', () => {
  function tableAndPolicy() {
    fixture.project.migration(
      '20240101000000_events',
      'create table events (id bigint generated always as identity primary key, body text not null);',
    );
    fixture.project.migration('20240102000000_more', 'create table more_events (id int primary key);');
    fixture.project.write(
      'schema/010_append_only.sql',
      `create or replace function events_append_only() returns trigger language plpgsql as $$
begin raise exception 'events are append-only'; end $$;
drop trigger if exists events_append_only on events;
create trigger events_append_only before update or delete on events for each row execute function events_append_only();
`,
    );
  }

  it('a failing last repeatable leaves nothing of the run: no table, no bookkeeping', async () => {
    tableAndPolicy();
    fixture.project.write(
      'policies/020_rls.sql',
      'alter table events enable row level security;\ncreate policy "Anyone can read" on events for select using (true);\nselect no_such_function();\n',
    );
    const lines: string[] = [];
    const e = await failure(migrateUp({ ...opts(), log: (l) => lines.push(l) }));
    expect(e.code).toBe('MIGRATE_FAILED');
    expect(e.location).toEqual({ file: 'policies/020_rls.sql', line: 3, column: 8 });
    expect(e.hint).toContain('nothing of this run is left');
    // Progress was reported per step as it ran.
    expect(lines.slice(0, 3)).toEqual([
      expect.stringMatching(/^applied 20240101000000_events \(\d+ ms\)$/),
      expect.stringMatching(/^applied 20240102000000_more \(\d+ ms\)$/),
      expect.stringMatching(/^applied repeatable schema\/010_append_only.sql \(\d+ ms\)$/),
    ]);
    expect(await exists('events')).toBe(false);
    expect(await exists('more_events')).toBe(false);
    expect(await bookkeeping()).toEqual(EMPTY);
  });

  it('the backend terminated mid-run: DB_CONNECT, and nothing of the run is committed', async () => {
    tableAndPolicy();
    fixture.project.write('policies/020_slow.sql', 'select pg_sleep(30);\n');
    const admin = postgres(fixture.db.url, { max: 1, onnotice: () => {} });
    try {
      const run = failure(migrateUp(opts()));
      // Wait until the run sits in the repeatable's pg_sleep, after both migrations and the trigger ran.
      let killed = 0;
      for (let i = 0; i < 200 && killed === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const rows = await admin<{ ok: boolean }[]>`
          select pg_terminate_backend(pid) as ok from pg_stat_activity
          where application_name = 'dbcanon migrate' and query like '%pg_sleep%' and datname = current_database()`;
        killed = rows.length;
      }
      expect(killed).toBe(1);
      const e = await run;
      expect(e.code).toBe('DB_CONNECT');
      expect(e.message).toContain('was lost during the migration run');
      expect(e.message).toContain('nothing of this run was committed');
    } finally {
      await admin.end();
    }
    expect(await exists('events')).toBe(false);
    expect(await bookkeeping()).toEqual(EMPTY);
  });
});
