import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DocModel, DocTable } from '../../src/doc/doc-model.js';
import { headingTableNames, parseDoc } from '../../src/doc/parse.js';
import { EXPECTED, EXPECTED_DOC_ENDPOINTS, type ExpectedTable } from '../fixtures/doc/expected.js';

const seed = (name: string) =>
  readFileSync(new URL(`../fixtures/doc/seeds/${name}.md`, import.meta.url), 'utf8');

function reduce(t: DocTable): ExpectedTable {
  const schema: ExpectedTable['schema'] =
    t.schema === null
      ? null
      : t.schema.kind === 'sql'
        ? {
            kind: 'sql',
            line: t.schema.line,
            creates: (/create\s+table\s+(?:if\s+not\s+exists\s+)?"?([\w.]+)/i.exec(t.schema.sql)?.[1] ??
              '') as string,
          }
        : {
            kind: 'column-table',
            line: t.schema.line,
            columns: t.schema.columns.map((c) => [c.name, c.type]),
          };
  return {
    name: t.name,
    line: t.line,
    section: t.section,
    purpose: t.purpose,
    usedBy: t.usedBy.map((u) => [u.path, u.note, u.line]),
    schema,
    endpoints: t.endpoints.map((e) => [e.method, e.path, e.description]),
    statusValues: t.statusValues.map((v) => [v.column, v.origin, v.values]),
    events: t.events.map((e) => e.name),
    deprecation: t.deprecation ? { replacement: t.deprecation.replacement } : null,
  };
}

describe('parseDoc on the seeds, against fixtures written by hand', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: title, sections, tables, change log`, async () => {
      const doc = await parseDoc(seed(name), `${name}.md`);
      expect(doc.title).toBe(expected.title);
      expect(doc.sections.map((s) => [s.key, s.line])).toEqual(expected.sections);
      expect(doc.tables.map(reduce)).toEqual(expected.tables);
      expect(doc.changelog.map((c) => [c.date, c.change, c.author, c.vtid])).toEqual(expected.changelog);
      expect(doc.problems.filter((p) => p.rule === 'doc-misplaced-table').map((p) => p.table)).toEqual(
        expected.misplaced,
      );
      expect(doc.problems.filter((p) => p.rule === 'doc-encoding')).toHaveLength(expected.encodingProblems);
      expect(doc.mojibake).toHaveLength(expected.encodingProblems);
      expect(doc.problems.filter((p) => !['doc-encoding', 'doc-misplaced-table'].includes(p.rule))).toEqual(
        [],
      );
      expect((doc.endpoints ?? []).map((e) => [e.method, e.path, e.description, e.line])).toEqual(
        EXPECTED_DOC_ENDPOINTS[name] ?? [],
      );
      expect(doc.eol).toBe('\n');
    });
  }

  it('001: the eight misplaced tables are production tables, found at their headings', async () => {
    const doc = await parseDoc(seed('001_442cef1edb5577ed'), '001.md');
    const misplaced = doc.problems.filter((p) => p.rule === 'doc-misplaced-table');
    expect(misplaced).toHaveLength(8);
    for (const p of misplaced) {
      const t = doc.tables.find((x) => x.name === p.table) as DocTable;
      expect(t.section).toBe('production');
      expect(t.deprecation).toBeNull();
      expect(p.line).toBe(t.line);
    }
    expect(doc.tables.filter((t) => t.deprecation).map((t) => t.name)).toEqual(['VtidLedger']);
  });

  it('001: doc-encoding problems point at the file as it is (before repair)', async () => {
    const text = seed('001_442cef1edb5577ed');
    const doc = await parseDoc(text, '001.md');
    const lines = text.split('\n');
    const enc = doc.problems.filter((p) => p.rule === 'doc-encoding');
    expect(enc.map((p) => p.line)).toEqual([
      6, 15, 119, 122, 349, 353, 354, 355, 356, 357, 358, 379, 392, 405,
    ]);
    for (const p of enc) expect(lines[p.line - 1]?.slice(p.column - 1)).toMatch(/^[ðâ]/);
  });

  it('a CRLF copy parses to the same model', async () => {
    for (const name of Object.keys(EXPECTED)) {
      const lf = await parseDoc(seed(name), 'x.md');
      const crlf = await parseDoc(seed(name).replace(/\n/g, '\r\n'), 'x.md');
      expect(crlf.eol).toBe('\r\n');
      const strip = (d: DocModel) => ({ ...d, eol: null });
      expect(strip(crlf)).toEqual(strip(lf));
    }
  });
});

const doc = (body: string) => `# Schema

## PRODUCTION TABLES

${body}

## ADDING A NEW TABLE

Follow the checklist.

### my_new_table
**Purpose:** What this table does
**Schema:**
\`\`\`sql
CREATE TABLE my_new_table (id uuid primary key);
\`\`\`

## CHANGE LOG

| Date | Change | Author | VTID |
|------|--------|--------|------|
| 2025-11-11 | Initial | Claude | DEV-1 |
`;

describe('parseDoc on documents like the seeds', () => {
  it('reports an SQL block that does not parse as doc-syntax at its line and column, and keeps reading', async () => {
    const text = doc(`### broken
**Purpose:** A table with a typo

\`\`\`sql
CREATE TABLE broken (
  id uuid PRIMARY KEY,
  name TEXT NOT NUL,
  created_at timestamptz
);
\`\`\`

### fine
**Purpose:** Still read
\`\`\`sql
CREATE TABLE fine (id int);
\`\`\``);
    const d = await parseDoc(text, 'DATABASE_SCHEMA.md');
    const syntax = d.problems.filter((p) => p.rule === 'doc-syntax');
    expect(syntax).toHaveLength(1);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('NOT NUL,')) + 1;
    expect(syntax[0]?.line).toBe(line);
    expect(syntax[0]?.column).toBe((lines[line - 1] as string).indexOf('NUL,') + 1);
    expect(syntax[0]?.message).toMatch(/syntax error at or near "NUL"/);
    expect(d.tables.map((t) => t.name)).toEqual(['broken', 'fine']);
    expect(d.tables[0]?.schema).toMatchObject({ kind: 'sql', line: line - 2 });
  });

  it('points into an SQL block indented inside a list item at the right column', async () => {
    const text = doc(`### indented
**Purpose:** x

1. The table:
   \`\`\`sql
   CREATE TABLE indented (id int,, b int);
   \`\`\``);
    const d = await parseDoc(text, 'd.md');
    const p = d.problems.find((x) => x.rule === 'doc-syntax');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('int,,')) + 1;
    expect(p).toMatchObject({ line, column: (lines[line - 1] as string).indexOf(',,') + 2 });
  });

  it('reads headings with code spans, suffixes and "Table"', () => {
    expect(headingTableNames('`chat_messages`')).toEqual(['chat_messages']);
    expect(headingTableNames('VtidLedger (PascalCase)')).toEqual(['VtidLedger']);
    expect(headingTableNames('journey_topics — session bound (BOOTSTRAP-X)')).toEqual(['journey_topics']);
    expect(headingTableNames('a_table – renamed')).toEqual(['a_table']);
    expect(headingTableNames('VtidLedger Table')).toEqual(['VtidLedger']);
    expect(headingTableNames('New Columns in vtid_ledger')).toEqual(['vtid_ledger']);
    expect(headingTableNames('services_catalog / products_catalog')).toEqual([
      'services_catalog',
      'products_catalog',
    ]);
    expect(headingTableNames('`a`, `b` and `c`')).toEqual(['a', 'b', 'c']);
    expect(headingTableNames('auth.users')).toEqual(['auth.users']);
    expect(headingTableNames('✅ ALL IDs ARE VARCHAR (String), NOT INTEGER')).toBeNull();
    expect(headingTableNames('POST /vtid/create')).toBeNull();
    expect(headingTableNames('Schema')).toBeNull();
  });

  it('gives each table of a heading that holds several its own part of the SQL block', async () => {
    const text = doc(`### services_catalog / products_catalog
**Purpose:** Both catalogs
**Used by:** \`services/gateway/src/routes/offers.ts\` (CRUD operations)

\`\`\`sql
CREATE TABLE services_catalog (
  id uuid PRIMARY KEY,
  service_type text NOT NULL  -- Values: coach, doctor
);
CREATE INDEX ix_services_type ON services_catalog (service_type);

CREATE TABLE products_catalog (
  id uuid PRIMARY KEY,
  product_type text NOT NULL  -- Values: supplement, device
);
\`\`\``);
    const d = await parseDoc(text, 'd.md');
    const lines = text.split('\n');
    const [s, p] = d.tables;
    expect(d.tables.map((t) => t.name)).toEqual(['services_catalog', 'products_catalog']);
    expect(s?.line).toBe(p?.line);
    expect(s?.usedBy.map((u) => u.path)).toEqual(['services/gateway/src/routes/offers.ts']);
    expect(p?.usedBy.map((u) => u.path)).toEqual(['services/gateway/src/routes/offers.ts']);
    expect(s?.schema?.kind === 'sql' && s.schema.sql).toMatch(
      /^CREATE TABLE services_catalog[\s\S]*ix_services_type[\s\S]*\);$/,
    );
    expect(s?.schema?.kind === 'sql' && s.schema.sql).not.toMatch(/products_catalog/);
    expect(p?.schema).toMatchObject({
      kind: 'sql',
      line: lines.findIndex((l) => l.startsWith('CREATE TABLE products_catalog')) + 1,
    });
    expect(s?.statusValues.map((v) => [v.column, v.values])).toEqual([['service_type', ['coach', 'doctor']]]);
    expect(p?.statusValues.map((v) => [v.column, v.values])).toEqual([
      ['product_type', ['supplement', 'device']],
    ]);
  });

  it("reads a bare `a | b | c` column comment as the column's values, and leaves prose alone", async () => {
    const d = await parseDoc(
      doc(`### watcher_steps
**Purpose:** steps

\`\`\`sql
CREATE TABLE watcher_steps (
  kind    TEXT NOT NULL,  -- vtid | execution | pr
  vtid    TEXT,           -- denormalized; NULL for ungoverned work
  outcome TEXT NOT NULL DEFAULT 'unknown',  -- success|failure|unknown
  note    TEXT            -- either this | or that, as prose
);
\`\`\``),
      'd.md',
    );
    expect(d.tables[0]?.statusValues.map((v) => [v.column, v.values])).toEqual([
      ['kind', ['vtid', 'execution', 'pr']],
      ['outcome', ['success', 'failure', 'unknown']],
    ]);
  });

  it('adds a table whose CREATE TABLE shares an entry without being named in the heading', async () => {
    const d = await parseDoc(
      doc(`### \`chat_messages\`
**Purpose:** Messages
\`\`\`sql
CREATE TABLE chat_messages (id int);
CREATE TABLE chat_attachments (id int, message_id int REFERENCES chat_messages (id));
\`\`\``),
      'd.md',
    );
    expect(d.tables.map((t) => [t.name, t.heading])).toEqual([
      ['chat_messages', '`chat_messages`'],
      ['chat_attachments', '`chat_messages`'],
    ]);
  });

  it('reads tables placed after the change log, and never the Adding-a-new-table example', async () => {
    const text = `${doc('### a_table\n**Purpose:** first')}\n### late_table\n**Purpose:** added below the log\n`;
    const d = await parseDoc(text, 'd.md');
    expect(d.tables.map((t) => [t.name, t.section])).toEqual([
      ['a_table', 'production'],
      ['late_table', 'other'],
    ]);
    expect(d.changelog).toHaveLength(1);
  });

  it('reads a document with no sections and no title', async () => {
    const d = await parseDoc('### solo\n**Purpose:** alone\n**Used by:** `src/a.ts`, `src/b.ts`\n', 'd.md');
    expect(d.title).toBeNull();
    expect(d.tables.map((t) => [t.name, t.purpose, t.usedBy.map((u) => u.path)])).toEqual([
      ['solo', 'alone', ['src/a.ts', 'src/b.ts']],
    ]);
  });

  it('entries under a group heading with a Used by take it when they have none of their own', async () => {
    const d = await parseDoc(
      [
        '## Video Shop',
        '**Used by:** `src/routes/shop-feed.ts`',
        '',
        '### shop_videos',
        '**Purpose:** clips',
        '',
        '### shop_saves',
        '**Purpose:** saves',
        '**Used by:** `src/routes/saves.ts`',
        '',
      ].join('\n'),
      'd.md',
    );
    expect(d.tables.map((t) => [t.name, t.usedBy.map((u) => u.path)])).toEqual([
      ['shop_videos', ['src/routes/shop-feed.ts']],
      ['shop_saves', ['src/routes/saves.ts']],
    ]);
  });

  it('a Used by line of prose naming another repository is not a file of this one', async () => {
    const d = await parseDoc(
      '### t\n**Used by:**\n- `src/a.ts`\n- Defined in `org/other-repo` migration `20260805_x.sql`\n',
      'd.md',
    );
    expect(d.tables[0]?.usedBy.map((u) => [u.path.slice(0, 10), u.isFile])).toEqual([
      ['src/a.ts', true],
      ['Defined in', false],
    ]);
  });

  it('flags a duplicated entry, and reads a disordered change log as it is (the rule judges it)', async () => {
    const d = await parseDoc(
      `## PRODUCTION TABLES

### twice
**Purpose:** one

### twice
**Purpose:** two

## CHANGE LOG

| Date | Change | Author | VTID |
|------|--------|--------|------|
| 2025-12-01 | Later | A | V-1 |
| 2025-11-01 | Earlier | A | V-2 |
| Nov 3 | Bad date | A | V-3 |
`,
      'd.md',
    );
    expect(d.problems.map((p) => [p.rule, p.line])).toEqual([['doc-duplicate-table', 6]]);
    expect(d.changelog.map((e) => [e.date, e.line])).toEqual([
      ['2025-12-01', 13],
      ['2025-11-01', 14],
      ['Nov 3', 15],
    ]);
  });

  it('reads a deprecation outside the deprecated section from its status', async () => {
    const d = await parseDoc(
      doc('### old_things\n**Status:** Deprecated since 2025\n**Reason:** Replaced by `new_things`.'),
      'd.md',
    );
    expect(d.tables[0]?.deprecation).toMatchObject({ replacement: 'new_things', line: 6 });
  });
});

describe('parseDoc on arbitrary documents', () => {
  const fragments = [
    '# Title',
    '## 📊 PRODUCTION TABLES',
    '## ⚠️ DEPRECATED / DO NOT USE',
    '## ADDING A NEW TABLE',
    '## CHANGE LOG',
    '### vtid_ledger',
    '### `a` / `b`',
    '### New Columns in t',
    '**Purpose:** x',
    '**Used by:**',
    '**Used by:** `src/a.ts` (y)',
    '**Status:** DEPRECATED',
    '**Reason:** Use `t` instead.',
    '**API Endpoints:**',
    '- `GET /x` - y',
    '- `a` - b',
    '**Status Values:**',
    '```sql',
    '```',
    '   ```',
    'CREATE TABLE t (id int, -- Values: a, b',
    'status text -- Values: x',
    ');',
    'CREATE TABLE (',
    '| Column | Type | Description |',
    '|---|---|---|',
    '| `id` | TEXT | Current status: a, b |',
    '| Date | Change | Author | VTID |',
    '| 2025-01-01 | c | A | V |',
    '| nope |',
    '---',
    '',
    'ðŸ”’ âš ï¸ ‚úÖ',
    '\r',
  ];
  const doc = fc.array(fc.constantFrom(...fragments), { maxLength: 40 }).map((ls) => ls.join('\n'));

  it('never throws, and every position it reports is inside the document', async () => {
    await fc.assert(
      fc.asyncProperty(doc, async (text) => {
        const d = await parseDoc(text, 'd.md');
        const lines = text.split('\n');
        for (const p of d.problems) {
          expect(p.line).toBeGreaterThanOrEqual(1);
          expect(p.line).toBeLessThanOrEqual(lines.length);
          expect(p.column).toBeGreaterThanOrEqual(1);
          expect(p.column).toBeLessThanOrEqual((lines[p.line - 1] as string).length + 1);
        }
        for (const t of d.tables) expect(t.line).toBeLessThanOrEqual(lines.length);
      }),
      { numRuns: 150 },
    );
  });
});
