import { cpSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../src/code/glob.js';
import { scanCode } from '../../src/code/scan.js';
import { parseConfig } from '../../src/config/load.js';
import { tempProject } from '../support/temp-project.js';

const fixture = path.join(import.meta.dirname, '../fixtures/code/patterns');
const config = parseConfig({
  code: { include: ['src/**/*.ts'], sqlTags: ['sql', 'db'], prisma: ['prisma/schema.prisma'] },
  repeatables: [],
  migrations: [],
});

function copyFixture(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-scan-'));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

const names = (r: Awaited<ReturnType<typeof scanCode>>, file: string) =>
  r.references.filter((x) => x.file === file).map((x) => x.name);

describe('scanCode cache', () => {
  it('re-reads only the files that changed, and follows a changed imported constant', async () => {
    const dir = copyFixture();
    const cold = await scanCode(dir, config, { workers: 0 });
    expect(cold.stats?.read).toBe(11);
    expect(cold.stats?.resolvedFiles).toBe(1);
    // A namespace import (`import * as Tables`) is beyond resolve-imports.ts: ts-morph resolves that file.
    expect(cold.stats?.resolvedByTsMorph).toBe(1);
    expect(readFileSync(path.join(dir, '.dbcanon/cache/.gitignore'), 'utf8')).toBe('*\n');

    const warm = await scanCode(dir, config, { workers: 0 });
    expect(warm.stats).toEqual({ fromCache: 11, read: 0, parsed: 0, resolvedFiles: 0, resolvedByTsMorph: 0 });
    expect(warm.references).toEqual(cold.references);
    expect(warm.unresolved).toEqual(cold.unresolved);

    // Touched but not changed: read and hashed again, not parsed.
    const knex = path.join(dir, 'src/knex.ts');
    utimesSync(knex, new Date(), new Date(Date.now() + 5000));
    const touched = await scanCode(dir, config, { workers: 0 });
    expect(touched.stats).toMatchObject({ fromCache: 10, read: 1, parsed: 0 });
    expect(touched.references).toEqual(cold.references);

    // Changed: parsed again, the new reference is there.
    writeFileSync(knex, `${readFileSync(knex, 'utf8')}\nexport const more = () => knex('audit_trail');\n`);
    const edited = await scanCode(dir, config, { workers: 0 });
    expect(edited.stats).toMatchObject({ fromCache: 10, read: 1, parsed: 1 });
    expect(names(edited, 'src/knex.ts')).toContain('audit_trail');

    // The constant a file imports changed: that file's names are resolved again.
    const tables = path.join(dir, 'src/lib/tables.ts');
    writeFileSync(tables, readFileSync(tables, 'utf8').replace("'vtid_ledger'", "'vtid_ledger_v2'"));
    const dep = await scanCode(dir, config, { workers: 0 });
    expect(dep.stats?.resolvedFiles).toBe(1);
    expect(names(dep, 'src/constants.ts')).toContain('vtid_ledger_v2');
    expect(names(dep, 'src/constants.ts')).not.toContain('vtid_ledger');
  }, 30_000);

  it('never parses a file without any trigger substring', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-scan-'));
    cpSync(path.join(fixture, 'src/knex.ts'), path.join(dir, 'src/knex.ts'), { recursive: true });
    writeFileSync(path.join(dir, 'src/plain.ts'), 'export const add = (a: number, b: number) => a + b;\n');
    const r = await scanCode(dir, config, { cache: false, workers: 0 });
    expect(r.stats).toMatchObject({ read: 2, parsed: 1 });
    expect(r.filesMatched).toBe(2);
    expect(r.files).toEqual(['src/knex.ts', 'src/plain.ts']);
  });
});

describe('scanCode SQL definitions', () => {
  it('hands the rules what each SQL function touches, so callers count as users of those tables', async () => {
    const r = await scanCode(fixture, { ...config, repeatables: ['schema'] }, { cache: false, workers: 0 });
    const defs = (r.definitions ?? []).map((d) => [d.kind, d.name, d.uses ?? null]);
    expect(defs).toEqual([
      ['function', 'vtid_get', ['public.vtid_ledger']],
      ['function', 'vtid_touch', ['public.vtid_ledger']],
      ['transition', 'inserted', null],
    ]);
  }, 30_000);
});

describe('code globs', () => {
  it('matches ** across directories, * within one, and alternatives', () => {
    const src = globToRegExp('src/**/*.ts');
    expect(src.test('src/a.ts')).toBe(true);
    expect(src.test('src/routes/v1/a.ts')).toBe(true);
    expect(src.test('lib/a.ts')).toBe(false);
    expect(src.test('src/a.tsx')).toBe(false);
    expect(globToRegExp('**/node_modules/**').test('src/node_modules/x/a.ts')).toBe(true);
    expect(globToRegExp('**/*.d.ts').test('src/types.d.ts')).toBe(true);
    expect(globToRegExp('src/**/*.{ts,tsx}').test('src/ui/a.tsx')).toBe(true);
  });

  it('leaves out excluded files and directories', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-scan-'));
    cpSync(path.join(fixture, 'src/knex.ts'), path.join(dir, 'src/knex.ts'));
    cpSync(path.join(fixture, 'src/knex.ts'), path.join(dir, 'src/node_modules/pkg/index.ts'));
    cpSync(path.join(fixture, 'src/knex.ts'), path.join(dir, 'src/types.d.ts'));
    const r = await scanCode(dir, config, { cache: false, workers: 0 });
    expect(r.files).toEqual(['src/knex.ts']);
  });
});

describe('function names: the code is scanned while the SQL is parsed', () => {
  const project = (files: Record<string, string>) => tempProject(files, 'dbcanon-fn-');
  const fnConfig = parseConfig({
    code: { include: ['src/**/*.ts'] },
    repeatables: [],
    migrations: ['migrations'],
  });
  const code = [
    "export const a = (sql: any, call: any) => [call(sql, 'kept_fn'), call(sql, 'dropped_fn'), call(sql, 'odd_fn')];",
    'export const b = (sql: any) => sql`select kept_fn(), dropped_fn(), odd_fn()`;',
    "export const c = (s: any) => s.rpc('dropped_fn');",
  ].join('\n');
  const fnRefs = (r: Awaited<ReturnType<typeof scanCode>>) =>
    r.references.filter((x) => x.target === 'function').map((x) => `${x.name}:${x.via}`);

  it('keeps references only to functions the Up sections define; rpc names stay whatever the SQL holds', async () => {
    const dir = project({
      'migrations/1_fns.sql': [
        '-- Up Migration',
        'create function kept_fn() returns int language sql as $$ select 1 $$;',
        '-- Down Migration',
        'drop function kept_fn();',
        // Re-created by the Down section only: named after CREATE FUNCTION, but not defined by the migrations.
        'create function dropped_fn() returns int language sql as $$ select 2 $$;',
      ].join('\n'),
      'src/a.ts': code,
    });
    for (const workers of [0, 2]) {
      const r = await scanCode(dir, fnConfig, { cache: false, workers, parallelBytes: 0 });
      expect(fnRefs(r).sort()).toEqual([
        'dropped_fn:supabase-rpc',
        'kept_fn:function-name',
        'kept_fn:sql-tag',
      ]);
    }
  }, 30_000);

  it('a second run takes every code file from the cache, migrations with functions or not', async () => {
    const dir = project({
      'migrations/1_fns.sql':
        '-- Up Migration\ncreate function kept_fn() returns int language sql as $$ select 1 $$;\n-- Down Migration\ndrop function dropped_fn();\n',
      'src/a.ts': code,
    });
    const cold = await scanCode(dir, fnConfig, { workers: 0 });
    const warm = await scanCode(dir, fnConfig, { workers: 0 });
    expect(cold.stats?.parsed).toBe(1);
    expect(warm.stats).toMatchObject({ fromCache: 1, read: 0, parsed: 0 });
    expect(warm.references).toEqual(cold.references);
  });

  it('looks for a project function by its name between quotes: a function named `get` is not every `.get(`', async () => {
    const dir = project({
      'migrations/1_fns.sql':
        '-- Up Migration\ncreate function get() returns int language sql as $$ select 1 $$;\n',
      'src/a.ts': "export const a = (sql: any, call: any) => call(sql, 'get');",
      'src/b.ts': 'export const b = (m: Map<string, number>) => m.get(`x`) ?? new Map().get("y");',
    });
    const r = await scanCode(dir, fnConfig, { cache: false, workers: 0 });
    expect(fnRefs(r)).toEqual(['get:function-name']);
    expect(r.references.map((x) => x.file)).toEqual(['src/a.ts']);
    // src/b.ts holds no quoted `get`: the prefilter lets it go unparsed.
    expect(r.stats).toMatchObject({ read: 2, parsed: 1 });
  });

  it('finds a table named only in a call with type arguments, db.from<Row>(…)', async () => {
    const dir = project({
      'src/c.ts': "export const c = (db: any) => db.from<{ id: number }>('typed_table').select('*');",
      'src/d.ts': "export const d = (knex: any) => knex.into<{ id: number }>('typed_target');",
    });
    const r = await scanCode(dir, fnConfig, { cache: false, workers: 0 });
    expect(r.references.map((x) => `${x.file}:${x.name}:${x.via}`)).toEqual([
      'src/c.ts:typed_table:supabase-from',
      'src/d.ts:typed_target:knex',
    ]);
  });

  it('finds a function whose name the quick look misses (a comment after FUNCTION) by scanning again', async () => {
    const dir = project({
      'migrations/1_fns.sql':
        '-- Up Migration\ncreate function /* helper */ odd_fn() returns int language sql as $$ select 1 $$;\n',
      'src/a.ts': code,
    });
    const r = await scanCode(dir, fnConfig, { cache: false, workers: 0 });
    expect(fnRefs(r).sort()).toEqual(['dropped_fn:supabase-rpc', 'odd_fn:function-name', 'odd_fn:sql-tag']);
  });
});
