/**
 * Big files are scanned from the statements that can hold a reference (chunks.ts cuts them, extract.ts parses
 * only what matters). The scan must equal the whole file's, position for position: checked on every fixture
 * and source file padded with unrelated code between its statements, and on generated files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { topLevelChunks } from '../../src/code/chunks.js';
import { type ExtractOptions, extractFile, extractStatements, loadTs } from '../../src/code/extract.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const options: ExtractOptions = {
  sqlTags: ['sql', 'db'],
  prismaAccessors: { vtidLedger: { table: 'vtid_ledger', schema: null } },
  knownFunctions: ['vtid_next', 'vtid_create', 'oasis_ingest'],
};

beforeAll(async () => {
  await loadTs();
});

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(rel));
    else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out.sort();
}

/** Unrelated code, with names a reference might look up (`T`, `table`, `sql`) declared in its own scopes. */
const FILLER = [
  `
export function scale(s: { w: number; h: number }, f: number) {
  const ratio = s.h / s.w / 2; // a division, then /regex-looking/ text in a comment
  return { w: s.w * f, h: Math.round(s.h * f * ratio) };
}
`,
  `
export class Counter {
  private readonly counts = new Map<string, number>();
  label(key: string): string {
    return \`\${key.toUpperCase()}: \${this.counts.get(key) ?? 0} { not a brace } \${ { a: \`x\` }.a }\`;
  }
  matches(s: string) { return /[{}'"\`]+/g.test(s) && s.split('/').length > 1; }
}
`,
  `
function shadow(T: string, table: string, sql: unknown) {
  return [T, table, sql];
}
`,
  `
const TEMPLATE_ONLY = \`
  multi-line text with ; and } and { and // not a comment
\`;
`,
];

/** `text` with unrelated code inserted before each of its top-level statements. */
function padded(text: string, seed: number): string {
  const chunks = topLevelChunks(text) ?? [{ start: 0, end: text.length }];
  let out = '';
  chunks.forEach((c, k) => {
    out += `${FILLER[(seed + k) % FILLER.length]}\n${text.slice(c.start, c.end)}`;
  });
  return out + FILLER.join('\n');
}

const corpus = [...tsFiles('test/fixtures/code'), ...tsFiles('src')];

describe('scanning big files by their statements', () => {
  it.each(corpus)('%s, padded: the same scan as a whole parse', async (file) => {
    const text = padded(readFileSync(path.join(ROOT, file), 'utf8'), file.length);
    const whole = await extractFile(file, text, options, 'whole');
    const partial = await extractStatements(file, text, options);
    expect(partial).not.toBeNull();
    expect(partial).toEqual(whole);
    expect(await extractFile(file, text, options)).toEqual(whole);
  });

  it('finds references in padded fixtures (the comparison is not between two empty scans)', async () => {
    const file = 'test/fixtures/code/patterns/src/supabase.ts';
    const text = padded(readFileSync(path.join(ROOT, file), 'utf8'), 1);
    const scan = await extractStatements(file, text, options);
    expect(scan?.references.length).toBeGreaterThan(3);
  });

  it('generated files: the same scan as a whole parse', async () => {
    const statements = fc.constantFrom(
      "import { LEDGER } from './lib/tables.js';",
      "const T = 'vtid_ledger';",
      "let T2 = 'oasis_events';",
      'const TABLES = { a: \'vtid_ledger\', b: "oasis_events" } as const;',
      'export async function a(supabase: any) { return supabase.from(T).select(); }',
      'export async function b(supabase: any) { await supabase.from(LEDGER).insert({}); }',
      'export async function c(supabase: any, table: string) { return supabase.from(table).delete(); }',
      'export async function d(db: any) { return db.selectFrom(TABLES.a).selectAll().execute(); }',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text
      'export const e = async (pool: any) => pool.query(`select * from ${T2} where id = $1`, [1]);',
      'export async function f(prisma: any) { return prisma.vtidLedger.findMany(); }',
      'export async function g(sql: any) { return sql`select vtid_next()`; }',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text
      'export const h = (u: string) => fetch(`${u}/rest/v1/vtid_ledger?select=*`);',
      'function T() { return 1; }',
      'export function scale(a: number, b: number) { return a / b / 2; }',
      'export const re = /[{]"\'`/g;',
      "type Row = { id: string; note: 'a;b' };",
      // Calls the walker finds by name though the file prefilter's substrings do not match them.
      "export const i = (db: any) => db.select('*').from<Row>('vtid_ledger');",
      "export const j = (trx: any) => trx<Row>('oasis_events').where({ id: 1 });",
      'export const k = (myPrisma: any) => myPrisma.unknownModel.findMany();',
      // TypeScript counts U+2028 as a line break, in comments too: later positions must agree.
      '// a note\u2028that goes on',
      ...FILLER,
    );
    await fc.assert(
      fc.asyncProperty(fc.array(statements, { minLength: 2, maxLength: 40 }), async (parts) => {
        const text = `${parts.join('\n')}\n${FILLER.join('\n').repeat(4)}`;
        const whole = await extractFile('gen.ts', text, options, 'whole');
        const partial = await extractStatements('gen.ts', text, options);
        if (partial !== null) expect(partial).toEqual(whole);
        expect(await extractFile('gen.ts', text, options)).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});

describe('topLevelChunks', () => {
  const starts = (text: string) => topLevelChunks(text)?.map((c) => text.slice(c.start, c.start + 12));

  it('cuts before declarations that start a line after a statement ended', () => {
    expect(
      starts('import a from "a";\nconst x = 1;\nexport function f() {\n  const y = 2;\n}\nclass C {}\n'),
    ).toEqual(['import a fro', 'const x = 1;', 'export funct', 'class C {}\n']);
  });

  it('does not cut inside brackets, templates, or after an unfinished expression', () => {
    expect(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text
      starts('const a = {\nconst: 1 };\nconst b = `\nconst c = ${x}`;\nconst d = x +\nfunction () {};'),
    ).toEqual(['const a = {\n', 'const b = `\n', 'const d = x ']);
  });

  it('tells a regular expression from a division', () => {
    expect(starts('const r = /[{]`/;\nconst q = a / b / c;\nconst s = x;')?.length).toBe(3);
    expect(starts('function f() { return /}/; }\nconst s = 1;')?.length).toBe(2);
  });

  it('reads a regular expression after `return !`, and a property named like a keyword as a value', () => {
    expect(starts('function f(s) { return !/[\'"]/.test(s); }\nexport const x = 1;\n')?.length).toBe(2);
    expect(starts('const r = o.new / 2;\nexport const x = 1;\n')?.length).toBe(2);
  });

  it('gives up on text it cannot lex with confidence', () => {
    expect(topLevelChunks('const s = "unterminated\n')).toBeNull();
    expect(topLevelChunks('const t = `open ${ x')).toBeNull();
    expect(topLevelChunks('/* open comment')).toBeNull();
    expect(topLevelChunks('function f() {')).toBeNull();
  });
});
