/**
 * `dbcanon migrate` on a Supabase project keeps the Supabase CLI's history (supabase_migrations.schema_migrations,
 * written as the CLI writes it) and its own checksums beside it, out of `public`; reads what the CLI applied;
 * refuses `down` (Supabase files are up-only); and moves what an earlier dbcanon recorded in `public`.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { runCheck } from '../../src/lint/engine.js';
import checksumRule from '../../src/lint/rules/migration-checksum.js';
import { migrateDown, migrateUp, migrationStatus, readAppliedMigrations } from '../../src/migrate/index.js';
import { failure, queryOnce, useMigrateFixture } from './migrate-support.js';

const fixture = useMigrateFixture();
const opts = () => ({ databaseUrl: fixture.db.url, root: fixture.project.root });
const query = <T extends object>(text: string) => queryOnce<T>(fixture.db.url, text);

const A = 'create table t (a int);\n';
const B = 'alter table t add column b int;\n';

function writeProject() {
  fixture.project.write('supabase/config.toml', 'project_id = "demo"\n');
  fixture.project.write('supabase/migrations/20240101000000_create_t.sql', A);
  fixture.project.write('supabase/migrations/20240102000000_add_b.sql', B);
}

/** The relations of the bookkeeping, by schema. */
async function bookkeeping() {
  return (
    await query<{ r: string }>(
      `select n.nspname || '.' || c.relname as r from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'r' and (c.relname in ('pgmigrations', 'schema_migrations') or c.relname like 'dbcanon\\_%')
        order by 1`,
    )
  ).map((x) => x.r);
}

describe('migrate on a Supabase project', () => {
  it('records in the Supabase CLI’s history, as the CLI does, and keeps nothing in public', async () => {
    writeProject();
    const result = await migrateUp(opts());
    expect(result.applied.map((s) => s.name)).toEqual(['20240101000000_create_t', '20240102000000_add_b']);
    expect(await bookkeeping()).toEqual([
      'supabase_migrations.dbcanon_migrations',
      'supabase_migrations.dbcanon_repeatables',
      'supabase_migrations.schema_migrations',
    ]);
    expect(
      await query(
        'select version, name, statements from supabase_migrations.schema_migrations order by version',
      ),
    ).toEqual([
      { version: '20240101000000', name: 'create_t', statements: [A] },
      { version: '20240102000000', name: 'add_b', statements: [B] },
    ]);
    const status = await migrationStatus(opts());
    expect(status.migrations.map((m) => [m.name, m.state, m.appliedAt])).toEqual([
      ['20240101000000_create_t', 'applied', null],
      ['20240102000000_add_b', 'applied', null],
    ]);
  });

  it('reads what the Supabase CLI applied, and applies only the rest', async () => {
    writeProject();
    // What `supabase db push` leaves after the first file (pkg/migration/history.go's table and insert).
    await query(`${A}
      create schema supabase_migrations;
      create table supabase_migrations.schema_migrations (version text not null primary key);
      alter table supabase_migrations.schema_migrations add column if not exists statements text[];
      alter table supabase_migrations.schema_migrations add column if not exists name text;
      insert into supabase_migrations.schema_migrations (version, name, statements)
        values ('20240101000000', 'create_t', array['create table t (a int)']);`);
    const before = await migrationStatus(opts());
    expect(before.migrations.map((m) => m.state)).toEqual(['applied', 'pending']);
    const result = await migrateUp(opts());
    expect(result.applied.map((s) => s.name)).toEqual(['20240102000000_add_b']);
    // The CLI's file was applied before dbcanon kept checksums: adopted, so a later edit is seen.
    expect(result.adopted).toEqual(['20240101000000_create_t']);
    const config = parseConfig({ migrations: ['supabase/migrations'] });
    const records = await readAppliedMigrations(fixture.db.url, fixture.project.root, config);
    expect(records.map((r) => [r.name, r.recordedChecksum === r.currentChecksum])).toEqual([
      ['20240101000000_create_t', true],
      ['20240102000000_add_b', true],
    ]);
  });

  it('refuses down: a Supabase migration is up-only', async () => {
    writeProject();
    await migrateUp(opts());
    const err = await failure(migrateDown(opts()));
    expect(err.code).toBe('MIGRATE_FAILED');
    expect(err.message).toContain('Supabase migrations are up-only');
    expect(err.hint).toContain('write a new migration that undoes it');
    expect((await migrationStatus(opts())).migrations.map((m) => m.state)).toEqual(['applied', 'applied']);
  });

  it('moves what an earlier dbcanon recorded in public, and reads it until then', async () => {
    writeProject();
    // An earlier dbcanon kept a Supabase project's records in node-pg-migrate's format, in public.
    await query(`${A}
      create table public.pgmigrations (id serial primary key, name varchar(255) not null, run_on timestamp not null);
      insert into public.pgmigrations (name, run_on) values ('20240101000000_create_t', now());
      create table public.dbcanon_migrations (name text primary key, checksum text not null,
        applied_at timestamptz not null default now());
      insert into public.dbcanon_migrations (name, checksum)
        values ('20240101000000_create_t', '${createHash('sha256').update(A).digest('hex')}');`);
    expect((await migrationStatus(opts())).migrations.map((m) => m.state)).toEqual(['applied', 'pending']);

    const lines: string[] = [];
    const result = await migrateUp({ ...opts(), log: (l) => lines.push(l) });
    expect(result.applied.map((s) => s.name)).toEqual(['20240102000000_add_b']);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining('copied 1 applied migration from "public"."pgmigrations"'),
        'moved "public"."dbcanon_migrations" to "supabase_migrations"."dbcanon_migrations"',
      ]),
    );
    expect(await bookkeeping()).toEqual([
      'public.pgmigrations',
      'supabase_migrations.dbcanon_migrations',
      'supabase_migrations.dbcanon_repeatables',
      'supabase_migrations.schema_migrations',
    ]);
    expect(await query('select version, name from supabase_migrations.schema_migrations order by 1')).toEqual(
      [
        { version: '20240101000000', name: 'create_t' },
        { version: '20240102000000', name: 'add_b' },
      ],
    );
    expect((await migrationStatus(opts())).migrations.map((m) => m.state)).toEqual(['applied', 'applied']);
  });

  it('check --db holds the files to the Supabase CLI’s history: an applied file edited since is reported', async () => {
    writeProject();
    await migrateUp(opts());
    fixture.project.write(
      'supabase/migrations/20240102000000_add_b.sql',
      'alter table t add column b bigint;\n',
    );
    const config = parseConfig({ migrations: ['supabase/migrations'], doc: 'none.md', repeatables: [] });
    const { findings } = await runCheck({
      root: fixture.project.root,
      config,
      databaseUrl: fixture.db.url,
      rules: [checksumRule],
    });
    expect(findings.map((f) => `${f.rule} ${f.file}`)).toEqual([
      'migration-checksum supabase/migrations/20240102000000_add_b.sql',
    ]);
  });
});
