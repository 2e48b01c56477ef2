/**
 * `dbcanon doc diagram`: a Mermaid erDiagram of the documented tables and their foreign keys, which GitHub
 * renders inside the document. It goes between `<!-- dbcanon:diagram:start -->` and
 * `<!-- dbcanon:diagram:end -->`; everything outside the markers stays byte for byte.
 */
import type { SchemaModel, TableModel } from '../model/schema-model.js';
import type { DocModel } from './doc-model.js';
import { displayType } from './schema-sql.js';
import { applyEdits, endIndex, type LineEdit, splitLines } from './text-edits.js';

export const DIAGRAM_START = '<!-- dbcanon:diagram:start -->';
export const DIAGRAM_END = '<!-- dbcanon:diagram:end -->';

/** Mermaid entity names allow letters, digits, `_` and `-`. */
const entity = (t: { schema: string; name: string }) =>
  (t.schema === 'public' ? t.name : `${t.schema}__${t.name}`).replace(/[^A-Za-z0-9_-]/g, '_');

/** Mermaid attribute types take no spaces or commas: `TIMESTAMPTZ`, `VARCHAR(20)`, `NUMERIC`. */
const attributeType = (type: string) =>
  displayType(type)
    .replace(/\([^)]*,[^)]*\)/g, '')
    .replace(/\s+/g, '_');

/** The documented, non-deprecated tables of `model`, in document order. */
export function documentedTables(doc: DocModel, model: SchemaModel): TableModel[] {
  const out: TableModel[] = [];
  for (const entry of doc.tables) {
    if (entry.deprecation) continue;
    const dot = entry.name.indexOf('.');
    const schema = dot >= 0 ? entry.name.slice(0, dot) : 'public';
    const name = dot >= 0 ? entry.name.slice(dot + 1) : entry.name;
    const t = model.tables.find((x) => x.schema === schema && x.name === name);
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

export function mermaidDiagram(tables: TableModel[]): string {
  const lines = ['erDiagram'];
  const shown = new Set(tables.map((t) => `${t.schema}.${t.name}`));
  for (const t of tables) {
    const keys = (col: string) => {
      const k: string[] = [];
      for (const c of t.constraints) {
        if (!c.columns.includes(col)) continue;
        if (c.kind === 'primary_key') k.push('PK');
        else if (c.kind === 'foreign_key') k.push('FK');
        else if (c.kind === 'unique' && c.columns.length === 1) k.push('UK');
      }
      return [...new Set(k)].join(', ');
    };
    lines.push(`  ${entity(t)} {`);
    for (const c of t.columns) {
      const k = keys(c.name);
      lines.push(`    ${attributeType(c.type)} ${c.name}${k ? ` ${k}` : ''}`);
    }
    lines.push('  }');
  }
  for (const t of tables) {
    for (const c of t.constraints) {
      if (c.kind !== 'foreign_key' || !c.references) continue;
      const r = c.references;
      if (!shown.has(`${r.schema}.${r.table}`)) continue;
      const optional = c.columns.some((col) => t.columns.find((x) => x.name === col)?.nullable ?? true);
      lines.push(
        `  ${entity({ schema: r.schema, name: r.table })} ${optional ? '|o' : '||'}--o{ ${entity(t)} : "${c.columns.join(', ')}"`,
      );
    }
  }
  return lines.join('\n');
}

export interface DiagramResult {
  text: string;
  changed: boolean;
  /** True when the markers were not in the document and were added. */
  insertedMarkers: boolean;
}

/**
 * Puts the diagram between the markers. Without markers they are added after the production tables heading
 * (or at the end of the document).
 */
export function writeDiagram(text: string, doc: DocModel, diagram: string): DiagramResult {
  const lines = splitLines(text);
  const block = ['```mermaid', ...diagram.split('\n'), '```'];
  const start = lines.findIndex((l) => l.text.trim() === DIAGRAM_START);
  const end = start < 0 ? -1 : lines.findIndex((l, i) => i > start && l.text.trim() === DIAGRAM_END);
  let edit: LineEdit;
  if (start >= 0 && end > start) {
    const current = lines.slice(start + 1, end).map((l) => l.text);
    if (current.join('\n') === block.join('\n')) return { text, changed: false, insertedMarkers: false };
    edit = { start: start + 1, remove: end - start - 1, insert: block };
    return { text: applyEdits(lines, [edit], doc.eol), changed: true, insertedMarkers: false };
  }
  const production = doc.sections.find((s) => s.key === 'production-tables');
  const wrapped = ['', DIAGRAM_START, ...block, DIAGRAM_END];
  edit = production
    ? { start: production.line, remove: 0, insert: wrapped }
    : { start: endIndex(lines), remove: 0, insert: wrapped };
  return { text: applyEdits(lines, [edit], doc.eol), changed: true, insertedMarkers: true };
}
