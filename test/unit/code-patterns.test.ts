/**
 * One fixture per pattern (test/fixtures/code/patterns/src/*.ts, prisma/schema.prisma): each reference line is
 * annotated with what the scanner must find there; unannotated lines (the false-positive traps among them)
 * must give nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanCode } from '../../src/code/scan.js';
import type { CodeScanResult } from '../../src/code/table-reference.js';
import { parseConfig } from '../../src/config/load.js';

const root = path.join(import.meta.dirname, '../fixtures/code/patterns');
const config = parseConfig({
  code: { include: ['src/**/*.ts'], sqlTags: ['sql', 'db'], prisma: ['prisma/schema.prisma'] },
  repeatables: ['schema'],
  migrations: [],
});

/** `file:line → sorted specs` from the annotations of a fixture. */
function expectations(file: string): {
  refs: Map<number, string[]>;
  unresolved: Set<number>;
  traps: Set<number>;
} {
  const refs = new Map<number, string[]>();
  const unresolved = new Set<number>();
  const traps = new Set<number>();
  readFileSync(path.join(root, file), 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const m = /(?:\/\/|--) expect: (.*)$/.exec(text);
      if (m?.[1])
        refs.set(
          i + 1,
          m[1]
            .split(',')
            .map((s) => s.trim())
            .sort(),
        );
      if (/\/\/ expect-unresolved\s*$/.test(text)) unresolved.add(i + 1);
      if (/\/\/ trap\s*$/.test(text)) traps.add(i + 1);
    });
  return { refs, unresolved, traps };
}

function found(result: CodeScanResult, file: string) {
  const refs = new Map<number, string[]>();
  for (const r of result.references.filter((x) => x.file === file)) {
    const spec = `${r.target === 'function' ? 'fn:' : r.target === 'bucket' ? 'bucket:' : ''}${r.schema ? `${r.schema}.` : ''}${r.name} ${r.kind}`;
    refs.set(r.line, [...(refs.get(r.line) ?? []), spec].sort());
  }
  const unresolved = new Set(result.unresolved.filter((u) => u.file === file).map((u) => u.line));
  return { refs, unresolved };
}

const FILES = [
  'src/supabase.ts',
  'src/postgrest-url.ts',
  'src/sql.ts',
  'src/kysely.ts',
  'src/knex.ts',
  'src/drizzle.ts',
  'src/prisma.ts',
  'src/constants.ts',
  'src/functions.ts',
  'prisma/schema.prisma',
  'schema/functions.sql',
];

describe('code scanner patterns', () => {
  let result: CodeScanResult;
  beforeAll(async () => {
    result = await scanCode(root, config, { cache: false, workers: 0 });
  }, 30_000);

  for (const file of FILES) {
    it(`finds exactly the annotated references in ${file}`, () => {
      const want = expectations(file);
      const got = found(result, file);
      expect(Object.fromEntries(got.refs)).toEqual(Object.fromEntries(want.refs));
      expect([...got.unresolved].sort()).toEqual([...want.unresolved].sort());
      for (const line of want.traps) expect(got.refs.has(line) || got.unresolved.has(line)).toBe(false);
    });
  }

  it('has fixtures that exercise every trap and every pattern', () => {
    const traps = FILES.flatMap((f) => [...expectations(f).traps]);
    expect(traps.length).toBeGreaterThanOrEqual(15);
    const vias = new Set(result.references.map((r) => r.via));
    expect([...vias].sort()).toEqual(
      [
        'drizzle',
        'knex',
        'kysely',
        'postgrest-url',
        'prisma-accessor',
        'sql-query',
        'sql-tag',
        'supabase-from',
        'supabase-rpc',
        'supabase-storage',
        'function-name',
        'sql-file',
      ].sort(),
    );
  });

  it('points at the table name: file, line and column', () => {
    const r = result.references.find((x) => x.file === 'src/supabase.ts' && x.name === 'VtidLedger');
    const line =
      readFileSync(path.join(root, 'src/supabase.ts'), 'utf8').split('\n')[(r?.line ?? 0) - 1] ?? '';
    expect(line.slice((r?.column ?? 0) - 1)).toMatch(/^'VtidLedger'/);
    const sqlRef = result.references.find((x) => x.file === 'src/sql.ts' && x.name === 'services_catalog');
    const sqlLine =
      readFileSync(path.join(root, 'src/sql.ts'), 'utf8').split('\n')[(sqlRef?.line ?? 0) - 1] ?? '';
    expect(sqlLine.slice((sqlRef?.column ?? 0) - 1)).toMatch(/^services_catalog/);
  });

  it('gives the same result in worker threads as in the calling thread', async () => {
    const parallel = await scanCode(root, config, { cache: false, workers: 2, parallelBytes: 0 });
    expect(parallel.references).toEqual(result.references);
    expect(parallel.unresolved).toEqual(result.unresolved);
  }, 30_000);
});
