/**
 * The drift that hurts most, end to end through `dbcanon check`: one route writes `VtidLedger`, another reads
 * `vtid_ledger`, a Prisma model maps to `VtidLedger`, and the document's "Used by" lists a route that no longer
 * touches the ledger (test/fixtures/code/repo-vtid). The Prisma model declares a table, it does not use one: the
 * code rules say nothing of it. Then the same repo, fixed, checks clean.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const fixture = path.join(import.meta.dirname, '../fixtures/code/repo-vtid');

function copy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-repo-vtid-'));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

async function check(root: string) {
  const io = memoryIo(root);
  const code = await main(['check', '--format', 'json'], io);
  return { code, report: JSON.parse(io.out()), err: io.err() };
}

describe('repo-vtid: one table under two names', () => {
  it('reports the deprecated writer with the split and the stale Used-by, not the Prisma model', async () => {
    const { code, report } = await check(copy());
    expect(code).toBe(1);
    const findings = report.findings.map((f: Record<string, unknown>) => ({
      rule: f.rule,
      file: f.file,
      line: f.line,
      column: f.column,
      suggestion: f.suggestion ?? null,
    }));
    expect(findings).toEqual([
      { rule: 'code-used-by-stale', file: 'DATABASE_SCHEMA.md', line: 10, column: 1, suggestion: null },
      {
        rule: 'code-deprecated-table',
        file: 'src/routes/vtid.ts',
        line: 6,
        column: 24,
        suggestion: 'vtid_ledger',
      },
    ]);
    const route = report.findings[1];
    expect(route.table).toBe('VtidLedger');
    expect(route.message).toBe(
      '`VtidLedger` is deprecated in DATABASE_SCHEMA.md:41 (Naming convention mismatch). The table is split: ' +
        'written here as `VtidLedger` but read as `vtid_ledger` at src/routes/tasks.ts:5, so these writes never ' +
        'show up in those reads. Use `vtid_ledger` instead.',
    );
    expect(report.findings[0].message).toContain(
      'lists `src/routes/events.ts`, but that file no longer references',
    );
  }, 60_000);

  it('checks clean once the writer, the Prisma model (now mapped) and the Used-by list are fixed', async () => {
    const root = copy();
    const edit = (file: string, from: string | RegExp, to: string) => {
      const p = path.join(root, file);
      const before = readFileSync(p, 'utf8');
      const after = before.replace(from, to);
      expect(after).not.toBe(before);
      writeFileSync(p, after);
    };
    edit('src/routes/vtid.ts', "from('VtidLedger')", "from('vtid_ledger')");
    edit('prisma/schema.prisma', '  status String\n}', '  status String\n\n  @@map("vtid_ledger")\n}');
    edit(
      'DATABASE_SCHEMA.md',
      /- `src\/routes\/events.ts` \(status updates from events\)\n/,
      '- `prisma/schema.prisma` (model VtidLedger)\n',
    );
    const { code, report } = await check(root);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
  }, 60_000);
});
