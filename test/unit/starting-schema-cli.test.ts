/**
 * A Supabase CLI project without a dbcanon config: supabase/migrations holds a migration with a key to
 * auth.users and storage policies. check, doc sync and doc diagram start from the Supabase starting schema and
 * treat its tables as the platform's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { SUPABASE_MIGRATION } from '../support/supabase-migration.js';
import { tempProject } from '../support/temp-project.js';

const DOC =
  '# Database schema\n\n## Production tables\n\n## Change log\n\n| Date | Change |\n|------|--------|\n';

function supabaseProject(): string {
  return tempProject({
    'supabase/config.toml': 'project_id = "demo"\n',
    'supabase/migrations/20240101000000_profiles.sql': SUPABASE_MIGRATION,
    'DATABASE_SCHEMA.md': DOC,
  });
}

interface JsonFinding {
  rule: string;
  file: string;
  severity: string;
  table?: string;
}

async function check(root: string): Promise<JsonFinding[]> {
  const io = memoryIo(root);
  await main(['check', '--format', 'json'], io);
  return JSON.parse(io.out()).findings;
}

describe('a Supabase project with no config', () => {
  it('check, doc sync and doc diagram work from the Supabase starting schema', async () => {
    const root = supabaseProject();

    const before = await check(root);
    expect(before.filter((f) => f.rule === 'migration-syntax')).toEqual([]);
    // The project's tables (one made in a guarded DO block) are undocumented; Supabase's are not the project's.
    const undocumented = before.filter((f) => f.rule === 'drift-undocumented-table').map((f) => f.table);
    expect(undocumented.sort()).toEqual(['avatar_audit', 'profiles']);
    expect(before.filter((f) => f.rule === 'migration-external-table')).toEqual([]);
    expect(before.some((f) => /^(auth|storage)\./.test(f.table ?? ''))).toBe(false);

    let io = memoryIo(root);
    expect(await main(['doc', 'sync'], io)).toBe(0);
    expect(io.out()).toContain('profiles: stub entry added');
    expect(io.out()).toContain('avatar_audit: stub entry added');
    const synced = readFileSync(path.join(root, 'DATABASE_SCHEMA.md'), 'utf8');
    expect(synced).toContain('user_id UUID NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,');
    expect(synced).not.toMatch(/### (auth|storage)\./);

    // A second sync changes nothing: the block with its key to auth.users replays from the starting schema.
    io = memoryIo(root);
    expect(await main(['doc', 'sync', '--check'], io)).toBe(0);

    const after = await check(root);
    expect(after.filter((f) => f.rule.startsWith('drift-') || f.rule.startsWith('doc-syntax'))).toEqual([]);

    io = memoryIo(root);
    expect(await main(['doc', 'diagram'], io)).toBe(0);
    const drawn = readFileSync(path.join(root, 'DATABASE_SCHEMA.md'), 'utf8');
    expect(drawn).toContain('erDiagram');
    expect(drawn).toContain('UUID user_id FK');
    expect(drawn).toContain('profiles ||--o{ avatar_audit');
  });

  it('the same project with startingSchema "postgres" reports Supabase\'s tables as external, once each', async () => {
    const root = tempProject({
      'supabase/migrations/20240101000000_profiles.sql': SUPABASE_MIGRATION,
      'DATABASE_SCHEMA.md': DOC,
      'dbcanon.config.json': '{"startingSchema": "postgres"}',
    });
    const findings = await check(root);
    expect(findings.filter((f) => f.rule === 'migration-syntax')).toEqual([]);
    expect(
      findings.filter((f) => f.rule === 'migration-external-table').map((f) => [f.table, f.severity]),
    ).toEqual([
      ['auth.users', 'warning'],
      ['storage.objects', 'warning'],
    ]);
  });

  // The package's own build: the built-in schema is found from dist/ as it is from src/.
  it.skipIf(!existsSync(path.resolve(import.meta.dirname, '../../dist/cli/main.js')))(
    'bin/dbcanon.js finds the built-in schema beside dist/',
    () => {
      const root = supabaseProject();
      const bin = path.resolve(import.meta.dirname, '../../bin/dbcanon.js');
      let out: string;
      try {
        out = execFileSync(process.execPath, [bin, 'check', '--format', 'json'], {
          cwd: root,
          encoding: 'utf8',
        });
      } catch (e) {
        out = (e as { stdout: string }).stdout;
      }
      const rules = (JSON.parse(out).findings as JsonFinding[]).map((f) => f.rule);
      expect(rules).not.toContain('migration-syntax');
      expect(rules).toContain('drift-undocumented-table');
    },
  );
});
