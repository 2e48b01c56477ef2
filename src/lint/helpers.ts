/**
 * What the rules share: which models a drift rule compares, where a finding points, and which model the
 * convention rules read. Kept here so that every rule words sources and locations the same way.
 */
import type { DocModel, DocTable } from '../doc/doc-model.js';
import {
  type ColumnModel,
  type FunctionModel,
  findColumn,
  type ModelLocation,
  type ModelSource,
  type PolicyModel,
  type SchemaModel,
  type TableModel,
  tableKey,
} from '../model/schema-model.js';
import { isForeignSchema } from '../model/schemas.js';
import type { RuleContext, Violation } from './types.js';

const SOURCE_NAMES: Record<ModelSource, string> = {
  doc: 'the document',
  migrations: 'the migrations',
  database: 'the database',
};

/**
 * One pair of sources a drift rule compares. `left` declares (the document, or the migrations when the live
 * database is checked), `right` is what it is checked against. A table or column only on the right is
 * "undocumented" (not declared by the left); one only on the left is "missing".
 */
export interface Comparison {
  /** `doc/migrations`, `migrations/database` or `doc/database`: what goes into Finding.source. */
  source: string;
  leftKind: ModelSource;
  rightKind: ModelSource;
  left: SchemaModel;
  right: SchemaModel;
  leftName: string;
  rightName: string;
}

function comparison(ctx: RuleContext, l: ModelSource, r: ModelSource): Comparison {
  const model = (s: ModelSource) =>
    s === 'doc' ? ctx.docSchema : s === 'migrations' ? ctx.migrations : (ctx.database ?? ctx.migrations);
  return {
    source: `${l}/${r}`,
    leftKind: l,
    rightKind: r,
    left: model(l),
    right: model(r),
    leftName: SOURCE_NAMES[l],
    rightName: SOURCE_NAMES[r],
  };
}

/** True when the project declares its schema in migrations (or repeatables). */
export function hasMigrations(ctx: RuleContext): boolean {
  const m = ctx.migrations;
  return (
    ctx.migrationFiles.length > 0 ||
    m.tables.length + m.indexes.length + m.functions.length + m.policies.length + m.triggers.length > 0
  );
}

/**
 * The comparisons the drift rules run. The document is held to the migrations. With `--db`, the database is held
 * to the migrations (each hand-made change is reported once, against the files that should have made it), or to
 * the document when the project has no migrations.
 */
export function comparisons(ctx: RuleContext, options: { doc: boolean; database: boolean }): Comparison[] {
  const out: Comparison[] = [];
  const migrations = hasMigrations(ctx);
  if (options.doc && ctx.doc && migrations) out.push(comparison(ctx, 'doc', 'migrations'));
  if (options.database && ctx.database) {
    if (migrations) out.push(comparison(ctx, 'migrations', 'database'));
    else if (options.doc && ctx.doc) out.push(comparison(ctx, 'doc', 'database'));
  }
  return out;
}

const docIndex = new WeakMap<DocModel, Map<string, DocTable>>();

/** The document's entry for a table of the document's SchemaModel (first entry when it is duplicated). */
export function docTableFor(ctx: RuleContext, table: { schema: string; name: string }): DocTable | undefined {
  const doc = ctx.doc;
  if (!doc) return undefined;
  let index = docIndex.get(doc);
  if (!index) {
    index = new Map();
    for (const t of doc.tables) if (!index.has(t.name)) index.set(t.name, t);
    docIndex.set(doc, index);
  }
  return index.get(tableKey(table)) ?? index.get(table.name);
}

/** Deprecated document entries are kept out of drift: they describe what must not exist. */
export function isDeprecatedInDoc(ctx: RuleContext, table: { schema: string; name: string }): boolean {
  return docTableFor(ctx, table)?.deprecation != null;
}

/** A table documented as a markdown column table carries no nullability, defaults or constraints. */
export function isColumnTableDoc(ctx: RuleContext, cmp: Comparison, table: TableModel): boolean {
  return cmp.leftKind === 'doc' && docTableFor(ctx, table)?.schema?.kind === 'column-table';
}

/** Tables present on both sides (deprecated document entries left out), paired by schema and name. */
export function pairedTables(
  ctx: RuleContext,
  cmp: Comparison,
): { left: TableModel; right: TableModel; key: string }[] {
  const right = new Map(cmp.right.tables.map((t) => [`${t.schema}.${t.name}`, t]));
  const out: { left: TableModel; right: TableModel; key: string }[] = [];
  for (const left of cmp.left.tables) {
    const r = right.get(`${left.schema}.${left.name}`);
    if (!r) continue;
    if (cmp.leftKind === 'doc' && isDeprecatedInDoc(ctx, left)) continue;
    out.push({ left, right: r, key: tableKey(left) });
  }
  return out;
}

/** Where a finding about an object points when the object itself has no location (e.g. the live database). */
export function fallbackLocation(ctx: RuleContext, kind: ModelSource): ModelLocation {
  if (kind === 'doc' && ctx.doc) return { file: ctx.doc.file, line: 1, column: 1 };
  return { file: ctx.migrationFiles[0]?.file ?? ctx.config.migrations[0] ?? '.', line: 1, column: 1 };
}

/** The first location that exists, else the fallback for `kind`. */
export function locate(
  ctx: RuleContext,
  kind: ModelSource,
  ...candidates: (ModelLocation | undefined)[]
): ModelLocation {
  for (const c of candidates) if (c) return c;
  return fallbackLocation(ctx, kind);
}

export function at(loc: ModelLocation): Pick<Violation, 'file' | 'line' | 'column'> {
  return { file: loc.file, line: loc.line, column: loc.column };
}

/**
 * The model the convention rules read: the migrations when the project has them (they are what the database
 * becomes), else the document's SQL.
 */
export function conventionModel(ctx: RuleContext): SchemaModel {
  return hasMigrations(ctx) ? ctx.migrations : ctx.docSchema;
}

/** Tables the convention rules judge: the project's own, not Supabase's or an extension's. */
export function ownTables(model: SchemaModel): TableModel[] {
  return model.tables.filter((t) => !isForeignSchema(t.schema));
}

export function isOwnSchema(schema: string): boolean {
  return !isForeignSchema(schema);
}

/** `a`, `a and b`, `a, b and c`, with backticks. */
export function listText(items: readonly string[]): string {
  const q = items.map((i) => `\`${i}\``);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/**
 * Findings of one doc rule: what the document parser reported for it, plus what the rule derives from the
 * DocModel itself, once per line (the parser and the rule may both see the same problem).
 */
export function docFindings(
  ctx: RuleContext,
  rule: string,
  derived: { line: number; column: number; message: string; table?: string }[],
): Violation[] {
  const doc = ctx.doc;
  if (!doc) return [];
  const out: Violation[] = [];
  const fromParser = new Set<string>();
  const keyOf = (p: { line: number; table?: string | undefined }) => `${p.line}:${p.table ?? ''}`;
  const add = (p: { line: number; column: number; message: string; table?: string | undefined }) =>
    out.push({
      rule,
      message: p.message,
      file: doc.file,
      line: p.line,
      column: p.column,
      ...(p.table !== undefined ? { table: p.table } : {}),
    });
  for (const p of doc.problems) {
    if (p.rule !== rule) continue;
    fromParser.add(keyOf(p));
    add(p);
  }
  for (const p of derived) if (!fromParser.has(keyOf(p))) add(p);
  return out;
}

/** A column present on both sides of a comparison. */
export interface ColumnPair {
  cmp: Comparison;
  table: TableModel;
  key: string;
  left: ColumnModel;
  right: ColumnModel;
}

/**
 * Every column both sides of every drift comparison have. `fullSchema` leaves out tables the document gives as a
 * markdown column table, which states types but no nullability, defaults or constraints.
 */
export function* pairedColumns(ctx: RuleContext, options: { fullSchema: boolean }): Generator<ColumnPair> {
  for (const cmp of comparisons(ctx, { doc: true, database: true })) {
    for (const { left, right, key } of pairedTables(ctx, cmp)) {
      if (options.fullSchema && isColumnTableDoc(ctx, cmp, left)) continue;
      for (const l of left.columns) {
        const r = findColumn(right, l.name);
        if (r) yield { cmp, table: left, key, left: l, right: r };
      }
    }
  }
}

/** Where a finding about a column pair points (the declaring side), and what it names. */
export function columnPairFinding(
  ctx: RuleContext,
  rule: string,
  p: ColumnPair,
): Pick<Violation, 'rule' | 'file' | 'line' | 'column' | 'table' | 'source'> {
  return {
    rule,
    ...at(locate(ctx, p.cmp.leftKind, p.left.loc, p.table.loc)),
    table: p.key,
    source: p.cmp.source,
  };
}

/**
 * The model the security rules read: with `--db` the live database (grants, views and what was changed by hand
 * are only there, and a fix made there shows at once), else the convention model.
 */
export function securityModel(ctx: RuleContext): SchemaModel {
  return ctx.database ?? conventionModel(ctx);
}

/** `schema.name(args)`, always qualified: security messages name the exact object to revoke or alter. */
export function functionLabel(f: FunctionModel): string {
  return `${f.schema}.${f.name}(${f.identityArgs})`;
}

/**
 * Where the files declare a function of the security model: its own location (offline), else the latest
 * definition in the migrations of the same signature, or of the same name. Undefined when the files do not.
 */
export function functionLocation(ctx: RuleContext, f: FunctionModel): ModelLocation | undefined {
  if (f.loc) return f.loc;
  const same = ctx.migrations.functions.filter((m) => m.schema === f.schema && m.name === f.name);
  return (same.find((m) => m.identityArgs === f.identityArgs) ?? same[0])?.loc;
}

/** Where the files declare a policy of the security model (see functionLocation). */
export function policyLocation(ctx: RuleContext, p: PolicyModel): ModelLocation | undefined {
  if (p.loc) return p.loc;
  return ctx.migrations.policies.find(
    (m) => m.schema === p.schema && m.table === p.table && m.name === p.name,
  )?.loc;
}

/** Where the migration or repeatable SQL creates a view (the code scanner's definitions; the last one wins). */
export function viewLocation(
  ctx: RuleContext,
  v: { schema: string; name: string },
): ModelLocation | undefined {
  let found: ModelLocation | undefined;
  for (const d of ctx.code?.definitions ?? []) {
    if (d.kind === 'view' && d.name === v.name && (d.schema ?? 'public') === v.schema) {
      found = { file: d.file, line: d.line, column: d.column };
    }
  }
  return found;
}
