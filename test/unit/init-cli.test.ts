import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { SUPABASE_MIGRATION } from '../support/supabase-migration.js';
import { tempProject } from '../support/temp-project.js';

const CODE = `import { createClient } from '@supabase/supabase-js';
const supabase = createClient('u', 'k');
export const load = () => supabase.from('profiles').select('*');
`;

async function run(root: string, ...args: string[]) {
  const io = memoryIo(root);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('dbcanon init', () => {
  it('writes a config with the code folders and a document from the migrations; check then finds no doc or drift problem', async () => {
    const root = tempProject({
      'supabase/config.toml': 'project_id = "demo"\n',
      'supabase/migrations/20240101000000_profiles.sql': SUPABASE_MIGRATION,
      'app/profile/page.ts': CODE,
      'lib/util.ts': 'export const x = 1;\n',
    });
    const first = await run(root, 'init');
    expect(first.code).toBe(0);
    expect(first.out).toContain('dbcanon.config.json: written');
    expect(first.out).toContain('DATABASE_SCHEMA.md: written, 2 tables');
    expect(JSON.parse(readFileSync(path.join(root, 'dbcanon.config.json'), 'utf8'))).toEqual({
      $schema: './node_modules/dbcanon/config.schema.json',
      code: { include: ['app/**/*.ts', 'app/**/*.tsx', 'lib/**/*.ts', 'lib/**/*.tsx'] },
    });
    const doc = readFileSync(path.join(root, 'DATABASE_SCHEMA.md'), 'utf8');
    // Entries in dependency order, Used by from the code, nothing of another project.
    expect(doc.indexOf('### profiles')).toBeLessThan(doc.indexOf('### avatar_audit'));
    expect(doc).toContain('**Used by:**\n- `app/profile/page.ts`');
    expect(doc).not.toMatch(/VTID|OASIS|vtid_ledger/);

    const check = await run(root, 'check', '--format', 'json');
    const rules = JSON.parse(check.out).findings.map((f: { rule: string }) => f.rule);
    expect(rules.filter((r: string) => r.startsWith('doc-') || r.startsWith('drift-'))).toEqual([]);

    // A second run changes nothing.
    const config = readFileSync(path.join(root, 'dbcanon.config.json'), 'utf8');
    const again = await run(root, 'init');
    expect(again.out).toContain('dbcanon.config.json: exists, left as it is');
    expect(again.out).toContain('DATABASE_SCHEMA.md: exists, left as it is');
    expect(readFileSync(path.join(root, 'dbcanon.config.json'), 'utf8')).toBe(config);
    expect(readFileSync(path.join(root, 'DATABASE_SCHEMA.md'), 'utf8')).toBe(doc);
  }, 30_000);

  it('never overwrites an existing document, and writes a config with only `$schema` when detection finds everything', async () => {
    const root = tempProject({
      'migrations/20240101000000_a.sql': 'create table a (id int primary key);\n',
      'src/a.ts': 'export const a = 1;\n',
      'DATABASE_SCHEMA.md': '# Ours\n',
    });
    const r = await run(root, 'init');
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(root, 'DATABASE_SCHEMA.md'), 'utf8')).toBe('# Ours\n');
    expect(JSON.parse(readFileSync(path.join(root, 'dbcanon.config.json'), 'utf8'))).toEqual({
      $schema: './node_modules/dbcanon/config.schema.json',
    });
  });
});
