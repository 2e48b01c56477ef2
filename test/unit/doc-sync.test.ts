import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { scanMarkdown } from '../../src/doc/markdown-lines.js';
import { isSqlFence, parseDoc } from '../../src/doc/parse.js';
import { deparseTable } from '../../src/doc/schema-sql.js';
import { syncDoc } from '../../src/doc/sync.js';
import { type SchemaModel, withoutLocations } from '../../src/model/schema-model.js';
import { replaySql } from '../../src/sql/replay.js';

const seed = (name: string) =>
  readFileSync(new URL(`../fixtures/doc/seeds/${name}.md`, import.meta.url), 'utf8');
const config = { migrationsSchema: 'public', migrationsTable: 'pgmigrations' };

/** The tables of a document's SQL blocks, replayed. */
async function docModel(text: string): Promise<SchemaModel> {
  const doc = await parseDoc(text, 'd.md');
  const inputs = doc.tables
    .filter((t) => t.schema?.kind === 'sql' && !t.deprecation)
    .map((t) => ({
      file: 'd.md',
      sql: t.schema?.kind === 'sql' ? t.schema.sql : '',
      line: t.schema?.line ?? 1,
    }));
  const r = await replaySql(inputs);
  expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return r.model;
}

/** Migrations that have moved on from seed 001: 003's ledger columns, a CHECK, and one more table. */
const MIGRATION_CHANGES = `
ALTER TABLE vtid_ledger ADD COLUMN last_event_id TEXT, ADD COLUMN last_event_at TIMESTAMPTZ,
  ADD COLUMN service TEXT, ADD COLUMN environment TEXT;
ALTER TABLE vtid_ledger ADD CONSTRAINT vtid_ledger_status_check
  CHECK (status IN ('scheduled', 'in_progress', 'completed', 'pending', 'active', 'review', 'complete', 'blocked', 'cancelled'));
CREATE TABLE projection_offsets (
  projector_name TEXT PRIMARY KEY,
  last_event_id UUID REFERENCES oasis_events (id),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
`;

async function migrated(text: string): Promise<SchemaModel> {
  const base = await docModel(text);
  const r = await replaySql([{ file: 'migrations/2_more.sql', sql: MIGRATION_CHANGES }], base);
  expect(r.problems).toEqual([]);
  return r.model;
}

/** Line diff (LCS): the original lines that are gone, and the lines that are new. */
function lineDiff(a: string[], b: string[]): { removed: number[]; added: number[] } {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const removed: number[] = [];
  const added: number[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      added.push(j++);
    } else {
      removed.push(i++);
    }
  }
  return { removed, added };
}

/** 0-based indexes of the lines inside ```sql fences. */
function sqlFenceLines(lines: string[]): Set<number> {
  const inside = new Set<number>();
  let open = false;
  lines.forEach((l, i) => {
    if (/^\s*```/.test(l)) {
      open = !open && /^\s*```sql/.test(l);
      return;
    }
    if (open) inside.add(i);
  });
  return inside;
}

describe('deparseTable', () => {
  it('gives SQL that replays to the same table, for every table of seed 001', async () => {
    const model = await docModel(seed('001_442cef1edb5577ed'));
    expect(model.tables).toHaveLength(11);
    for (const table of model.tables) {
      const sql = deparseTable(model, table);
      const base = {
        ...model,
        tables: model.tables.filter((t) => t !== table),
        indexes: model.indexes.filter((i) => i.table !== table.name),
      };
      const back = await replaySql([{ file: 'x', sql }], base);
      expect(back.problems).toEqual([]);
      const again = back.model.tables.find((t) => t.name === table.name);
      const strip = (t: typeof table) => withoutLocations({ ...model, tables: [t] }).tables[0];
      expect(strip(again as typeof table)).toEqual(strip(table));
    }
  });

  it('writes a CHECK that only lists values as a -- Values: comment, and other checks inline', async () => {
    const r = await replaySql([
      {
        file: 'x',
        sql: `CREATE TABLE t (id serial PRIMARY KEY, status text NOT NULL CHECK (status IN ('a', 'b')),
              n int CONSTRAINT n_positive CHECK (n > 0), code varchar(8) UNIQUE, price numeric(10,2),
              UNIQUE (status, n));
              CREATE INDEX ix_t_n ON t (n) WHERE n > 10;`,
      },
    ]);
    const sql = deparseTable(r.model, r.model.tables[0] as SchemaModel['tables'][number], { indexes: true });
    expect(sql).toBe(
      [
        'CREATE TABLE t (',
        '  id SERIAL PRIMARY KEY,',
        '  status TEXT NOT NULL,  -- Values: a, b',
        '  n INTEGER,',
        '  code VARCHAR(8) UNIQUE,',
        '  price NUMERIC(10,2),',
        '  CONSTRAINT n_positive CHECK (n > 0),',
        '  UNIQUE (status, n)',
        ');',
        'CREATE INDEX ix_t_n ON t (n) WHERE n > 10;',
      ].join('\n'),
    );
  });
});

describe('syncDoc', () => {
  it('regenerates only the Schema blocks, adds a stub and a change-log row, and keeps every other line', async () => {
    const before = seed('001_442cef1edb5577ed');
    const model = await migrated(before);
    const result = await syncDoc(before, 'd.md', model, { today: '2026-02-01', config });
    const a = before.split('\n');
    const b = result.text.split('\n');
    const { removed, added } = lineDiff(a, b);
    // Nothing a person wrote is gone: every removed line was inside an SQL block.
    const sqlBefore = sqlFenceLines(a);
    expect(removed.filter((i) => !sqlBefore.has(i))).toEqual([]);
    // Mojibake headings and prose stay exactly as they were (fmt --fix-encoding is a separate choice).
    expect(result.text).toContain('## âš\u00a0ï¸ DEPRECATED / DO NOT USE');
    // Added lines: SQL, the stub entry and the change-log row.
    const sqlAfter = sqlFenceLines(b);
    const addedText = added.filter((i) => !sqlAfter.has(i)).map((i) => b[i]);
    expect(addedText).toContain('### projection_offsets');
    expect(addedText).toContain('- [ ] Use `snake_case` naming');
    expect(addedText).toContain('- [ ] Commit schema doc with table creation');
    expect(addedText.filter((l) => l?.startsWith('| 2026-02-01 |'))).toEqual([
      '| 2026-02-01 | dbcanon doc sync: documented projection_offsets (stub entries to complete); schema of vtid_ledger regenerated from the migrations | dbcanon |  |',
    ]);
    expect(result.changes.map((c) => [c.kind, c.table])).toEqual([
      ['schema-updated', 'vtid_ledger'],
      ['table-added', 'projection_offsets'],
      ['changelog-row', null],
    ]);
    // Human comments on column lines survive the regeneration of their block.
    expect(result.text).toContain('  last_event_id TEXT,');
    expect(result.text).toContain(
      '  status TEXT NOT NULL,  -- Values: scheduled, in_progress, completed, pending, active, review, complete, blocked, cancelled',
    );
  });

  it('leaves the synced document in agreement with the migrations', async () => {
    const before = seed('001_442cef1edb5577ed');
    const model = await migrated(before);
    const { text } = await syncDoc(before, 'd.md', model, { today: '2026-02-01', config });
    const parsed = await parseDoc(text, 'd.md');
    expect(parsed.problems.filter((p) => p.rule === 'doc-syntax')).toEqual([]);
    const documented = await docModel(text);
    for (const t of model.tables) {
      const d = documented.tables.find((x) => x.name === t.name);
      expect(d?.columns.map((c) => ({ ...c, loc: undefined }))).toEqual(
        t.columns.map((c) => ({ ...c, loc: undefined })),
      );
    }
    const stub = parsed.tables.find((t) => t.name === 'projection_offsets');
    expect(stub).toMatchObject({ section: 'production', purpose: 'TODO: what this table holds and why' });
  });

  it('changes nothing the second time', async () => {
    const before = seed('001_442cef1edb5577ed');
    const model = await migrated(before);
    const once = await syncDoc(before, 'd.md', model, { today: '2026-02-01', config });
    const twice = await syncDoc(once.text, 'd.md', model, { today: '2026-02-02', config });
    expect(twice.changes).toEqual([]);
    expect(twice.text).toBe(once.text);
  });

  it('keeps CRLF line endings and writes new lines with CRLF', async () => {
    const lf = seed('001_442cef1edb5577ed');
    const model = await migrated(lf);
    const crlf = await syncDoc(lf.replace(/\n/g, '\r\n'), 'd.md', model, { today: '2026-02-01', config });
    const plain = await syncDoc(lf, 'd.md', model, { today: '2026-02-01', config });
    expect(crlf.text).toBe(plain.text.replace(/\n/g, '\r\n'));
  });

  it('keeps comments a person wrote on column lines when the block is regenerated', async () => {
    const before = seed('000_e5d971c37e16717a');
    const base = await docModel(before);
    const r = await replaySql(
      [{ file: 'm.sql', sql: 'ALTER TABLE oasis_events ADD COLUMN seq BIGINT;' }],
      base,
    );
    const { text } = await syncDoc(before, 'd.md', r.model, { today: '2026-02-01', config });
    expect(text).toContain(
      '  type TEXT NOT NULL,  -- Event type (e.g., system.heartbeat, connection.established)',
    );
    expect(text).toContain('  seq BIGINT');
  });

  it('leaves a document that already matches its migrations byte for byte, whatever its SQL style', async () => {
    for (const name of ['000_e5d971c37e16717a', '001_442cef1edb5577ed']) {
      const before = seed(name);
      const result = await syncDoc(before, 'd.md', await docModel(before), { today: '2026-02-01', config });
      expect(result.changes).toEqual([]);
      expect(result.text).toBe(before);
    }
  });
});

describe('dbcanon doc sync and doc diagram', () => {
  function project(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'dbcanon-sync-'));
    mkdirSync(path.join(dir, 'migrations'));
    const doc = seed('001_442cef1edb5577ed');
    writeFileSync(path.join(dir, 'DATABASE_SCHEMA.md'), doc);
    return dir;
  }

  it('--check exits 1 when out of date, sync writes, then --check exits 0 and a second sync changes nothing', async () => {
    const dir = project();
    const docText = readFileSync(path.join(dir, 'DATABASE_SCHEMA.md'), 'utf8');
    const blocks = (await parseDoc(docText, 'd.md')).tables
      .filter((t) => t.schema?.kind === 'sql')
      .map((t) => (t.schema?.kind === 'sql' ? t.schema.sql : ''));
    writeFileSync(
      path.join(dir, 'migrations', '20250101000000_init.sql'),
      `-- Up Migration\n${blocks.join('\n')}\n-- Down Migration\n`,
    );
    writeFileSync(
      path.join(dir, 'migrations', '20250102000000_more.sql'),
      `-- Up Migration\n${MIGRATION_CHANGES}\n-- Down Migration\n`,
    );
    const check = memoryIo(dir);
    expect(await main(['doc', 'sync', '--check'], check)).toBe(1);
    expect(check.out()).toContain('projection_offsets: stub entry added');
    expect(readFileSync(path.join(dir, 'DATABASE_SCHEMA.md'), 'utf8')).toBe(docText);

    expect(await main(['doc', 'sync'], memoryIo(dir))).toBe(0);
    const synced = readFileSync(path.join(dir, 'DATABASE_SCHEMA.md'), 'utf8');
    expect(synced).toContain('### projection_offsets');
    const recheck = memoryIo(dir);
    expect(await main(['doc', 'sync', '--check'], recheck)).toBe(0);
    expect(recheck.out()).toContain('in sync with the migrations');
    expect(await main(['doc', 'sync'], memoryIo(dir))).toBe(0);
    expect(readFileSync(path.join(dir, 'DATABASE_SCHEMA.md'), 'utf8')).toBe(synced);

    // The diagram: written between markers, stable on a second run, and to a file with --out.
    const d = memoryIo(dir);
    expect(await main(['doc', 'diagram'], d)).toBe(0);
    expect(d.out()).toContain('markers added');
    const withDiagram = readFileSync(path.join(dir, 'DATABASE_SCHEMA.md'), 'utf8');
    expect(withDiagram).toContain('<!-- dbcanon:diagram:start -->\n```mermaid\nerDiagram\n  vtid_ledger {');
    expect(withDiagram).toContain('  d44_predictive_signals ||--o{ d44_signal_evidence : "signal_id"');
    expect(withDiagram).toContain('  oasis_events |o--o{ projection_offsets : "last_event_id"');
    expect(withDiagram).toContain('    TEXT vtid PK');
    expect(withDiagram).not.toMatch(/ VtidLedger \{/);
    expect(await main(['doc', 'diagram', '--check'], memoryIo(dir))).toBe(0);
    expect(await main(['doc', 'diagram'], memoryIo(dir))).toBe(0);
    expect(readFileSync(path.join(dir, 'DATABASE_SCHEMA.md'), 'utf8')).toBe(withDiagram);
    expect(await main(['doc', 'diagram', '--out', 'schema.mmd'], memoryIo(dir))).toBe(0);
    expect(readFileSync(path.join(dir, 'schema.mmd'), 'utf8')).toMatch(/^erDiagram\n/);
    // Diagram markers do not disturb sync.
    expect(await main(['doc', 'sync', '--check'], memoryIo(dir))).toBe(0);
  });

  it('syncs from what the migrations that apply say, and names the statement it could not apply', async () => {
    const dir = project();
    writeFileSync(
      path.join(dir, 'migrations', '20250101000000_bad.sql'),
      '-- Up Migration\nCREATE TABLE (;\n',
    );
    writeFileSync(
      path.join(dir, 'migrations', '20250102000000_good.sql'),
      '-- Up Migration\nCREATE TABLE projection_offsets (projector_name TEXT PRIMARY KEY);\n',
    );
    const before = readFileSync(path.join(dir, 'DATABASE_SCHEMA.md'), 'utf8');
    const io = memoryIo(dir);
    expect(await main(['doc', 'sync', '--check'], io)).toBe(1);
    expect(io.err()).toContain('could not apply 1 statement in 1 migration file');
    expect(io.err()).toContain('migrations/20250101000000_bad.sql:2:');
    // --check writes nothing; the other migrations still say what is out of date.
    expect(io.out()).toContain('projection_offsets: stub entry added');
    expect(readFileSync(path.join(dir, 'DATABASE_SCHEMA.md'), 'utf8')).toBe(before);
  });
});

/** The lines of a document that are not inside a closed SQL code block. */
function outsideSqlBlocks(text: string): string[] {
  const inside = new Set<number>();
  for (const f of scanMarkdown(text).fences) {
    if (!isSqlFence(f) || f.close === null) continue;
    for (let n = f.contentLine; n < f.close; n++) inside.add(n - 1);
  }
  return text.split('\n').filter((_, i) => !inside.has(i));
}

/** The lines of `kept` that do not appear, in order, in `after` (greedy matching is exact for subsequences). */
function missingFromSubsequence(kept: string[], after: string[]): string[] {
  const missing: string[] = [];
  let j = 0;
  for (const line of kept) {
    while (j < after.length && after[j] !== line) j++;
    if (j === after.length) missing.push(line);
    else j++;
  }
  return missing;
}

describe('syncDoc on arbitrary documents', () => {
  it('keeps prose that repeats a line of the SQL block above it (fast-check seed -1407090600)', async () => {
    const model = await migrated(seed('001_442cef1edb5577ed'));
    const prose = 'CREATE TABLE oasis_events (id UUID PRIMARY KEY);';
    const text = `## 📊 PRODUCTION TABLES\n\`\`\`sql\n${prose}\n\`\`\`\n${prose}`;
    const once = await syncDoc(text, 'd.md', model, { today: '2026-02-01', config });
    const lines = once.text.split('\n');
    const close = lines.indexOf('```');
    expect(lines[close + 1]).toBe(prose);
    expect(missingFromSubsequence(outsideSqlBlocks(text), outsideSqlBlocks(once.text))).toEqual([]);
  });

  const fragments = [
    '## 📊 PRODUCTION TABLES',
    '## ⚠️ DEPRECATED / DO NOT USE',
    '## CHANGE LOG',
    '## ADDING A NEW TABLE',
    '1. ✅ Use `snake_case` naming',
    '### vtid_ledger',
    '### oasis_events',
    '### projection_offsets',
    '### other_table',
    '**Purpose:** x',
    '**Schema:**',
    '```sql',
    '```',
    '  ```sql',
    'CREATE TABLE vtid_ledger (vtid TEXT PRIMARY KEY, status TEXT NOT NULL -- Values: a, b',
    ');',
    'CREATE TABLE oasis_events (id UUID PRIMARY KEY);',
    'CREATE TABLE (',
    '| Date | Change | Author | VTID |',
    '|---|---|---|---|',
    '| 2025-01-01 | c | A | V |',
    '---',
    '',
    'prose ðŸ”’ that must stay',
  ];
  const doc = fc.array(fc.constantFrom(...fragments), { maxLength: 30 }).map((ls) => ls.join('\n'));

  it('never throws, never removes a line outside an SQL block, and a second run changes nothing', async () => {
    const model = await migrated(seed('001_442cef1edb5577ed'));
    await fc.assert(
      fc.asyncProperty(doc, async (text) => {
        const scanned = scanMarkdown(text);
        if (scanned.fences.some((f) => f.close === null)) {
          await expect(syncDoc(text, 'd.md', model, { today: '2026-02-01', config })).rejects.toThrow(
            /never closed/,
          );
          return;
        }
        const once = await syncDoc(text, 'd.md', model, { today: '2026-02-01', config });
        // Compare the lines outside SQL blocks only, on both sides: a line-diff over whole documents can pair
        // a kept prose line with an identical line that sync rewrote inside a block, and call the prose removed.
        const kept = outsideSqlBlocks(text);
        const after = outsideSqlBlocks(once.text);
        expect(missingFromSubsequence(kept, after)).toEqual([]);
        const twice = await syncDoc(once.text, 'd.md', model, { today: '2026-02-02', config });
        expect(twice.text).toBe(once.text);
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});

describe('syncDoc on a document of another team', () => {
  const sql = [
    'create table zoos (id int primary key);',
    'create table animals (id int primary key, zoo_id int references zoos (id), keeper_id int);',
    'create table keepers (id int primary key);',
    'alter table animals add foreign key (keeper_id) references keepers (id);',
  ].join('\n');

  it("writes stub entries in an order whose SQL applies, under the document's own change-log heading, with no foreign checklist", async () => {
    const doc = '# Our schema\n\n## Production tables\n\n## CHANGE LOG\n';
    const model = (await replaySql([{ file: 'm.sql', sql }])).model;
    const { text } = await syncDoc(doc, 'd.md', model, { today: '2026-02-01', config });
    const headings = text.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Our schema',
      '## Production tables',
      '### keepers',
      '### zoos',
      '### animals',
      '## CHANGE LOG',
    ]);
    expect(text).not.toContain('Checklist');
    expect(text).not.toContain('VTID');
    expect(text).toContain('| 2026-02-01 | dbcanon doc sync: documented keepers, zoos, animals');
    // The document's own SQL, read top to bottom, applies.
    const parsed = await parseDoc(text, 'd.md');
    const replayed = await replaySql(
      parsed.tables.map((t) => ({ file: 'd.md', sql: t.schema?.kind === 'sql' ? t.schema.sql : '' })),
    );
    expect(replayed.problems).toEqual([]);
    expect(replayed.model.externalTables ?? []).toEqual([]);
  });
});
