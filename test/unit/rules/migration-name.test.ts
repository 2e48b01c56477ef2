import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import rule from '../../../src/lint/rules/migration-name.js';
import { listMigrationFiles, type MisnamedMigration } from '../../../src/migrate/files.js';
import { supabase } from '../../../src/migrate/runners/supabase.js';
import { context, run } from './context.js';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-name-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('migration-name', () => {
  it('reports each passed-over file once, with the runner and the fix, and is satisfied by none', () => {
    const findings = run(
      rule,
      context({ misnamedMigrations: [{ file: 'db/2025-11-12_allocator.sql', reason: 'pattern' }] }),
    );
    expect(findings.map((f) => `${f.file}:${f.line} ${f.severity}`)).toEqual([
      'db/2025-11-12_allocator.sql:1 warning',
    ]);
    expect(findings[0]?.message).toContain('does not match <digits>_<name>.sql');
    expect(findings[0]?.message).toContain('`dbcanon migrate` (node-pg-migrate’s format) passes over it');
    expect(findings[0]?.message).toContain('leaves it out too');
    expect(run(rule, context())).toEqual([]);
  });

  it('names the file that holds a duplicate name, and the runner that skips a file', () => {
    const findings = run(
      rule,
      context({
        migrationRunner: supabase,
        misnamedMigrations: [
          { file: 'b/1_one.sql', reason: 'duplicate-name', other: 'a/1_one.sql' },
          { file: 'supabase/migrations/20200101000000_init.sql', reason: 'legacy-init' },
        ],
      }),
    );
    expect(findings[0]?.message).toContain('exists twice (also a/1_one.sql)');
    expect(findings[1]?.message).toContain('the Supabase CLI skips a first migration');
  });
});

describe('listMigrationFiles with a list for misnamed files', () => {
  const root = project({
    'a/20250101000000_one.sql': 'create table one (id int);',
    'a/2025-11-12_dated.sql': 'create table dated (id int);',
    'b/20250101000000_one.sql': 'create table again (id int);',
    'b/20250102000000_two.sql': 'create table two (id int);',
  });
  const config = parseConfig({ migrations: ['a', 'b'] });

  it('leaves misnamed and duplicate files out and reports them, instead of refusing the whole listing', async () => {
    const misnamed: MisnamedMigration[] = [];
    const files = await listMigrationFiles(root, config, undefined, misnamed);
    expect(files.map((f) => f.file)).toEqual(['a/20250101000000_one.sql', 'b/20250102000000_two.sql']);
    expect(misnamed.map((m) => m.file).sort()).toEqual([
      'a/2025-11-12_dated.sql',
      'b/20250101000000_one.sql',
    ]);
  });

  it('still refuses them for the runner', async () => {
    await expect(listMigrationFiles(root, config)).rejects.toMatchObject({ code: 'MIGRATE_NAME' });
  });
});
