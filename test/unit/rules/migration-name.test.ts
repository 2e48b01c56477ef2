import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import rule from '../../../src/lint/rules/migration-name.js';
import { listMigrationFiles, type MisnamedMigration } from '../../../src/migrate/files.js';
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
  it('reports each misnamed file once, with the fix, and is satisfied by none', () => {
    const findings = run(
      rule,
      context({
        misnamedMigrations: [
          {
            file: 'db/2025-11-12_allocator.sql',
            message: "'2025-11-12_allocator.sql' has no numeric prefix",
            hint: 'rename it',
          },
        ],
      }),
    );
    expect(findings.map((f) => `${f.file}:${f.line} ${f.severity}`)).toEqual([
      'db/2025-11-12_allocator.sql:1 warning',
    ]);
    expect(findings[0]?.message).toContain('refuses to run');
    expect(findings[0]?.message).toContain('Fix: rename it.');
    expect(run(rule, context())).toEqual([]);
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
