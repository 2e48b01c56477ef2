import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const root = path.join(import.meta.dirname, '../fixtures/code/patterns');

async function refs(args: string[]) {
  const io = memoryIo(root);
  const code = await main(['refs', '--no-cache', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('dbcanon refs', () => {
  it('groups every spelling of a table with kind and location, and prints the unresolved count', async () => {
    const { code, out } = await refs(['--table', 'vtid_ledger']);
    expect(code).toBe(0);
    expect(out).toContain('VtidLedger  (2 references: 2 write)\n');
    expect(out).toContain('  write  src/supabase.ts:9:23  supabase-from\n');
    // The Prisma model and the pgTable declaration define the table; they are not references to it.
    expect(out).not.toContain('prisma/schema.prisma');
    expect(out).toMatch(/^vtid_ledger {2}\(17 references: 4 write, 13 read\)$/m);
    expect(out).not.toContain('oasis_events');
    expect(out).toMatch(/19 references to 2 tables and 0 functions in 9 files \(13 scanned\); 8 unresolved/);
  }, 30_000);

  it('prints one JSON document with tables, functions and the unresolved names', async () => {
    const { code, out } = await refs(['--format', 'json']);
    expect(code).toBe(0);
    const doc = JSON.parse(out);
    expect(doc.version).toBe(1);
    const fns = doc.functions.map((f: { function: string }) => f.function);
    expect(fns).toEqual(['ops.oasis_ledger_sync', 'vtid_get', 'vtid_next', 'vtid_touch']);
    const events = doc.tables.find((t: { table: string }) => t.table === 'oasis_events');
    expect(events.references).toContainEqual({
      file: 'src/supabase.ts',
      line: 10,
      column: 23,
      kind: 'write',
      via: 'supabase-from',
    });
    expect(doc.summary.unresolved).toBe(doc.unresolved.length);
    expect(doc.summary.unresolved).toBe(8);
  }, 30_000);

  it('says when a table has no references, and rejects a bad format as a usage error', async () => {
    expect((await refs(['--table', 'nobody_uses_this'])).out).toContain('no references to nobody_uses_this');
    const bad = await refs(['--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--format takes text or json');
  }, 30_000);
});
