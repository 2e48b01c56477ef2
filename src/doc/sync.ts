/**
 * `dbcanon doc sync`: makes the document's Schema blocks say what the migrations create, without touching
 * anything a person wrote.
 *
 * - Each SQL Schema block of a documented, non-deprecated table that the migrations create is regenerated from
 *   the migrations (src/doc/schema-sql.ts). Trailing comments a person put on a column's line are kept; a
 *   `-- Values:` comment is written from the column's CHECK, or kept as written when no CHECK lists values.
 *   A block that holds several tables is regenerated table by table; tables the migrations do not create keep
 *   their text. Markdown column tables are left as written.
 * - A documented table without a Schema block gets one at the end of its entry.
 * - Each table the migrations create that the document does not name gets a stub entry at the end of the
 *   production tables section, with the checklist of the document's own "Adding a new table" section.
 * - When anything changed, one row is appended to the change-log table.
 * Every other line is kept byte for byte (line endings included). Running it again changes nothing.
 */
import type { DbcanonConfig } from '../config/schema.js';
import { DbcanonError } from '../errors.js';
import { constraintSignature } from '../lint/drift.js';
import { type ColumnModel, findTable, type SchemaModel, type TableModel } from '../model/schema-model.js';
import { isForeignSchema } from '../model/schemas.js';
import { isPlatformTable } from '../model/starting-schema.js';
import type { DocModel, DocTable } from './doc-model.js';
import { repairEncoding } from './encoding.js';
import { type Fence, listItem, pipeTables, scanMarkdown } from './markdown-lines.js';
import { isSqlFence, parseDoc } from './parse.js';
import { deparseTable, valuesOfCheck } from './schema-sql.js';
import { analyzeSqlBlock, splitValueList } from './sql-block.js';
import { applyEdits, endIndex, type LineEdit, splitLines } from './text-edits.js';

export interface SyncChange {
  kind: 'schema-updated' | 'schema-added' | 'table-added' | 'changelog-row';
  table: string | null;
  /** 1-based line in the document before the sync. */
  line: number;
}

export interface SyncResult {
  text: string;
  changes: SyncChange[];
}

export interface SyncOptions {
  /** Date of the change-log row, YYYY-MM-DD. */
  today: string;
  config: Pick<DbcanonConfig, 'migrationsSchema' | 'migrationsTable'>;
  /**
   * The starting schema the migrations were replayed from (Supabase's auth and storage). The document's blocks
   * are replayed from it too; its tables are the platform's: never given a stub, never regenerated.
   */
  startingModel?: SchemaModel;
  /** The files that use a table (root-relative), for a new entry's "Used by"; none known: a TODO. */
  usersOf?: (table: TableModel) => string[];
}

/** Comments a person wrote on a column's line in the block being replaced, and `-- Values:` lists. */
async function humanComments(
  sql: string,
): Promise<{ comments: Map<string, string>; values: Map<string, string[]> }> {
  const comments = new Map<string, string>();
  const values = new Map<string, string[]>();
  const info = await analyzeSqlBlock(sql);
  for (const t of info.tables) {
    for (const c of t.columns) {
      const lineEnd = sql.indexOf('\n', c.offset);
      const line = sql.slice(c.offset, lineEnd < 0 ? sql.length : lineEnd);
      const at = commentStart(line);
      if (at < 0) continue;
      const comment = line.slice(at).trim();
      const listed = /^--\s*values?\s*:\s*(.*)$/i.exec(comment);
      if (listed) values.set(c.name, splitValueList(listed[1] as string));
      else comments.set(c.name, comment);
    }
  }
  return { comments, values };
}

/** Index of a `--` comment outside string literals and quoted names, or -1. */
function commentStart(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '-' && line[i + 1] === '-') {
      return i;
    }
  }
  return -1;
}

const columnShape = (c: ColumnModel) =>
  [c.name, c.type, c.nullable, c.default, c.identity, c.generated].join('|');

/**
 * True when replaying `sql` gives `table`'s columns and constraints (names aside), with each CHECK that only
 * lists a column's values written as that column's `-- Values:` comment.
 */
/**
 * The document's own tables, replayed once in document order (each block as its own input, so problems point
 * at their block). `replayed(i)` is block i's table when its block replayed cleanly, else undefined.
 */
async function replayBlocks(
  blocks: string[],
  base: SchemaModel | undefined,
): Promise<(i: number, table: TableModel) => TableModel | undefined> {
  const { replaySql } = await import('../sql/replay.js');
  const result = await replaySql(
    blocks.map((sql, i) => ({ file: `block:${i}`, sql })),
    base,
  );
  const failed = new Set(result.problems.filter((p) => p.severity === 'error').map((p) => p.file));
  return (i, table) =>
    failed.has(`block:${i}`)
      ? undefined
      : result.model.tables.find((t) => t.schema === table.schema && t.name === table.name);
}

/** `sql` replayed on its own, on top of the other tables of the migrations (for a block that references them). */
async function replayAlone(
  sql: string,
  model: SchemaModel,
  table: TableModel,
): Promise<TableModel | undefined> {
  const base: SchemaModel = {
    ...model,
    tables: model.tables.filter((t) => t !== table),
    indexes: model.indexes.filter((i) => !(i.schema === table.schema && i.table === table.name)),
  };
  const { replaySql } = await import('../sql/replay.js');
  const replayed = await replaySql([{ file: 'doc', sql }], base);
  if (replayed.problems.some((p) => p.severity === 'error')) return undefined;
  return replayed.model.tables.find((t) => t.schema === table.schema && t.name === table.name);
}

/**
 * True when the documented table has `table`'s columns and constraints (names aside), with each CHECK that only
 * lists a column's values written as that column's `-- Values:` comment.
 */
function describesTable(
  doc: TableModel,
  documentedValues: Map<string, string[]>,
  table: TableModel,
): boolean {
  if (doc.columns.map(columnShape).join('\n') !== table.columns.map(columnShape).join('\n')) return false;
  const expected: string[] = [];
  for (const c of table.constraints) {
    const listed = valuesOfCheck(c);
    if (listed && !doc.constraints.some((d) => constraintSignature(d) === constraintSignature(c))) {
      const documented = documentedValues.get(c.columns[0] as string);
      if (!documented || [...documented].sort().join(',') !== [...listed].sort().join(',')) return false;
      continue;
    }
    expected.push(constraintSignature(c));
  }
  const actual = doc.constraints.map(constraintSignature);
  return expected.sort().join('\n') === actual.sort().join('\n');
}

function isOwnTable(t: TableModel, options: SyncOptions): boolean {
  const config = options.config;
  if (isForeignSchema(t.schema) || t.schema.startsWith('pg_')) return false;
  if (isPlatformTable(options.startingModel, t)) return false;
  return !(
    t.schema === config.migrationsSchema &&
    (t.name === config.migrationsTable || t.name.startsWith('dbcanon_'))
  );
}

const qualified = (t: { schema: string; name: string }) =>
  t.schema === 'public' ? t.name : `${t.schema}.${t.name}`;

/** The project's table a document entry describes; a platform table (auth.users) keeps what the document says. */
function modelTableFor(model: SchemaModel, entry: DocTable, options: SyncOptions): TableModel | undefined {
  const t = findTable(model, entry.name);
  return t && !isPlatformTable(options.startingModel, t) ? t : undefined;
}

/**
 * The checklist of the document's "Adding a new table" section, as to-do items; none when the document has no
 * such section (a stub copies the document's own conventions, never another team's).
 */
function checklist(doc: DocModel, lines: string[], fences: Fence[]): string[] {
  const section = doc.sections.find((s) => s.key === 'adding-a-new-table');
  if (!section) return [];
  const next = doc.sections.find((s) => s.line > section.line)?.line ?? lines.length + 1;
  const firstFence = fences.find((f) => f.open > section.line && f.open < next)?.open ?? next;
  const items: string[] = [];
  for (let n = section.line + 1; n < firstFence; n++) {
    const item = listItem(lines[n - 1] as string, n);
    if (!item) continue;
    const text = item.text
      .replace(/^\[[ xX]\]\s*/, '')
      .replace(/^[^\p{L}\p{N}`*_]+/u, '')
      .trim();
    if (text !== '') items.push(text);
  }
  return items;
}

/**
 * Tables in an order whose SQL applies: a table after every table its foreign keys name (among those being
 * written), else by name. A cycle of foreign keys is broken at the first table by name.
 */
export function dependencyOrder(tables: readonly TableModel[]): TableModel[] {
  const byKey = new Map(tables.map((t) => [`${t.schema}.${t.name}`, t]));
  const sorted = [...tables].sort((a, b) => qualified(a).localeCompare(qualified(b)));
  const out: TableModel[] = [];
  const seen = new Set<TableModel>();
  const visit = (t: TableModel) => {
    if (seen.has(t)) return;
    seen.add(t);
    const parents = t.constraints
      .flatMap((c) => {
        const p = c.references ? byKey.get(`${c.references.schema}.${c.references.table}`) : undefined;
        return p && p !== t ? [p] : [];
      })
      .sort((a, b) => qualified(a).localeCompare(qualified(b)));
    for (const p of parents) visit(p);
    out.push(t);
  };
  for (const t of sorted) visit(t);
  return out;
}

function stub(model: SchemaModel, t: TableModel, items: string[], users: string[]): string[] {
  const name = qualified(t);
  return [
    `### ${name}`,
    '**Purpose:** TODO: what this table holds and why',
    ...(users.length > 0 ? ['**Used by:**', ...users.map((u) => `- \`${u}\``)] : ['**Used by:** TODO']),
    '',
    '**Schema:**',
    '```sql',
    ...deparseTable(model, t).split('\n'),
    '```',
    '',
    '**API Endpoints:**',
    '- TODO',
    ...(items.length > 0
      ? [
          '',
          `**Checklist** (added by \`dbcanon doc sync\`; from "Adding a new table"):`,
          ...items.map((i) => `- [ ] ${i}`),
        ]
      : []),
  ];
}

export async function syncDoc(
  text: string,
  file: string,
  model: SchemaModel,
  options: SyncOptions,
): Promise<SyncResult> {
  const doc = await parseDoc(text, file);
  const scanned = scanMarkdown(text);
  const unclosed = scanned.fences.find((f) => f.close === null);
  if (unclosed) {
    // Everything after an unclosed fence is code to a markdown reader; entries added there would be invisible.
    throw new DbcanonError(
      'DOC_PARSE',
      'a code block is never closed, so the rest of the document reads as code',
      {
        location: { file, line: unclosed.open, column: 1 },
        hint: 'close the block with a line of ``` and run doc sync again',
      },
    );
  }
  const lines = splitLines(text);
  const plain = lines.map((l) => l.text);
  const edits: LineEdit[] = [];
  const changes: SyncChange[] = [];

  // 1. Regenerate Schema blocks. The document's blocks are replayed together first (one replay, not one per
  // table); a block that fails there (a reference to a table documented further down) is replayed alone.
  const documentedBlocks = doc.tables.filter(
    (t): t is DocTable & { schema: { kind: 'sql'; sql: string; line: number } } =>
      t.schema?.kind === 'sql' && !t.deprecation && modelTableFor(model, t, options) !== undefined,
  );
  const fromBlocks = await replayBlocks(
    documentedBlocks.map((t) => t.schema.sql),
    options.startingModel,
  );
  const documentedAs = async (e: DocTable, table: TableModel): Promise<TableModel | undefined> => {
    const i = documentedBlocks.indexOf(e as (typeof documentedBlocks)[number]);
    const old = e.schema?.kind === 'sql' ? e.schema.sql : '';
    return (i >= 0 ? fromBlocks(i, table) : undefined) ?? (await replayAlone(old, model, table));
  };
  for (const fence of scanned.fences) {
    if (!isSqlFence(fence) || fence.close === null) continue;
    const entries = doc.tables.filter(
      (t) =>
        t.schema?.kind === 'sql' &&
        t.schema.line >= fence.contentLine &&
        t.schema.line < (fence.close as number) &&
        !t.deprecation,
    );
    if (entries.length === 0 || !entries.some((e) => modelTableFor(model, e, options))) continue;
    const parts: string[] = [];
    for (const e of entries.sort((a, b) => (a.schema?.line ?? 0) - (b.schema?.line ?? 0))) {
      const table = modelTableFor(model, e, options);
      const old = e.schema?.kind === 'sql' ? e.schema.sql : '';
      if (!table) {
        parts.push(old);
        continue;
      }
      const { comments, values } = await humanComments(old);
      // A block that already says what the migrations say keeps its wording and layout.
      const documented = await documentedAs(e, table);
      if (documented && describesTable(documented, values, table)) parts.push(old);
      else parts.push(deparseTable(model, table, { columnComments: comments, keptValues: values }));
    }
    const indent = ' '.repeat(fence.indent);
    const next = parts
      .join('\n\n')
      .split('\n')
      .map((l) => (l === '' ? '' : indent + l));
    const current = plain.slice(fence.contentLine - 1, fence.close - 1);
    if (next.join('\n') === current.join('\n')) continue;
    edits.push({ start: fence.contentLine - 1, remove: current.length, insert: next });
    for (const e of entries) {
      if (modelTableFor(model, e, options))
        changes.push({ kind: 'schema-updated', table: e.name, line: e.line });
    }
  }

  // 2. Documented tables without a Schema block.
  const headings = scanned.headings;
  const entryEnd = (line: number): number => {
    const h = headings.find((x) => x.line === line);
    const end =
      headings.find((x) => x.line > line && h !== undefined && x.level <= h.level)?.line ?? plain.length + 1;
    let last = end - 1;
    while (last > line && /^\s*(?:-{3,}|\*{3,}|_{3,})?\s*$/.test(plain[last - 1] as string)) last--;
    return last;
  };
  for (const e of doc.tables) {
    if (e.schema !== null || e.deprecation) continue;
    const table = modelTableFor(model, e, options);
    if (!table) continue;
    const after = entryEnd(e.line);
    edits.push({
      start: after,
      remove: 0,
      insert: ['', '**Schema:**', '```sql', ...deparseTable(model, table).split('\n'), '```'],
    });
    changes.push({ kind: 'schema-added', table: e.name, line: e.line });
  }

  // 3. Stub entries for undocumented tables.
  const documented = new Set(doc.tables.map((t) => (t.name.includes('.') ? t.name : `public.${t.name}`)));
  // In dependency order, so that the document's SQL applies from top to bottom.
  const missing = dependencyOrder(
    model.tables.filter((t) => isOwnTable(t, options) && !documented.has(`${t.schema}.${t.name}`)),
  );
  if (missing.length > 0) {
    // The checklist is read from the repaired text: a stub should not copy the document's mojibake.
    const items = checklist(doc, repairEncoding(text).text.split(/\r?\n/), scanned.fences);
    const stubs = missing.map((t) => stub(model, t, items, options.usersOf?.(t) ?? []));
    const production = doc.sections.find((s) => s.key === 'production-tables');
    let at: number;
    let insert: string[];
    if (production) {
      const next = doc.sections.find((s) => s.line > production.line)?.line ?? plain.length + 1;
      let last = next - 1;
      while (last > production.line && /^\s*(?:-{3,}|\*{3,}|_{3,})?\s*$/.test(plain[last - 1] as string))
        last--;
      at = last;
      insert = stubs.flatMap((lines) => ['', '---', '', ...lines]);
    } else {
      const log = doc.sections.find((s) => s.key === 'change-log');
      at = log ? log.line - 1 : endIndex(lines);
      insert = [
        '## Production tables',
        '',
        ...stubs.flatMap((lines, i) => [...(i > 0 ? ['', '---', ''] : []), ...lines]),
        '',
      ];
    }
    edits.push({ start: at, remove: 0, insert });
    for (const t of missing) changes.push({ kind: 'table-added', table: qualified(t), line: at + 1 });
  }

  // 4. One change-log row for what changed.
  if (changes.length > 0) {
    const added = changes.filter((c) => c.kind === 'table-added').map((c) => c.table);
    const updated = [...new Set(changes.filter((c) => c.kind !== 'table-added').map((c) => c.table))];
    const summary = [
      added.length > 0 ? `documented ${added.join(', ')} (stub entries to complete)` : null,
      updated.length > 0 ? `schema of ${updated.join(', ')} regenerated from the migrations` : null,
    ]
      .filter((s) => s !== null)
      .join('; ');
    const change = `dbcanon doc sync: ${summary}`;
    const logSection = doc.sections.find((s) => s.key === 'change-log');
    const table = logSection
      ? pipeTables(
          scanned,
          logSection.line + 1,
          doc.sections.find((s) => s.line > logSection.line)?.line ?? plain.length + 1,
        ).find((t) => t.header.some((h) => /date/i.test(h)))
      : undefined;
    if (table) {
      const cells = table.header.map((h) => {
        const k = h.replace(/[*`]/g, '').trim().toLowerCase();
        if (k === 'date') return options.today;
        if (/^(change|changes|description|summary)$/.test(k)) return change;
        if (/^(author|by|who)$/.test(k)) return 'dbcanon';
        return '';
      });
      const lastRow = table.rows.at(-1)?.line ?? table.headerLine + 1;
      edits.push({ start: lastRow, remove: 0, insert: [`| ${cells.join(' | ')} |`] });
      changes.push({ kind: 'changelog-row', table: null, line: lastRow + 1 });
    } else if (logSection) {
      // The document's own change-log heading (whatever its spelling) gets the table, not a second heading.
      const rows = [
        '',
        '| Date | Change | Author |',
        '|------|--------|--------|',
        `| ${options.today} | ${change} | dbcanon |`,
      ];
      edits.push({ start: logSection.line, remove: 0, insert: rows });
      changes.push({ kind: 'changelog-row', table: null, line: logSection.line + 1 });
    } else {
      edits.push({
        start: endIndex(lines),
        remove: 0,
        insert: [
          '',
          '## Change log',
          '',
          '| Date | Change | Author |',
          '|------|--------|--------|',
          `| ${options.today} | ${change} | dbcanon |`,
        ],
      });
      changes.push({ kind: 'changelog-row', table: null, line: plain.length });
    }
  }

  if (edits.length === 0) return { text, changes: [] };
  return { text: applyEdits(lines, edits, doc.eol), changes };
}
