/**
 * Reads a document's SQL block with the real Postgres parser (libpg-query, loaded on first use): whether it
 * parses, where it fails, which tables it creates and where each column is declared, and the `-- Values:`
 * comments that document a column's allowed values. Building a SchemaModel from the SQL is the replay
 * engine's job (src/sql/); this only reads what the document layer needs.
 */

export interface SqlBlockColumn {
  name: string;
  /** Character offset of the column definition in the block. */
  offset: number;
}

export interface SqlBlockTable {
  schema: string | null;
  name: string;
  /** Character offset where the CREATE TABLE statement starts (its first keyword). */
  offset: number;
  columns: SqlBlockColumn[];
}

export interface SqlBlockValues {
  /** The column the comment follows; null when it stands before any column. */
  column: string | null;
  table: string | null;
  values: string[];
  /** Character offset of the `--` of the comment. */
  offset: number;
}

export interface SqlBlockInfo {
  /** Set when the block does not parse: the parser's message and the character offset it points at. */
  error: { message: string; offset: number } | null;
  tables: SqlBlockTable[];
  values: SqlBlockValues[];
}

import { loadSqlParser, parseTree, SqlSyntaxError, utf8ToIndex } from '../sql/parser.js';

/** `scheduled, in_progress, completed` → values; stops at a sentence after the list. */
export function splitValueList(list: string): string[] {
  return list
    .replace(/`/g, '')
    .split(/\s*(?:,|\bor\b|\|)\s*/)
    .map((v) =>
      v
        .trim()
        .replace(/\s*\((?:default|legacy)\)$/i, '')
        .replace(/[.;]$/, ''),
    )
    .filter((v) => /^[A-Za-z0-9_.:-]+$/.test(v));
}

/**
 * A column's allowed values in a comment: `-- Values: a, b, c`, or a bare list of two or more values separated by
 * `|` (`-- success | failure | unknown`), the other way documents write the same thing.
 */
const VALUES_COMMENT = /--\s*(?:values?\s*:\s*(.*)|([A-Za-z0-9_.:-]+(?:\s*\|\s*[A-Za-z0-9_.:-]+)+)\s*)$/gim;

interface RawColumnDef {
  colname?: string;
  location?: number;
}

export async function analyzeSqlBlock(sql: string): Promise<SqlBlockInfo> {
  await loadSqlParser();
  const info: SqlBlockInfo = { error: null, tables: [], values: [] };
  let tree: { stmts?: { stmt?: Record<string, unknown>; stmt_location?: number; stmt_len?: number }[] };
  try {
    // An empty block (or one of comments only) parses to no statements: it says nothing, and is no error.
    tree = parseTree(sql);
  } catch (e) {
    if (!(e instanceof SqlSyntaxError)) throw e;
    info.error = {
      message: e.sqlDetails.message,
      offset: Math.max(0, Math.min(e.sqlDetails.cursorPosition, sql.length)),
    };
    return info;
  }
  const toChar = utf8ToIndex(sql);
  for (const s of tree.stmts ?? []) {
    const create = s.stmt?.CreateStmt as
      | { relation?: { relname?: string; schemaname?: string }; tableElts?: { ColumnDef?: RawColumnDef }[] }
      | undefined;
    if (!create?.relation?.relname) continue;
    let start = toChar(s.stmt_location ?? 0);
    // stmt_location points just past the previous statement's semicolon; the table starts at CREATE.
    const create_at = sql.slice(start).search(/create\b/i);
    if (create_at >= 0) start += create_at;
    info.tables.push({
      schema: create.relation.schemaname ?? null,
      name: create.relation.relname,
      offset: start,
      columns: (create.tableElts ?? [])
        .map((e) => e.ColumnDef)
        .filter((c): c is Required<RawColumnDef> => c?.colname !== undefined && c.location !== undefined)
        .map((c) => ({ name: c.colname, offset: toChar(c.location) })),
    });
  }
  const lineOf = (offset: number) => sql.slice(0, offset).split('\n').length;
  for (const m of sql.matchAll(VALUES_COMMENT)) {
    const offset = m.index as number;
    const table = [...info.tables].reverse().find((t) => t.offset <= offset) ?? null;
    const columns = table?.columns.filter((c) => c.offset < offset) ?? [];
    // The comment documents the column declared on its own line, else the last one declared before it.
    const sameLine = columns.filter((c) => lineOf(c.offset) === lineOf(offset)).at(-1);
    const column = sameLine ?? columns.at(-1) ?? null;
    info.values.push({
      column: column?.name ?? null,
      table: table?.name ?? null,
      values: splitValueList((m[1] ?? m[2]) as string),
      offset,
    });
  }
  return info;
}
