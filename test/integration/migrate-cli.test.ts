/**
 * `dbcanon migrate` as users run it: the built CLI in a child process (`npm test` builds dist/ first).
 */
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { migrateUp } from '../../src/migrate/index.js';
import { MIGRATE_LOCK_KEY } from '../../src/migrate/lock.js';
import { type CliRun, catalogSnapshot, runCli, useMigrateFixture } from './migrate-support.js';

const fixture = useMigrateFixture();

function writeMigrations(n: number) {
  for (let i = 1; i <= n; i++) {
    fixture.project.migration(
      `2024010${i}000000_table_${i}`,
      `create table t${i} (id int primary key);`,
      `drop table t${i};`,
    );
  }
}

/** Waits until `n` sessions are blocked on the migration lock. */
async function waitForLockWaiters(sql: postgres.Sql, n: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const [row] = await sql.unsafe<{ waiting: number }[]>(
      `select count(*)::int as waiting from pg_locks
       where locktype = 'advisory' and not granted and objid = ${MIGRATE_LOCK_KEY % 2 ** 32}::bigint::oid`,
    );
    if ((row?.waiting ?? 0) >= n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${n} sessions ever waited for the migration lock`);
}

describe('dbcanon migrate (CLI)', () => {
  it('two concurrent `migrate up` runs apply every migration exactly once, and the waiter finds nothing to do', async () => {
    writeMigrations(3);
    fixture.project.write(
      'schema/010_counter.sql',
      'create or replace function three() returns int language sql as $$ select 3 $$;\n',
    );
    // Hold the lock from here so that both processes are provably inside their runs at the same time.
    const holder = postgres(fixture.db.url, { max: 1, onnotice: () => {} });
    try {
      await holder.unsafe(`select pg_advisory_lock(${MIGRATE_LOCK_KEY})`);
      const env = { DATABASE_URL: fixture.db.url };
      const runs = [
        runCli(['migrate', 'up'], fixture.project.root, env),
        runCli(['migrate', 'up'], fixture.project.root, env),
      ];
      await waitForLockWaiters(holder, 2);
      await holder.unsafe(`select pg_advisory_unlock(${MIGRATE_LOCK_KEY})`);
      const [a, b] = await Promise.all(runs);

      for (const r of [a, b] as CliRun[]) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain('waiting for the migration lock held by process');
        expect(r.stderr).not.toMatch(/error/i);
      }
      const [applier, waiter] = [a?.stdout ?? '', b?.stdout ?? ''].sort();
      expect(applier).toMatch(/^applied 3 migrations and 1 repeatable in \d+ ms\n$/);
      expect(waiter).toBe('nothing to do: every migration is applied and no repeatable changed\n');
      const applied = await holder<{ name: string; n: number }[]>`
        select name, count(*)::int as n from pgmigrations group by name order by name`;
      expect(applied).toEqual([
        { name: '20240101000000_table_1', n: 1 },
        { name: '20240102000000_table_2', n: 1 },
        { name: '20240103000000_table_3', n: 1 },
      ]);
      const [checksums] = await holder`select count(*)::int as n from dbcanon_migrations`;
      expect(checksums?.n).toBe(3);
    } finally {
      await holder.end();
    }
  });

  it('--no-wait fails at once with MIGRATE_LOCKED while another run holds the lock', async () => {
    writeMigrations(1);
    const holder = postgres(fixture.db.url, { max: 1, onnotice: () => {} });
    try {
      await holder.unsafe(`select pg_advisory_lock(${MIGRATE_LOCK_KEY})`);
      const r = await runCli(
        ['migrate', 'up', '--no-wait', '--database-url', fixture.db.url],
        fixture.project.root,
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error MIGRATE_LOCKED: another migration run holds the lock: process');
    } finally {
      await holder.end();
    }
    const r = await runCli(['migrate', 'status', '--database-url', fixture.db.url], fixture.project.root);
    expect(r.stdout).toContain('0 applied, 1 pending');
  });

  it('prints progress per migration, status as a table and as JSON, and exits 1 on a refused run', async () => {
    writeMigrations(2);
    const env = { DATABASE_URL: fixture.db.url };
    const up = await runCli(['migrate', 'up', '--count', '1'], fixture.project.root, env);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/^applied 20240101000000_table_1 \(\d+ ms\)\n$/);

    const table = await runCli(['migrate', 'status'], fixture.project.root, env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /applied +migrations\/20240101000000_table_1\.sql +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/,
    );
    expect(table.stdout).toMatch(/pending +migrations\/20240102000000_table_2\.sql\n/);

    fixture.project.migration(
      '20240101000000_table_1',
      'create table t1 (id bigint primary key);',
      'drop table t1;',
    );
    const json = await runCli(['migrate', 'status', '--format', 'json'], fixture.project.root, env);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.version).toBe(1);
    expect(doc.migrations.map((m: { state: string }) => m.state)).toEqual(['changed', 'pending']);
    expect(doc.summary).toMatchObject({ applied: 0, changed: 1, pending: 1, missing: 0 });

    const refused = await runCli(['migrate', 'up'], fixture.project.root, env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^migrations\/20240101000000_table_1\.sql: error MIGRATE_CHANGED: applied migration 20240101000000_table_1 was edited after it ran\n/,
    );
  });

  it('--dry-run prints the SQL and changes nothing', async () => {
    writeMigrations(2);
    const before = await catalogSnapshot(fixture.db.url);
    const r = await runCli(
      ['migrate', 'up', '--dry-run', '--database-url', fixture.db.url],
      fixture.project.root,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('-- dry run: nothing was changed. Would run 2 migrations and 0 repeatables:');
    expect(r.stdout).toContain(
      '-- migration 20240101000000_table_1 (migrations/20240101000000_table_1.sql), up\ncreate table t1',
    );
    expect(await catalogSnapshot(fixture.db.url)).toEqual(before);
  });

  it('a failing migration prints file:line:column, the statement with a caret, and SQLSTATE', async () => {
    fixture.project.migration(
      '20240101000000_bad',
      'create table ok (id int);\ninsert into ok (id, nme) values (1, 2);',
    );
    const r = await runCli(['migrate', 'up', '--database-url', fixture.db.url], fixture.project.root);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        'migrations/20240101000000_bad.sql:3:21: error MIGRATE_FAILED: migration 20240101000000_bad failed: column "nme" of relation "ok" does not exist',
        '  3 | insert into ok (id, nme) values (1, 2);',
        '    |                     ^',
        '  SQLSTATE 42703',
        '  hint: the run was one transaction and it was rolled back, so nothing of this run is left; fix the SQL and run it again',
        '',
      ].join('\n'),
    );
  });

  it('`migrate new` writes a timestamped file with both markers and refuses an existing name', async () => {
    const first = await runCli(['migrate', 'new', 'Add users'], fixture.project.root);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^migrations\/\d{14}_add_users\.sql\n$/);
    const again = await runCli(['migrate', 'new', 'add_users'], fixture.project.root);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("error MIGRATE_EXISTS: a migration named 'add_users' exists already");
    const up = await migrateUp({ databaseUrl: fixture.db.url, root: fixture.project.root });
    expect(up.applied).toHaveLength(1);
  });

  it('usage errors exit 2 and name the problem', async () => {
    const none = await runCli(['migrate'], fixture.project.root);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('migrate needs a subcommand');
    const count = await runCli(['migrate', 'down', '--count', 'zero'], fixture.project.root, {
      DATABASE_URL: fixture.db.url,
    });
    expect(count.code).toBe(2);
    expect(count.stderr).toContain("--count takes a whole number of 1 or more, not 'zero'");
    const noUrl = await runCli(['migrate', 'status'], fixture.project.root, { DATABASE_URL: '' });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('no database to connect to');
  });
});
