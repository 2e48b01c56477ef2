/**
 * DocModel → SchemaModel: the document's tables in the shape the migrations and the live database are turned
 * into, so that drift rules compare like with like. SQL blocks go through the same static replay as the
 * migrations (with the block's line, so locations point into the document); a markdown column table becomes a
 * table with the columns it lists and no constraints (it states none).
 */
import {
  canonicalize,
  emptySchemaModel,
  type ModelLocation,
  type SchemaModel,
  type TableModel,
} from '../model/schema-model.js';
import type { DocModel } from './doc-model.js';

/** The replay engine's entry point (src/sql/replay.ts), passed in so this module does not load the parser. */
export type ReplaySql = (
  inputs: { file: string; sql: string; line?: number }[],
  base?: SchemaModel,
) => Promise<{
  model: SchemaModel;
  problems: { file: string; line: number; column: number; message: string; severity?: 'error' | 'note' }[];
}>;

export interface DocSchemaProblem {
  line: number;
  column: number;
  message: string;
  table?: string;
}

export interface DocSchema {
  model: SchemaModel;
  /** SQL the replay refused that the document parser did not already report (turned into doc-syntax). */
  problems: DocSchemaProblem[];
}

const lineCount = (s: string) => s.split('\n').length;

/** `base`: the starting schema the blocks are replayed on (Supabase's auth.users for a `references` to it). */
export async function docToSchemaModel(
  doc: DocModel,
  replaySql: ReplaySql,
  base?: SchemaModel,
): Promise<DocSchema> {
  const inputs: { file: string; sql: string; line: number; table: string }[] = [];
  const columnTables: TableModel[] = [];
  for (const t of doc.tables) {
    const s = t.schema;
    if (!s) continue;
    if (s.kind === 'column-table') {
      const loc: ModelLocation = { file: doc.file, line: s.line, column: 1 };
      columnTables.push({
        schema: t.name.includes('.') ? (t.name.split('.')[0] ?? 'public') : 'public',
        name: t.name.includes('.') ? t.name.slice(t.name.indexOf('.') + 1) : t.name,
        columns: s.columns.map((c) => ({ ...c, loc: c.loc ?? loc })),
        constraints: [],
        rlsEnabled: false,
        rlsForced: false,
        comment: null,
        loc,
      });
      continue;
    }
    const last = s.line + lineCount(s.sql) - 1;
    // The parser already reported a block that does not parse (doc-syntax); replaying it adds nothing.
    const broken = doc.problems.some((p) => p.rule === 'doc-syntax' && p.line >= s.line && p.line <= last);
    if (!broken) inputs.push({ file: doc.file, sql: s.sql, line: s.line, table: t.name });
  }
  // One replay in document order, so a block may index or alter a table of an earlier block.
  const replayed =
    inputs.length > 0
      ? await replaySql(inputs, base)
      : { model: base ? { ...base, tables: [...base.tables] } : emptySchemaModel(), problems: [] };
  const model = replayed.model;
  for (const t of columnTables) {
    if (!model.tables.some((m) => m.schema === t.schema && m.name === t.name)) model.tables.push(t);
  }
  const duplicates = new Set(doc.problems.filter((p) => p.rule === 'doc-duplicate-table').map((p) => p.line));
  const problems: DocSchemaProblem[] = [];
  for (const p of replayed.problems) {
    if (p.severity === 'note') continue;
    const input = [...inputs].reverse().find((i) => i.line <= p.line);
    const entry = doc.tables.find((t) => t.name === input?.table);
    // A second entry for a table fails to replay as "already exists"; doc-duplicate-table says it better.
    if (entry && duplicates.has(entry.line)) continue;
    problems.push({
      line: p.line,
      column: p.column,
      message: `the SQL of ${input ? `\`${input.table}\`` : 'a block'} does not apply: ${p.message}`,
      ...(input ? { table: input.table } : {}),
    });
  }
  // A block may name a table no block creates (an entry documenting the columns a project adds to a table made
  // elsewhere, or an FK to an undocumented table): the replay takes it as external, as it does for migrations.
  return { model: canonicalize(model), problems };
}
