/**
 * resolve-imports.ts answers imported constants without ts-morph. Where it answers, it must say what ts-morph
 * says; where it is not certain (re-exports, namespace imports, computed values), it must leave the file to
 * ts-morph.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractFile, loadTs } from '../../src/code/extract.js';
import { resolveImportedNames, resolveRelativeModule } from '../../src/code/resolve-imports.js';
import { resolvePendingNames } from '../../src/code/resolve-names.js';
import { moduleExports } from '../../src/code/scan-file.js';
import { tempProject } from '../support/temp-project.js';

const options = { sqlTags: ['sql'], prismaAccessors: {}, knownFunctions: ['vtid_next'] };

const project = (files: Record<string, string>) => tempProject(files, 'dbcanon-imports-');

async function both(root: string, files: string[]) {
  const jobs = [];
  for (const file of files) {
    const scan = await extractFile(file, readFileSync(path.join(root, file), 'utf8'), options);
    jobs.push({ file, pending: scan.pending, imports: scan.imports, importBindings: scan.importBindings });
  }
  const light = await resolveImportedNames(root, jobs, async (modules) => {
    const out = new Map();
    for (const m of modules) out.set(m, await moduleExports(m, path.join(root, m)));
    return out;
  });
  const morph = await resolvePendingNames(root, jobs);
  return { light, morph, jobs };
}

beforeAll(async () => {
  await loadTs();
});

describe('resolveImportedNames', () => {
  it('answers named imports of exported constants exactly as ts-morph does', async () => {
    const root = project({
      'src/lib/tables.ts': [
        "export const LEDGER = 'vtid_ledger';",
        "export const TABLES = { events: 'oasis_events', nested: { offers: 'offers' } } as const;",
        "export const users = pgTable('users', { id: text('id') });",
        "export const JOINED = 'oasis' + '_events';",
      ].join('\n'),
      'src/a.ts': [
        "import { LEDGER, TABLES as T, users, JOINED } from './lib/tables.js';",
        'export const a = (s: any, db: any) => [',
        '  s.from(LEDGER).select(),',
        '  s.from(T.events).insert({}),',
        '  s.from(T.nested.offers).delete(),',
        '  db.select().from(users),',
        '  s.from(JOINED).select(),',
        '];',
      ].join('\n'),
    });
    const { light, morph } = await both(root, ['src/a.ts']);
    expect(light.get('src/a.ts')?.values).toEqual([
      { t: 'str', s: 'vtid_ledger' },
      { t: 'str', s: 'oasis_events' },
      { t: 'str', s: 'offers' },
      { t: 'table', name: 'users', schema: null },
      { t: 'str', s: 'oasis_events' },
    ]);
    expect(light.get('src/a.ts')?.values).toEqual(morph.get('src/a.ts')?.values);
    expect(light.get('src/a.ts')?.deps).toEqual(['src/a.ts', 'src/lib/tables.ts']);
  });

  it('leaves to ts-morph what it cannot be sure of', async () => {
    const root = project({
      'src/lib/tables.ts': [
        "export const BASE = 'vtid';",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text
        'export const COMPUTED = `${BASE}_ledger`;',
        'export { BASE as RENAMED };',
        "export * from './more.js';",
      ].join('\n'),
      'src/lib/more.ts': [
        "export const MORE = 'oasis_events';",
        "export const TYPED = 'vtid_ledger';",
        'export type TYPED = typeof TYPED;',
        "export const OBJ = { a: 'vtid_ledger' };",
      ].join('\n'),
      'src/computed.ts':
        "import { COMPUTED } from './lib/tables.js';\nexport const f = (s: any) => s.from(COMPUTED).select();\n",
      'src/renamed.ts':
        "import { RENAMED } from './lib/tables.js';\nexport const f = (s: any) => s.from(RENAMED).select();\n",
      'src/star.ts':
        "import { MORE } from './lib/tables.js';\nexport const f = (s: any) => s.from(MORE).select();\n",
      'src/ns.ts':
        "import * as T from './lib/tables.js';\nexport const f = (s: any) => s.from(T.BASE).select();\n",
      'src/pkg.ts': "import { X } from 'some-package';\nexport const f = (s: any) => s.from(X).select();\n",
      'src/typed.ts':
        "import { TYPED } from './lib/more.js';\nexport const f = (s: any) => s.from(TYPED).select();\n",
      'src/bracket.ts':
        "import { OBJ } from './lib/more.js';\nexport const f = (s: any) => s.from(OBJ['a']).select();\n",
    });
    const files = [
      'src/computed.ts',
      'src/renamed.ts',
      'src/star.ts',
      'src/ns.ts',
      'src/pkg.ts',
      'src/typed.ts',
      'src/bracket.ts',
    ];
    const { light, morph } = await both(root, files);
    expect([...light.keys()]).toEqual([]);
    // ts-morph finds those it can; none of them is answered differently here, since none is answered.
    expect(morph.get('src/computed.ts')?.values).toEqual([{ t: 'str', s: 'vtid_ledger' }]);
    expect(morph.get('src/star.ts')?.values).toEqual([{ t: 'str', s: 'oasis_events' }]);
    // A constant merged with a type of its name, and a bracket access: ts-morph answers nothing for either.
    expect(morph.get('src/typed.ts')?.values).toEqual([null]);
    expect(morph.get('src/bracket.ts')?.values).toEqual([null]);
  });

  it('resolves relative specifiers in the order TypeScript does', () => {
    const root = project({
      'src/a.ts': '',
      'src/lib/x.ts': '',
      'src/lib/x.js': '',
      'src/lib/y.js': '',
      'src/lib/z.d.ts': '',
      'src/lib/dir/index.ts': '',
    });
    expect(resolveRelativeModule(root, 'src/a.ts', './lib/x.js')).toBe('src/lib/x.ts');
    expect(resolveRelativeModule(root, 'src/a.ts', './lib/x')).toBe('src/lib/x.ts');
    expect(resolveRelativeModule(root, 'src/a.ts', './lib/y.js')).toBe('src/lib/y.js');
    expect(resolveRelativeModule(root, 'src/a.ts', './lib/z.js')).toBeNull();
    expect(resolveRelativeModule(root, 'src/a.ts', './lib/dir')).toBeNull();
    expect(resolveRelativeModule(root, 'src/a.ts', 'lib/x')).toBeNull();
    expect(resolveRelativeModule(root, 'src/a.ts', '../../outside.js')).toBeNull();
  });
});
