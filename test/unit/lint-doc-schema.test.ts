import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { docToSchemaModel } from '../../src/doc/doc-schema.js';
import { parseDoc } from '../../src/doc/parse.js';
import { findTable } from '../../src/model/schema-model.js';
import { replaySql } from '../../src/sql/replay.js';

const seeds = path.resolve(import.meta.dirname, '../fixtures/doc/seeds');
const schemaOf = async (text: string) => {
  const doc = await parseDoc(text, 'DATABASE_SCHEMA.md');
  return { doc, ...(await docToSchemaModel(doc, replaySql)) };
};

describe('docToSchemaModel', () => {
  it("replays SQL blocks with the document's lines (seed 000)", async () => {
    const { model, problems } = await schemaOf(
      await readFile(path.join(seeds, '000_e5d971c37e16717a.md'), 'utf8'),
    );
    expect(problems).toEqual([]);
    expect(model.tables.map((t) => t.name)).toEqual(['oasis_events', 'vtid_ledger']);
    const ledger = findTable(model, 'vtid_ledger');
    expect(ledger?.loc).toMatchObject({ file: 'DATABASE_SCHEMA.md', line: 25 });
    expect(ledger?.columns.find((c) => c.name === 'status')).toMatchObject({
      type: 'text',
      nullable: false,
      loc: { line: 29 },
    });
    expect(ledger?.columns.find((c) => c.name === 'created_at')?.default).toBe('now()');
  });

  it('turns a markdown column table into a table without constraints (seed 002)', async () => {
    const { model } = await schemaOf(await readFile(path.join(seeds, '002_af756df21a29a961.md'), 'utf8'));
    const t = findTable(model, 'VtidLedger');
    expect(t?.constraints).toEqual([]);
    expect(t?.columns.map((c) => `${c.name} ${c.type}`)).toContain('created_at timestamp without time zone');
    expect(t?.columns).toHaveLength(12);
    expect(t?.loc).toMatchObject({ file: 'DATABASE_SCHEMA.md', line: 37 });
  });

  it('skips a block the parser already reported, and keeps the others', async () => {
    const text = [
      '# S',
      '## PRODUCTION TABLES',
      '### a',
      '```sql',
      'CREATE TABLE a (id TEXT PRIMARY KEY);',
      '```',
      '### b',
      '```sql',
      'CREATE TABLE b (id TEXTT PRIMARY KEY,);',
      '```',
      '',
    ].join('\n');
    const { doc, model, problems } = await schemaOf(text);
    expect(doc.problems.filter((p) => p.rule === 'doc-syntax').map((p) => p.line)).toEqual([9]);
    expect(problems).toEqual([]);
    expect(model.tables.map((t) => t.name)).toEqual(['a']);
  });

  it('reports SQL that parses but does not apply, at its line', async () => {
    const text = [
      '# S',
      '## PRODUCTION TABLES',
      '### a',
      '```sql',
      'CREATE TABLE a (id int);',
      'ALTER TABLE a DROP COLUMN x;',
      '```',
      '',
    ].join('\n');
    const { problems } = await schemaOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 6, table: 'a' });
    expect(problems[0]?.message).toContain('the SQL of `a` does not apply');
  });

  it('takes an entry that only alters its table (made elsewhere) and an FK to an undocumented table as they are', async () => {
    const text = [
      '# S',
      '## PRODUCTION TABLES',
      '### calendar_events',
      '```sql',
      'ALTER TABLE calendar_events ADD COLUMN pillar TEXT;',
      '```',
      '### orders',
      '```sql',
      'CREATE TABLE orders (id int primary key, product_id int references products(id));',
      '```',
      '',
    ].join('\n');
    const { model, problems } = await schemaOf(text);
    expect(problems).toEqual([]);
    expect(model.tables.map((t) => t.name)).toEqual(['orders']);
    expect(model.externalTables?.map((e) => e.name)).toEqual(['calendar_events', 'products']);
  });
});
