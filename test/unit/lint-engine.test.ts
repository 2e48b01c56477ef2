import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { DocModel } from '../../src/doc/doc-model.js';
import {
  createBaseline,
  filterByBaseline,
  fingerprint,
  readBaseline,
  writeBaseline,
} from '../../src/lint/baseline.js';
import { type Producers, runCheck } from '../../src/lint/engine.js';
import { parseSuppression } from '../../src/lint/suppression.js';
import type { Finding } from '../../src/lint/types.js';
import { emptySchemaModel, type SchemaModel } from '../../src/model/schema-model.js';
import { col, doc, docTable, loc, model, table } from './rules/context.js';

const MIG = 'migrations/20250101000000_init.sql';

/** A project whose document and migrations disagree in known ways; files exist so suppressions can be read. */
function producers(d: DocModel, docSchema: SchemaModel, migrations: SchemaModel): Producers {
  return {
    readDoc: async () => d,
    docSchema: async () => ({ model: docSchema, problems: [] }),
    replayMigrations: async () => ({
      model: migrations,
      files: [{ file: MIG, name: '20250101000000_init' }],
      filesRead: 1,
      problems: [],
    }),
    scanCode: async () => null,
    ormSchema: async () => emptySchemaModel(),
    readDatabase: async () => ({ model: emptySchemaModel(), applied: [] }),
  };
}

let root: string;
const docText = (extraAbove = '') =>
  `# Schema\n${extraAbove}## PRODUCTION TABLES\n### orders\n\`\`\`sql\ncreate table orders (\n  id text primary key\n);\n\`\`\`\n`;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dbcanon-engine-'));
  await writeFile(path.join(root, 'DATABASE_SCHEMA.md'), docText());
  await import('node:fs/promises').then((fs) => fs.mkdir(path.join(root, 'migrations')));
  await writeFile(
    path.join(root, MIG),
    '-- Up Migration\n-- dbcanon-ignore rls-enabled: internal table, never exposed through the API\ncreate table jobs (id text);\ncreate table orders (id text, note text);\n',
  );
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const D = 'DATABASE_SCHEMA.md';
const theDoc = doc([
  docTable('orders', 3, { usedBy: [{ path: 'src/x.ts', isFile: true, note: null, line: 4 }] }),
]);
const theDocSchema = model({ tables: [table('orders', [col('id')], { loc: loc(D, 5) })] });
const theMigrations = model({
  tables: [
    table('jobs', [col('id')], { loc: loc(MIG, 3) }),
    table('orders', [col('id'), col('note')], { loc: loc(MIG, 4) }),
  ],
});

// The fixture project stands for one served by PostgREST, so that the exposure rules (rls-enabled) run.
const check = (config: object = {}, extra: Partial<Parameters<typeof runCheck>[0]> = {}) =>
  runCheck({
    root,
    config: parseConfig({ api: 'postgrest', ...config }),
    producers: producers(theDoc, theDocSchema, theMigrations),
    ...extra,
  });

const ids = (fs: Finding[]) => fs.map((f) => `${f.rule}@${f.file}:${f.line}:${f.severity}`);

describe('runCheck', () => {
  it('reports drift and conventions with preset severities, sorted by place; suppression comments apply', async () => {
    const r = await check();
    expect(ids(r.findings)).toEqual([
      `drift-undocumented-column@${D}:5:error`,
      `drift-undocumented-table@${MIG}:3:error`,
      `rls-enabled@${MIG}:4:warning`,
    ]);
    // jobs' rls-enabled is suppressed by the comment above its CREATE TABLE
    expect(r.suppressed).toBe(1);
    expect(r.summary).toEqual({ errors: 2, warnings: 1, tables: 2, files: 2 });
  });

  it('config severities override the preset, `off` turns a rule off, and --preset strict raises conventions', async () => {
    const r = await check({ rules: { 'drift-undocumented-table': 'warn', 'rls-enabled': 'off' } });
    expect(ids(r.findings)).toEqual([
      `drift-undocumented-column@${D}:5:error`,
      `drift-undocumented-table@${MIG}:3:warning`,
    ]);
    const strict = await check({}, { preset: 'strict' });
    expect(strict.findings.map((f) => f.rule)).toContain('type-primary-key');
  });

  it('a baseline drops the findings it records and keeps new ones', async () => {
    const first = await check();
    const baseline = createBaseline(first.findings.filter((f) => f.rule !== 'rls-enabled'));
    const r = await check({}, { baseline });
    expect(ids(r.findings)).toEqual([`rls-enabled@${MIG}:4:warning`]);
    expect(r.baselined).toBe(2);
  });

  it('auto: a project with no Supabase folder and no policy for an API role is not exposed, so no rls-enabled', async () => {
    const r = await runCheck({
      root,
      config: parseConfig({}),
      producers: producers(theDoc, theDocSchema, theMigrations),
    });
    expect(r.findings.map((f) => f.rule)).not.toContain('rls-enabled');
    expect(r.findings.map((f) => f.rule)).toContain('drift-undocumented-table');
  });
});

describe('baseline', () => {
  const f = (message: string, line: number): Finding => ({
    rule: 'drift-missing-column',
    severity: 'error',
    message,
    file: 'DATABASE_SCHEMA.md',
    line,
    column: 1,
    table: 'orders',
  });

  it('matches a finding after lines shift (locations in the message included)', () => {
    const before = f('column `orders.x` (see DATABASE_SCHEMA.md:12:3, line 12) is missing', 12);
    const after = f('column `orders.x` (see DATABASE_SCHEMA.md:19:3, line 19) is missing', 19);
    expect(fingerprint(before)).toBe(fingerprint(after));
    expect(filterByBaseline([after], createBaseline([before]))).toEqual([]);
  });

  it('keeps a different finding, and a second copy of a recorded one', () => {
    const a = f('column `orders.x` is missing', 12);
    const b = f('column `orders.y` is missing', 13);
    expect(filterByBaseline([a, b, a], createBaseline([a]))).toEqual([b, a]);
  });

  it('round-trips through a file, and rejects a file of the wrong shape with its path', async () => {
    const file = path.join(root, 'baseline.json');
    const bl = createBaseline([f('m', 1)]);
    await writeBaseline('baseline.json', root, bl);
    expect(await readBaseline('baseline.json', root)).toEqual(bl);
    expect(JSON.parse(await readFile(file, 'utf8')).version).toBe(1);
    await writeFile(file, '{"version":2,"findings":[]}');
    await expect(readBaseline('baseline.json', root)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(readBaseline('nope.json', root)).rejects.toMatchObject({ code: 'IO_READ' });
  });
});

describe('suppression comments', () => {
  it('reads SQL, TypeScript and markdown syntax, several ids, and a reason', () => {
    expect(parseSuppression('  -- dbcanon-ignore rls-enabled: internal')).toEqual(['rls-enabled']);
    expect(parseSuppression('// dbcanon-ignore code-unknown-table, code-table-case legacy view')).toEqual([
      'code-unknown-table',
      'code-table-case',
    ]);
    expect(parseSuppression('<!-- dbcanon-ignore doc-misplaced-table -->')).toEqual(['doc-misplaced-table']);
    expect(parseSuppression('-- an ordinary comment')).toBeNull();
  });

  it('a markdown suppression above a table entry hides that finding only', async () => {
    await writeFile(path.join(root, D), docText('<!-- dbcanon-ignore drift-undocumented-column -->\n'));
    const shifted = model({ tables: [table('orders', [col('id')], { loc: loc(D, 3) })] });
    const r = await runCheck({
      root,
      config: parseConfig({ api: 'postgrest' }),
      producers: producers(theDoc, shifted, theMigrations),
    });
    expect(r.findings.map((f) => f.rule)).toEqual(['drift-undocumented-table', 'rls-enabled']);
    await writeFile(path.join(root, D), docText());
  });
});
