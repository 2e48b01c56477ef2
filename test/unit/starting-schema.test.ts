/**
 * The starting schema: which one a project gets (config "startingSchema", else its folders), what the built-in
 * Supabase one holds, and that a migration written for Supabase replays cleanly from it and not without it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigLazily } from '../../src/config/defaults.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { DbcanonError } from '../../src/errors.js';
import { withoutPlatform } from '../../src/model/starting-schema.js';
import { replaySql } from '../../src/sql/replay.js';
import { detectStartingSchema, loadStartingSchema } from '../../src/sql/starting-schema.js';
import { SUPABASE_MIGRATION } from '../support/supabase-migration.js';
import { tempProject } from '../support/temp-project.js';

describe('which starting schema a project has', () => {
  it('is supabase when the project root has a supabase/ folder, else postgres (detected)', () => {
    const supabase = tempProject({ 'supabase/config.toml': 'project_id = "x"\n' });
    expect(detectStartingSchema(supabase, {})).toEqual({ choice: { kind: 'supabase' }, detected: true });
    const plain = tempProject({ 'migrations/001_init.sql': 'select 1;\n' });
    expect(detectStartingSchema(plain, {})).toEqual({ choice: { kind: 'postgres' }, detected: true });
  });

  it('is what the config says, whatever the folders say', () => {
    const supabase = tempProject({ 'supabase/migrations/001_init.sql': 'select 1;\n' });
    expect(detectStartingSchema(supabase, { startingSchema: 'postgres' }).choice).toEqual({
      kind: 'postgres',
    });
    expect(detectStartingSchema(supabase, { startingSchema: 'db/start.sql' }).choice).toEqual({
      kind: 'file',
      file: 'db/start.sql',
    });
  });

  it('config: accepts supabase, postgres and a .sql path; names a misspelling at its key', () => {
    for (const ok of ['supabase', 'postgres', 'db/platform.sql']) {
      expect(parseConfig({ startingSchema: ok }).startingSchema).toBe(ok);
    }
    expect(parseConfig({}).startingSchema).toBeUndefined();
    // `baseline` keeps meaning accepted findings.
    expect(parseConfig({ baseline: 'b.json' }).startingSchema).toBeUndefined();
    for (const bad of ['supbase', '', 42]) {
      let err: unknown;
      try {
        parseConfig({ startingSchema: bad });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DbcanonError);
      expect((err as DbcanonError).format()).toContain('startingSchema:');
    }
  });

  it('a starting file that cannot be read is a config error naming it', async () => {
    const root = tempProject({ 'migrations/001.sql': 'select 1;\n' });
    await expect(loadStartingSchema(root, { startingSchema: 'db/missing.sql' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('db/missing.sql'),
    });
  });

  it('without a "migrations" key, a Supabase project reads supabase/migrations', async () => {
    const files = { 'supabase/migrations/20240101000000_init.sql': 'select 1;\n' };
    expect((await loadConfigLazily(tempProject(files))).config.migrations).toEqual(['supabase/migrations']);
    const withConfig = tempProject({ ...files, 'dbcanon.config.json': '{"doc": "SCHEMA.md"}' });
    expect((await loadConfig(withConfig)).config.migrations).toEqual(['supabase/migrations']);
    const named = tempProject({ ...files, 'dbcanon.config.json': '{"migrations": ["db"]}' });
    expect((await loadConfig(named)).config.migrations).toEqual(['db']);
    const both = tempProject({ ...files, 'migrations/001.sql': 'select 1;\n' });
    expect((await loadConfigLazily(both)).config.migrations).toEqual(['migrations']);
  });
});

describe('the built-in Supabase starting schema', () => {
  it('replays without a problem and holds what Supabase migrations use', async () => {
    const s = await loadStartingSchema(tempProject({ 'supabase/config.toml': '' }), {});
    expect(s.problems).toEqual([]);
    const tables = s.model.tables.map((t) => `${t.schema}.${t.name}`);
    expect(tables).toEqual(
      expect.arrayContaining([
        'auth.users',
        'auth.identities',
        'auth.sessions',
        'auth.refresh_tokens',
        'storage.buckets',
        'storage.objects',
      ]),
    );
    const functions = s.model.functions.map((f) => `${f.schema}.${f.name}(${f.identityArgs})`);
    expect(functions).toEqual(
      expect.arrayContaining([
        'auth.uid()',
        'auth.role()',
        'auth.jwt()',
        'auth.email()',
        'storage.foldername(name text)',
        'storage.filename(name text)',
        'storage.extension(name text)',
      ]),
    );
    const users = s.model.tables.find((t) => t.schema === 'auth' && t.name === 'users');
    expect(users?.constraints.find((c) => c.kind === 'primary_key')?.columns).toEqual(['id']);
  });

  it('a Supabase migration replays cleanly from it, and does not from plain postgres', async () => {
    const input = { file: 'supabase/migrations/20240101000000_profiles.sql', sql: SUPABASE_MIGRATION };
    const supabase = await loadStartingSchema(tempProject({ 'supabase/config.toml': '' }), {});
    const from = await replaySql([input], supabase.model);
    expect(from.problems).toEqual([]);
    const profiles = from.model.tables.find((t) => t.name === 'profiles');
    expect(profiles?.constraints.find((c) => c.kind === 'foreign_key')).toMatchObject({
      name: 'profiles_user_id_fkey',
      references: { schema: 'auth', table: 'users', columns: ['id'], onDelete: 'cascade' },
    });
    // The project's own part: its table and its policies on storage.objects; not Supabase's tables.
    const own = withoutPlatform(from.model, supabase.model);
    expect(own.tables.map((t) => `${t.schema}.${t.name}`)).toEqual([
      'public.avatar_audit',
      'public.profiles',
    ]);
    expect(own.policies.map((p) => `${p.schema}.${p.table}`)).toEqual(['storage.objects', 'storage.objects']);
    expect(own.functions).toEqual([]);

    // From plain postgres, Supabase's tables are external: made elsewhere, touched here.
    const plain = await replaySql([input]);
    expect(plain.problems).toEqual([]);
    expect(plain.model.externalTables?.map((e) => `${e.schema}.${e.name}`)).toEqual([
      'auth.users',
      'storage.objects',
    ]);
  });

  it("leaves a platform's views out of the project's part, and keeps the project's own", async () => {
    const platform = await replaySql([{ file: 'p.sql', sql: 'create view platform_v as select 1 as one' }]);
    const project = await replaySql(
      [{ file: 'm.sql', sql: 'create view own_v as select 2 as two' }],
      platform.model,
    );
    expect(project.model.views?.map((v) => v.name)).toEqual(['own_v', 'platform_v']);
    expect(withoutPlatform(project.model, platform.model).views?.map((v) => v.name)).toEqual(['own_v']);
  });

  it("a project's own starting file is replayed from its path, and its problems are the project's", async () => {
    const root = tempProject({ 'db/platform.sql': 'create table platform_users (id uuid primary key);\n' });
    writeFileSync(path.join(root, 'db/broken.sql'), 'create table x (id int);\ncreate table x (id int);\n');
    const s = await loadStartingSchema(root, { startingSchema: 'db/platform.sql' });
    expect(s.choice).toEqual({ kind: 'file', file: 'db/platform.sql' });
    expect(s.model.tables.map((t) => [t.name, t.loc?.file])).toEqual([['platform_users', 'db/platform.sql']]);
    const broken = await loadStartingSchema(root, { startingSchema: 'db/broken.sql' });
    expect(broken.problems.map((p) => `${p.file}:${p.line}`)).toEqual(['db/broken.sql:2']);
  });
});
