import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parseDoc } from '../../src/doc/parse.js';

const seed = (name: string) =>
  readFileSync(new URL(`../fixtures/doc/seeds/${name}.md`, import.meta.url), 'utf8');

function project(doc: string | null): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dbcanon-newtable-'));
  mkdirSync(path.join(dir, 'migrations'));
  if (doc !== null) writeFileSync(path.join(dir, 'DATABASE_SCHEMA.md'), doc);
  return dir;
}
const migrations = (dir: string) => readdirSync(path.join(dir, 'migrations'));

describe('dbcanon migrate new NAME --table T', () => {
  it('writes the migration and the document stub together, in sync with each other', async () => {
    const before = seed('000_e5d971c37e16717a');
    const dir = project(before);
    const io = memoryIo(dir);
    expect(await main(['migrate', 'new', 'add user offers', '--table', 'user_offers'], io)).toBe(0);
    const [file] = migrations(dir);
    expect(file).toMatch(/^\d{14}_add_user_offers\.sql$/);
    const sql = readFileSync(path.join(dir, 'migrations', file as string), 'utf8');
    expect(sql).toContain('-- Up Migration\nCREATE TABLE user_offers (');
    expect(sql).toContain('-- Down Migration\nDROP TABLE user_offers;');
    expect(io.out()).toContain('DATABASE_SCHEMA.md: stub entry for user_offers and a change-log row added');

    const after = readFileSync(path.join(dir, 'DATABASE_SCHEMA.md'), 'utf8');
    const doc = await parseDoc(after, 'DATABASE_SCHEMA.md');
    const entry = doc.tables.find((t) => t.name === 'user_offers');
    expect(entry?.section).toBe('production');
    expect(entry?.schema?.kind).toBe('sql');
    expect(after).toContain('- [ ] Commit schema doc with table creation');
    expect(doc.changelog.at(-1)?.change).toMatch(/documented user_offers/);
    // Everything that was there is still there, in order.
    expect(after.startsWith(before.slice(0, before.indexOf('## ‚ö†Ô∏è DEPRECATED')).trimEnd())).toBe(true);
    // The document and the migrations agree.
    const check = memoryIo(dir);
    expect(await main(['doc', 'sync', '--check'], check)).toBe(0);
  });

  it('leaves a document that already documents the table alone', async () => {
    const before = seed('000_e5d971c37e16717a');
    const dir = project(before);
    const io = memoryIo(dir);
    expect(await main(['migrate', 'new', 'ledger', '--table', 'vtid_ledger'], io)).toBe(0);
    expect(migrations(dir)).toHaveLength(1);
    expect(io.out()).toContain('already documents vtid_ledger');
    expect(readFileSync(path.join(dir, 'DATABASE_SCHEMA.md'), 'utf8')).toBe(before);
  });

  it('writes only the migration when there is no document, and says so', async () => {
    const dir = project(null);
    const io = memoryIo(dir);
    expect(await main(['migrate', 'new', 'things', '--table', 'things'], io)).toBe(0);
    expect(migrations(dir)).toHaveLength(1);
    expect(io.out()).toContain('note: DATABASE_SCHEMA.md does not exist, so only the migration was written');
  });

  it('refuses a table name it cannot create, writing nothing', async () => {
    const dir = project(seed('000_e5d971c37e16717a'));
    const io = memoryIo(dir);
    expect(await main(['migrate', 'new', 'x', '--table', 'Bad Name'], io)).toBe(2);
    expect(io.err()).toContain("'Bad Name' is not a table name");
    expect(migrations(dir)).toEqual([]);
  });

  it('removes the migration again when the document cannot be written', async () => {
    const before = seed('000_e5d971c37e16717a');
    const dir = project(before);
    // The document is written through a temporary file; a directory in its place makes that write fail.
    mkdirSync(path.join(dir, `DATABASE_SCHEMA.md.dbcanon-${process.pid}.tmp`));
    const io = memoryIo(dir);
    expect(await main(['migrate', 'new', 'offers', '--table', 'offers'], io)).toBe(2);
    expect(io.err()).toContain('cannot write DATABASE_SCHEMA.md');
    expect(migrations(dir)).toEqual([]);
    expect(readFileSync(path.join(dir, 'DATABASE_SCHEMA.md'), 'utf8')).toBe(before);
  });

  it('is a usage error without `new`', async () => {
    const dir = project(null);
    const io = memoryIo(dir, {});
    expect(await main(['migrate', 'status', '--table', 't'], io)).toBe(2);
    expect(io.err()).toContain('--table goes with `migrate new NAME`');
  });
});
