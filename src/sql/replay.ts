/**
 * Static replay: SQL files → SchemaModel, without a database. Each DDL statement is applied to an in-memory
 * model the way Postgres would apply it to its catalog (same generated names, same type spelling, same
 * implied NOT NULLs), so that the result equals what introspecting a database that ran the same SQL gives.
 * DO blocks are read with PL/pgSQL's parser and their statements replayed (see doBlock). Statements that do not
 * change the modelled schema (DML, grants) are ignored. A table the statements touch but none creates is a
 * stand-in from then on, listed as external (SchemaModel.externalTables).
 */

import { performance } from 'node:perf_hooks';
import type { DbcanonConfig } from '../config/schema.js';
import type { FileTexts } from '../io/file-texts.js';
import { listMigrationFiles, listRepeatableFiles, type MisnamedMigration } from '../migrate/files.js';
import {
  type BucketModel,
  type ColumnModel,
  type ConstraintModel,
  canonicalize,
  type ExternalTableModel,
  type FunctionModel,
  type GoneTableModel,
  type IndexModel,
  type ModelLocation,
  type PolicyCommand,
  type SchemaModel,
  type TableModel,
} from '../model/schema-model.js';
import { quoteIdent, SERIAL_TYPES } from '../model/types.js';
import {
  deparse,
  deparseIndexExpr,
  normalizeExpr,
  qualifiedName,
  typedStringLiteral,
  typeNameText,
} from './expr.js';
import { chooseName, nameAddition } from './names.js';
import {
  loadSqlParser,
  type ParseResult,
  type PgNode,
  parseExpression,
  parseSql,
  type SqlProblem,
} from './parser.js';
import { mayBeChangedByDynamicSql, readPlpgsqlBody, wordsOf } from './plpgsql.js';
import { ReplayViews } from './replay-views.js';
import { type LoadedStartingSchema, loadStartingSchema } from './starting-schema.js';

export type ReplayProblem = SqlProblem;

export interface ReplayInput {
  file: string;
  sql: string;
  /** 1-based line of `sql`'s first line in `file`; default 1. */
  line?: number;
}

export interface ReplayResult {
  model: SchemaModel;
  problems: ReplayProblem[];
}

const FK_ACTIONS: Record<string, string> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

const POLICY_COMMANDS: Record<string, PolicyCommand> = {
  all: 'all',
  select: 'select',
  insert: 'insert',
  update: 'update',
  delete: 'delete',
};

function strings(list: PgNode[] | undefined): string[] {
  return (list ?? []).map((n) => n.String?.sval ?? '');
}

function clone<T>(x: T): T {
  return structuredClone(x);
}

/** Every column name an expression references (outside sub-selects), in order of first appearance. */
function referencedColumns(node: PgNode): string[] {
  const found: string[] = [];
  const walk = (n: PgNode): void => {
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    if (!n || typeof n !== 'object') return;
    if (n.SubLink) return;
    if (n.ColumnRef) {
      const fields: PgNode[] = n.ColumnRef.fields ?? [];
      const name = fields[fields.length - 1]?.String?.sval;
      if (name && !found.includes(name)) found.push(name);
      return;
    }
    for (const v of Object.values(n)) walk(v);
  };
  walk(node);
  return found;
}

/** The name Postgres derives for an index column given as an expression (FigureColname, else `expr`). */
function expressionColumnName(node: PgNode): string {
  if (node?.ColumnRef) return referencedColumns(node)[0] ?? 'expr';
  if (node?.FuncCall) {
    const names = strings(node.FuncCall.funcname);
    return names[names.length - 1] ?? 'expr';
  }
  if (node?.TypeCast) {
    const inner = expressionColumnName(node.TypeCast.arg);
    if (inner !== 'expr') return inner;
    const names = strings(node.TypeCast.typeName?.names);
    return names[names.length - 1] ?? 'expr';
  }
  if (node?.CoalesceExpr) return 'coalesce';
  if (node?.CaseExpr) return 'case';
  return 'expr';
}

/** Rewrites column references named `from` to `to` in expression text (for RENAME COLUMN). */
function renameInExpr(
  text: string | null,
  from: string,
  to: string,
  print: (node: PgNode) => string = (node) => deparse(node, true),
): string | null {
  if (text === null) return null;
  let node: PgNode;
  try {
    // A copy: parse trees are shared through the parser's memo, and this one is edited below.
    node = structuredClone(parseExpression(text));
  } catch {
    return text;
  }
  const walk = (n: PgNode): void => {
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    if (!n || typeof n !== 'object') return;
    if (n.ColumnRef) {
      const fields: PgNode[] = n.ColumnRef.fields ?? [];
      const last = fields[fields.length - 1];
      if (last?.String?.sval === from) last.String.sval = to;
      return;
    }
    for (const v of Object.values(n)) walk(v);
  };
  walk(node);
  return print(node);
}

/**
 * An index column after RENAME COLUMN. Its text is a key (a quoted name, a call or a parenthesized expression)
 * and the ordering createIndex appends (` DESC`, ` DESC NULLS LAST`, ` NULLS FIRST`): only the key is renamed,
 * and an expression is printed back as an index column.
 */
function renameInIndexColumn(text: string, from: string, to: string): string {
  const ordering = / DESC( NULLS LAST)?$| NULLS FIRST$/.exec(text);
  const key = ordering ? text.slice(0, ordering.index) : text;
  // A key written as an expression stays one, in parentheses, even when renaming leaves a bare column in them.
  const expression = key.startsWith('(') && key.endsWith(')');
  const renamed =
    key === quoteIdent(from)
      ? quoteIdent(to)
      : expression
        ? `(${renameInExpr(key, from, to) ?? key.slice(1, -1)})`
        : (renameInExpr(key, from, to, deparseIndexExpr) ?? key);
  return renamed + (ordering?.[0] ?? '');
}

interface FunctionEntry {
  model: FunctionModel;
  /**
   * schema.name(argtypes): what Postgres matches CREATE OR REPLACE and DROP FUNCTION on. Types without their
   * modifiers: `f(varchar(10))` and `f(varchar)` are one function.
   */
  signature: string;
  /** For a procedure with OUT parameters: the signature with them, which DROP PROCEDURE also accepts. */
  withOut?: string;
}

/** A serial column's default as the catalog prints it: `nextval('t_id_seq')`, schema-qualified outside public. */
function nextvalDefault(schema: string, seq: string): string {
  const qualified = schema === 'public' ? quoteIdent(seq) : `${quoteIdent(schema)}.${quoteIdent(seq)}`;
  return `nextval('${qualified.replace(/'/g, "''")}')`;
}

/** Adds `value` to the list `map` holds under `key`. */
function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The RangeVar-like name of a DROP TABLE object (a list of name parts). */
function tableRef(obj: PgNode): { relname: string; schemaname?: string } {
  const names = strings(obj.List?.items);
  return {
    relname: names[names.length - 1] ?? '',
    ...(names.length > 1 ? { schemaname: names[names.length - 2] } : {}),
  };
}

/** ALTER TABLE commands that reach a table's partitions and inheriting tables unless ONLY is written. */
const RECURSING_COMMANDS = new Set([
  'AT_ColumnDefault',
  'AT_SetNotNull',
  'AT_DropNotNull',
  'AT_AlterColumnType',
  'AT_DropConstraint',
]);

class Replayer {
  readonly tables = new Map<string, TableModel>();
  indexes: IndexModel[] = [];
  policies: SchemaModel['policies'] = [];
  functions: FunctionEntry[] = [];
  triggers: SchemaModel['triggers'] = [];
  readonly sequences = new Set<string>();
  readonly problems: ReplayProblem[] = [];
  /** Partitions by partitioned table: an index or key made on the parent is made on each of them too. */
  private readonly partitions = new Map<TableModel, TableModel[]>();
  /** Tables made with INHERITS, by parent: ALTER TABLE on the parent reaches them too. */
  private readonly inheritors = new Map<TableModel, TableModel[]>();
  /** CHECK constraints declared NO INHERIT: children do not get them. */
  private readonly noInherit = new WeakSet<ConstraintModel>();
  /** Inherited CHECKs the child declared as well: DROP CONSTRAINT on the parent leaves them. */
  private readonly localChecks = new WeakSet<ConstraintModel>();
  /** Indexes made on partitions for an index of their parent: they go when it goes. */
  private readonly partitionCopies = new Map<IndexModel, { table: TableModel; index: IndexModel }[]>();
  /**
   * For inherited columns: whether the table declares the column itself, and from how many parents it has it.
   * DROP COLUMN on a parent drops it from a child only when that was its last parent and it is not local.
   */
  private readonly columnOrigin = new WeakMap<ColumnModel, { local: boolean; parents: number }>();
  /** The sequence a serial or identity column owns (its name is chosen at creation and may carry a number). */
  private readonly ownedSequence = new WeakMap<ColumnModel, string>();
  /** The column names an index's generated name is made of (`lower` for lower(x)), for its partitions' copies. */
  private readonly indexNameParts = new WeakMap<IndexModel, string[]>();
  /**
   * Stand-ins for tables that statements touch but none created (see SchemaModel.externalTables): they hold
   * what later statements add (columns, keys, indexes, policies), accept any column they are asked for, and
   * are left out of the model, which lists them as external instead.
   */
  private readonly standIns = new WeakSet<TableModel>();
  private readonly external = new Map<string, ExternalTableModel>();
  /** Tables that files which do not parse meant to create (see noteFailedCreates). */
  private readonly failedCreates = new Map<string, ModelLocation>();
  /** Tables dropped, renamed or moved away, by their old key (see SchemaModel.goneTables). */
  private readonly gone = new Map<string, GoneTableModel>();
  /** Storage buckets inserted into storage.buckets, by id. */
  private readonly buckets = new Map<string, BucketModel>();

  /** Views and materialized views (replay-views.ts): they share the relation namespace with the tables. */
  private readonly views = new ReplayViews({
    tableExists: (schema, name) => this.tables.has(`${schema}.${name}`),
    loc: () => ({ ...this.stmtLoc }),
    fail: (message) => {
      throw new ReplayError(message);
    },
  });

  // Set per statement.
  private file = '';
  private parsed: ParseResult | undefined;
  private stmtLoc: ModelLocation = { file: '', line: 1, column: 1 };
  private stmtText = '';

  constructor(base: SchemaModel | undefined) {
    if (!base) return;
    const b = clone(base);
    for (const t of b.tables) this.tables.set(`${t.schema}.${t.name}`, t);
    this.indexes = b.indexes;
    this.policies = b.policies;
    this.triggers = b.triggers;
    this.views.seed(b.views ?? []);
    this.functions = b.functions.map((f) => ({
      model: f,
      signature: `${f.schema}.${f.name}(${identityTypes(f.identityArgs)})`,
    }));
  }

  model(): SchemaModel {
    const standIn = (x: { schema: string; table: string }) => {
      const t = this.tables.get(`${x.schema}.${x.table}`);
      return t !== undefined && this.standIns.has(t);
    };
    return canonicalize({
      tables: [...this.tables.values()].filter((t) => !this.standIns.has(t)),
      indexes: this.indexes.filter((i) => !standIn(i)),
      policies: this.policies.filter((p) => !standIn(p)),
      functions: this.functions.map((f) => f.model),
      triggers: this.triggers.filter((t) => !standIn(t)),
      views: this.views.models(),
      externalTables: [...this.external.values()].map((e) => ({
        ...e,
        files: [...e.files],
        exists: this.tables.has(`${e.schema}.${e.name}`),
      })),
      buckets: [...this.buckets.values()].map((b) => ({ ...b })),
      // Only what is still gone at the end: a table made again under its old name is there.
      goneTables: [...this.gone.entries()]
        .filter(([key]) => !this.tables.has(key))
        .map(([, g]) => ({ ...g })),
    });
  }

  replayFile(input: ReplayInput): void {
    const parsed = parseSql(input.sql, input.file, input.line ?? 1);
    this.problems.push(...parsed.problems);
    this.file = input.file;
    if (parsed.problems.some((p) => p.severity === 'error')) this.noteFailedCreates(input);
    this.applyAll(parsed, (e) => {
      if (this.dynamicWords.size > 0 && mayBeChangedByDynamicSql(e.message, this.dynamicWords)) return;
      this.problems.push({ ...this.stmtLoc, message: e.message, severity: 'error' });
    });
    this.dropTemporaryTables();
  }

  /**
   * A file that does not parse applies nothing, but the tables it meant to create are no mystery: a later
   * statement on one of them fails because of that file, which migration-syntax reports, not because the table
   * is made elsewhere. Read with a plain pattern, since the parser gave up on the file.
   */
  private noteFailedCreates(input: ReplayInput): void {
    const pattern =
      /\bcreate\s+(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?(?:("?)(\w+)\1\.)?("?)(\w+)\3/gi;
    for (const m of input.sql.matchAll(pattern)) {
      const schema = m[2] ?? 'public';
      const name = m[4] as string;
      const line = (input.line ?? 1) + input.sql.slice(0, m.index).split('\n').length - 1;
      this.failedCreates.set(`${schema}.${name}`, { file: input.file, line, column: 1 });
    }
  }

  /**
   * Temporary tables (CREATE TEMP TABLE) live in the session's pg_temp schema, which unqualified names reach
   * first, and go when the session ends: each file is a session of its own here, as it is for the runners.
   */
  private dropTemporaryTables(): void {
    for (const [key, t] of this.tables) {
      if (t.schema !== 'pg_temp') continue;
      this.tables.delete(key);
      const same = (x: { schema: string; table: string }) => x.schema === 'pg_temp' && x.table === t.name;
      this.indexes = this.indexes.filter((x) => !same(x));
      this.policies = this.policies.filter((x) => !same(x));
      this.triggers = this.triggers.filter((x) => !same(x));
    }
  }

  /** Applies a parsed text's statements in order; `rejected` hears of each one the replay rejects. */
  private applyAll(parsed: ParseResult, rejected: (e: ReplayError) => void): void {
    this.parsed = parsed;
    for (const stmt of parsed.statements) {
      this.stmtLoc = { file: this.file, line: stmt.line, column: stmt.column };
      this.stmtText = stmt.text;
      try {
        this.apply(stmt.kind, stmt.node);
      } catch (e) {
        if (!(e instanceof ReplayError)) throw e;
        rejected(e);
      }
    }
  }

  /**
   * Words of DO bodies that ran SQL built at run time: what that SQL made or dropped is unknown, so a later "does
   * not exist" or "already exists" about one of these names is not reported (the replay cannot tell).
   */
  private readonly dynamicWords = new Set<string>();
  /**
   * Inside a DO body a missing table is what its guard (`IF EXISTS …`) would have skipped: an error the body
   * swallows, not a table made elsewhere.
   */
  private inDoBody = false;

  /**
   * `DO $$ … $$`: the statements of its PL/pgSQL body, in order, every branch. A body that does not compile is a
   * problem at its line; nothing inside it is. Within the body a statement the replay rejects (CREATE of what
   * exists, DROP or ALTER of what does not) is skipped silently: the guard around it (`IF NOT EXISTS … THEN`,
   * an exception handler) is what would have skipped it on Postgres, and which branch runs is not known here.
   */
  private doBlock(n: PgNode): void {
    const option = (name: string) =>
      ((n.args ?? []) as PgNode[]).find((a) => a?.DefElem?.defname === name)?.DefElem;
    const language = String(option('language')?.arg?.String?.sval ?? 'plpgsql').toLowerCase();
    const as = option('as');
    const body = as?.arg?.String?.sval;
    if (language !== 'plpgsql' || typeof body !== 'string') return;
    const firstLine = this.loc(as.location).line;
    const reading = readPlpgsqlBody(body);
    if (!reading.ok) {
      this.problems.push({
        file: this.file,
        line: firstLine + reading.line - 1,
        column: 1,
        message: `DO block does not compile: ${reading.message}`,
        severity: 'error',
      });
      return;
    }
    const outer = { parsed: this.parsed, stmtLoc: this.stmtLoc, stmtText: this.stmtText };
    this.inDoBody = true;
    try {
      for (const action of reading.actions) {
        if (action.kind === 'dynamic') {
          for (const word of wordsOf(body)) this.dynamicWords.add(word);
          continue;
        }
        // What the replay rejects inside the body is what its guard would have skipped: not a problem.
        this.applyAll(parseSql(action.sql, this.file, firstLine + action.line - 1), () => {});
      }
    } finally {
      this.inDoBody = false;
      this.parsed = outer.parsed;
      this.stmtLoc = outer.stmtLoc;
      this.stmtText = outer.stmtText;
    }
  }

  private loc(location: number | undefined): ModelLocation {
    if (location === undefined || !this.parsed) return { ...this.stmtLoc };
    return { file: this.file, ...this.parsed.at(location) };
  }

  /** The statements that change the modelled schema; every other kind is ignored. */
  private readonly handlers: Record<string, (n: PgNode) => void> = {
    CreateStmt: (n) => this.createTable(n),
    AlterTableStmt: (n) => this.alterTable(n),
    RenameStmt: (n) => this.rename(n),
    DropStmt: (n) => this.drop(n),
    IndexStmt: (n) => this.createIndex(n),
    CreatePolicyStmt: (n) => this.createPolicy(n),
    AlterPolicyStmt: (n) => this.alterPolicy(n),
    CreateFunctionStmt: (n) => this.createFunction(n),
    AlterFunctionStmt: (n) => this.alterFunction(n),
    CreateTrigStmt: (n) => this.createTrigger(n),
    CommentStmt: (n) => this.comment(n),
    AlterObjectSchemaStmt: (n) => this.setSchema(n),
    InsertStmt: (n) => this.insert(n),
    DoStmt: (n) => this.doBlock(n),
  };

  /**
   * Rows are not modelled, with one exception: a Supabase storage bucket is made by inserting it into
   * storage.buckets, and code names it by id (`supabase.storage.from('avatars')`). Constant ids only.
   */
  private insert(n: PgNode): void {
    if (n.relation?.schemaname !== 'storage' || n.relation?.relname !== 'buckets') return;
    const columns = ((n.cols ?? []) as PgNode[]).map((c) => c.ResTarget?.name as string);
    // Without a column list the values follow the table's columns, and id comes first.
    const at = columns.length ? columns.indexOf('id') : 0;
    if (at < 0) return;
    for (const row of (n.selectStmt?.SelectStmt?.valuesLists ?? []) as PgNode[]) {
      const value = row.List?.items?.[at]?.A_Const;
      const id = value?.sval?.sval;
      if (typeof id === 'string' && !this.buckets.has(id)) {
        this.buckets.set(id, { id, loc: this.loc(value.location) });
      }
    }
  }

  private apply(kind: string, n: PgNode): void {
    if (this.views.apply(kind, n)) return;
    this.handlers[kind]?.(n);
  }

  // ---- tables -------------------------------------------------------------------------------------------

  private key(rv: PgNode): { schema: string; name: string; key: string } {
    const temporary = rv.relpersistence === 't' || this.tables.has(`pg_temp.${rv.relname}`);
    const schema: string = rv.schemaname ?? (temporary ? 'pg_temp' : 'public');
    const name: string = rv.relname;
    return { schema, name, key: `${schema}.${name}` };
  }

  /**
   * The table a statement names. One that does not exist (and that the statement does not allow to be
   * missing, as IF EXISTS does) was made outside the replayed SQL: a stand-in takes its place from then on, so
   * that one table made elsewhere is one external table, not an error at every statement that touches it.
   */
  private table(rv: PgNode, missingOk = false): TableModel | undefined {
    const { key, schema, name } = this.key(rv);
    const t = this.tables.get(key);
    if (t) {
      if (this.standIns.has(t)) this.touchedExternal(key);
      return t;
    }
    if (missingOk) return undefined;
    if (this.inDoBody) throw new ReplayError(`relation "${qualifiedName([schema, name])}" does not exist`);
    return this.standIn(schema, name);
  }

  private standIn(schema: string, name: string): TableModel {
    const key = `${schema}.${name}`;
    const table = emptyTable(schema, name, { ...this.stmtLoc });
    this.tables.set(key, table);
    this.standIns.add(table);
    if (this.external.has(key)) this.touchedExternal(key);
    else
      this.external.set(key, {
        schema,
        name,
        loc: { ...this.stmtLoc },
        files: [this.file],
        createdAt: null,
        exists: true,
        // A DO block's dynamic SQL named it: it may well have made it, out of the replay's sight.
        ...(this.dynamicWords.has(name) ? { dynamic: true } : {}),
        ...(this.failedCreates.has(key) ? { inFailedFile: this.failedCreates.get(key) } : {}),
      });
    return table;
  }

  /** Records that a table left its name (a stand-in for a table made elsewhere was never the project's). */
  private wentAway(table: TableModel, schema: string, name: string, becameKey: string | null): void {
    if (this.standIns.has(table)) return;
    this.gone.set(`${schema}.${name}`, { schema, name, loc: { ...this.stmtLoc }, becameKey });
  }

  private touchedExternal(key: string): void {
    const e = this.external.get(key);
    if (e && !e.files.includes(this.file)) e.files.push(this.file);
  }

  /** A column of a stand-in is whatever the statement says it is: its real columns are not known here. */
  private standInColumn(table: TableModel, name: string): ColumnModel | undefined {
    if (!this.standIns.has(table)) return undefined;
    const col: ColumnModel = {
      name,
      type: 'unknown',
      nullable: true,
      default: null,
      identity: null,
      generated: null,
      comment: null,
    };
    table.columns.push(col);
    return col;
  }

  /** Names in the schema's relation namespace (tables, indexes, sequences): what generated names avoid. */
  private relationTaken(schema: string): (name: string) => boolean {
    return (name) =>
      this.tables.has(`${schema}.${name}`) ||
      this.views.has(schema, name) ||
      this.sequences.has(`${schema}.${name}`) ||
      this.indexes.some((i) => i.schema === schema && i.name === name);
  }

  private constraintTaken(schema: string, extra: Set<string>): (name: string) => boolean {
    return (name) =>
      extra.has(name) ||
      [...this.tables.values()].some(
        (t) => t.schema === schema && t.constraints.some((c) => c.name === name),
      );
  }

  private createTable(n: PgNode): void {
    const { schema, name, key } = this.key(n.relation);
    const existing = this.tables.get(key);
    if (existing && this.standIns.has(existing) && n.if_not_exists) {
      // Touched before, so it exists on any database where that earlier statement ran: Postgres skips this
      // statement, and its column list says nothing certain about the table.
      const e = this.external.get(key);
      if (e && !e.skippedCreate) e.skippedCreate = this.loc(n.relation.location);
      this.touchedExternal(key);
      return;
    }
    if (existing && this.standIns.has(existing)) {
      // Used before it is created: from now on the table is what this statement says, which is more than the
      // stand-in knew.
      this.tables.delete(key);
      const e = this.external.get(key);
      if (e) e.createdAt = this.loc(n.relation.location);
    } else if (existing || this.views.has(schema, name)) {
      if (n.if_not_exists) return;
      throw new ReplayError(`relation "${name}" already exists`);
    }
    const table = emptyTable(schema, name, this.loc(n.relation.location));
    // INHERITS (a, b) and PARTITION OF p: the parents' columns come first.
    const parents = ((n.inhRelations ?? []) as PgNode[]).map((r) => this.table(r.RangeVar) as TableModel);
    this.tables.set(key, table);
    for (const parent of parents) this.inherit(table, parent);
    const constraints: { c: PgNode; column: string | null }[] = [];
    for (const el of n.tableElts ?? []) {
      if (el.ColumnDef) {
        const inherited = table.columns.find((x) => x.name === el.ColumnDef.colname);
        const rest = inherited
          ? this.mergeColumn(inherited, el.ColumnDef, !n.partbound)
          : this.addColumn(table, el.ColumnDef);
        constraints.push(...rest.map((c) => ({ c, column: el.ColumnDef.colname })));
      } else if (el.Constraint) {
        constraints.push({ c: el.Constraint, column: null });
      } else if (el.TableLikeClause) {
        this.copyLike(table, el.TableLikeClause);
      }
    }
    this.addConstraints(table, constraints, true);
    if (!n.partbound) {
      for (const parent of parents) append(this.inheritors, parent, table);
    }
    if (n.partbound && parents[0]) {
      const parent = parents[0];
      append(this.partitions, parent, table);
      // A partition gets the parent's keys, indexes and foreign keys, under names of its own (keys excepted).
      for (const index of this.indexes.filter((i) => i.schema === parent.schema && i.table === parent.name)) {
        this.cloneIndexToPartition(parent, index, table);
      }
      this.inheritForeignKeys(parent, table);
    }
  }

  /**
   * What a child table takes from a parent (INHERITS or PARTITION OF): each column with its type, NOT NULL,
   * default and generation expression (a column in two parents once), and the CHECK constraints under their
   * names. Not the keys, indexes or comments.
   */
  private inherit(table: TableModel, parent: TableModel): void {
    for (const col of parent.columns) this.inheritColumn(table, col, true);
    for (const c of parent.constraints) {
      if (c.kind !== 'check' || this.noInherit.has(c) || table.constraints.some((x) => x.name === c.name))
        continue;
      table.constraints.push({ ...structuredClone(c), loc: table.loc ?? { ...this.stmtLoc } });
    }
  }

  /** A column the child declares again over an inherited one: its NOT NULL and DEFAULT apply to that column. */
  private mergeColumn(column: ColumnModel, def: PgNode, local: boolean): PgNode[] {
    if (def.typeName && typeNameText(def.typeName) !== column.type) {
      throw new ReplayError(`column "${column.name}" has a type conflict with the inherited column`);
    }
    const rest: PgNode[] = [];
    for (const wrapped of def.constraints ?? []) {
      const c = wrapped.Constraint;
      if (c.contype === 'CONSTR_NOTNULL') column.nullable = false;
      else if (c.contype === 'CONSTR_DEFAULT') column.default = defaultText(c.raw_expr, column.type);
      else if (c.contype !== 'CONSTR_NULL') rest.push(c);
    }
    // A partition's columns are never its own: `PARTITION OF p (b NOT NULL)` only adds options.
    const origin = this.columnOrigin.get(column);
    if (origin && local) this.columnOrigin.set(column, { ...origin, local: true });
    return rest;
  }

  /**
   * `LIKE source [INCLUDING …]`: the source's columns with their types and NOT NULL, and what the options
   * include: defaults, generation expressions, identity, CHECK constraints (under their names), indexes and
   * keys (under names of the new table's own), column comments. Foreign keys are never copied.
   */
  private copyLike(table: TableModel, like: PgNode): void {
    const source = this.table(like.relation) as TableModel;
    const options = Number(like.options ?? 0);
    const has = (bit: number) => (options & bit) !== 0;
    const [COMMENTS, CONSTRAINTS, DEFAULTS, GENERATED, IDENTITY, INDEXES] = [1, 4, 8, 16, 32, 64];
    for (const col of source.columns) {
      if (table.columns.some((x) => x.name === col.name)) {
        throw new ReplayError(`column "${col.name}" specified more than once`);
      }
      const identity = has(IDENTITY) ? col.identity : null;
      const sequence = identity
        ? chooseName(table.name, col.name, 'seq', this.relationTaken(table.schema))
        : null;
      if (sequence) this.sequences.add(`${table.schema}.${sequence}`);
      const column: ColumnModel = {
        name: col.name,
        type: col.type,
        nullable: col.nullable,
        default: has(DEFAULTS) && !col.generated ? col.default : null,
        identity,
        generated: has(GENERATED) ? col.generated : null,
        comment: has(COMMENTS) ? col.comment : null,
        loc: table.loc ?? { ...this.stmtLoc },
      };
      table.columns.push(column);
      if (sequence) this.ownedSequence.set(column, sequence);
    }
    if (has(CONSTRAINTS)) {
      for (const c of source.constraints) {
        if (c.kind === 'check')
          table.constraints.push({ ...structuredClone(c), loc: table.loc ?? { ...this.stmtLoc } });
      }
    }
    if (has(INDEXES)) {
      for (const index of this.indexes.filter((i) => i.schema === source.schema && i.table === source.name)) {
        this.cloneIndex(source, index, table);
      }
    }
  }

  /**
   * ALTER TABLE … SET SCHEMA: the table moves with its indexes, policies, triggers and owned sequences; foreign
   * keys that point at it follow it.
   */
  private setSchema(n: PgNode): void {
    if (n.objectType !== 'OBJECT_TABLE') return;
    const table = this.table(n.relation, Boolean(n.missing_ok));
    if (!table) return;
    const from = table.schema;
    const to: string = n.newschema;
    if (from === to) return;
    if (this.tables.has(`${to}.${table.name}`)) {
      throw new ReplayError(`relation "${table.name}" already exists in schema "${to}"`);
    }
    this.tables.delete(`${from}.${table.name}`);
    this.wentAway(table, from, table.name, `${to}.${table.name}`);
    table.schema = to;
    this.tables.set(`${to}.${table.name}`, table);
    this.views.relationMoved({ schema: from, name: table.name }, table);
    const same = (x: { schema: string; table: string }) => x.schema === from && x.table === table.name;
    for (const i of this.indexes) if (same(i)) i.schema = to;
    for (const p of this.policies) if (same(p)) p.schema = to;
    for (const t of this.triggers) if (same(t)) t.schema = to;
    for (const other of this.tables.values()) {
      for (const c of other.constraints) if (c.references && same(c.references)) c.references.schema = to;
    }
    // A serial's or identity's sequence moves with its table, and a serial's default names it in its new schema.
    for (const col of table.columns) {
      const seq = this.ownedSequence.get(col);
      if (!seq || !this.sequences.delete(`${from}.${seq}`)) continue;
      this.sequences.add(`${to}.${seq}`);
      if (col.default === nextvalDefault(from, seq)) col.default = nextvalDefault(to, seq);
    }
  }

  /**
   * `index` of `parent` made on `partition` (PRIMARY KEY and UNIQUE constraints with it), and on the partition's
   * own partitions in turn.
   */
  private cloneIndexToPartition(parent: TableModel, index: IndexModel, partition: TableModel): void {
    // As DefineIndex and ATTACH do: a matching index the partition has already is attached, not built again.
    const copy = this.matchingIndex(index, partition) ?? this.cloneIndex(parent, index, partition);
    if (!copy) return;
    append(this.partitionCopies, index, { table: partition, index: copy });
    for (const sub of this.partitions.get(partition) ?? []) this.cloneIndexToPartition(partition, copy, sub);
  }

  /**
   * An index of `partition` that can stand for the parent's `index`: same method, uniqueness, predicate and
   * keys (their sort order aside), not attached to another index yet, and a constraint's where the parent's is.
   */
  private matchingIndex(index: IndexModel, partition: TableModel): IndexModel | undefined {
    const attached = new Set([...this.partitionCopies.values()].flat().map((c) => c.index));
    const keys = (i: IndexModel) =>
      i.columns.map((c) => c.replace(/ DESC( NULLS LAST)?$| NULLS FIRST$/, '')).join('\0');
    return this.indexes.find(
      (i) =>
        i.schema === partition.schema &&
        i.table === partition.name &&
        !attached.has(i) &&
        i.method === index.method &&
        i.unique === index.unique &&
        (!index.constraintBacked || i.constraintBacked) &&
        i.where === index.where &&
        keys(i) === keys(index),
    );
  }

  /** An index and the copies made of it on partitions, all levels down; with their key constraints. */
  private dropIndexAndCopies(table: TableModel, index: IndexModel): void {
    for (const copy of this.partitionCopies.get(index) ?? []) this.dropIndexAndCopies(copy.table, copy.index);
    this.partitionCopies.delete(index);
    this.indexes = this.indexes.filter((i) => i !== index);
    if (index.constraintBacked) table.constraints = table.constraints.filter((c) => c.name !== index.name);
  }

  /**
   * A copy of `from`'s index on `to`, named as Postgres names an index it makes for another: from the new
   * table's name and the index's column names, `pkey` for a primary key, `key` for a unique constraint, else
   * `idx`. A key constraint comes with its index.
   */
  private cloneIndex(from: TableModel, index: IndexModel, to: TableModel): IndexModel | undefined {
    const constraint = index.constraintBacked
      ? from.constraints.find((c) => c.name === index.name && c.kind !== 'exclude')
      : undefined;
    if (index.constraintBacked && !constraint) return undefined;
    const primary = constraint?.kind === 'primary_key';
    const parts = this.indexNameParts.get(index) ?? constraint?.columns ?? index.columns;
    const name = chooseName(
      to.name,
      primary ? null : nameAddition(parts),
      primary ? 'pkey' : constraint ? 'key' : 'idx',
      this.relationTaken(to.schema),
    );
    const copy: IndexModel = { ...structuredClone(index), schema: to.schema, table: to.name, name };
    this.indexes.push(copy);
    this.indexNameParts.set(copy, parts);
    if (constraint) {
      if (primary) {
        for (const col of to.columns) if (constraint.columns.includes(col.name)) col.nullable = false;
      }
      to.constraints.push({ ...structuredClone(constraint), name, loc: to.loc ?? { ...this.stmtLoc } });
    }
    return copy;
  }

  /** Adds a column; returns its constraints other than NOT NULL/DEFAULT/identity, for the caller to add. */
  private addColumn(table: TableModel, def: PgNode): PgNode[] {
    const typeNames = strings(def.typeName?.names);
    const bare = typeNames.length === 1 ? typeNames[0] : undefined;
    const serial =
      bare !== undefined && !(def.typeName?.arrayBounds ?? []).length ? SERIAL_TYPES[bare] : undefined;
    const column: ColumnModel = {
      name: def.colname,
      type: serial ?? typeNameText(def.typeName),
      nullable: true,
      default: null,
      identity: null,
      generated: null,
      comment: null,
      loc: this.loc(def.location),
    };
    if (serial) {
      const seq = chooseName(table.name, def.colname, 'seq', this.relationTaken(table.schema));
      this.sequences.add(`${table.schema}.${seq}`);
      this.ownedSequence.set(column, seq);
      column.default = nextvalDefault(table.schema, seq);
      column.nullable = false;
    }
    const rest: PgNode[] = [];
    for (const wrapped of def.constraints ?? []) {
      const c = wrapped.Constraint;
      switch (c.contype) {
        case 'CONSTR_NOTNULL':
          column.nullable = false;
          break;
        case 'CONSTR_NULL':
          break;
        case 'CONSTR_DEFAULT':
          column.default = defaultText(c.raw_expr, column.type);
          break;
        case 'CONSTR_IDENTITY':
          column.identity = c.generated_when === 'a' ? 'always' : 'by default';
          column.nullable = false;
          {
            // An identity column owns a sequence named like a serial's.
            const seq = chooseName(table.name, def.colname, 'seq', this.relationTaken(table.schema));
            this.sequences.add(`${table.schema}.${seq}`);
            this.ownedSequence.set(column, seq);
          }
          break;
        case 'CONSTR_GENERATED':
          column.generated = deparse(c.raw_expr, true);
          break;
        case 'CONSTR_PRIMARY':
          column.nullable = false;
          rest.push(c);
          break;
        default:
          rest.push(c);
      }
    }
    table.columns.push(column);
    return rest;
  }

  /** `creating`: the table's own CREATE TABLE, where a CHECK may repeat an inherited one and merge with it. */
  private addConstraints(
    table: TableModel,
    list: { c: PgNode; column: string | null }[],
    creating = false,
  ): void {
    // Postgres creates the indexes of PRIMARY KEY / UNIQUE first, then CHECKs, then FOREIGN KEYs; the order
    // matters only for which generated name gets a number on a collision.
    const order = ['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_EXCLUSION', 'CONSTR_CHECK', 'CONSTR_FOREIGN'];
    const batch = new Set<string>();
    for (const kind of order) {
      for (const { c, column } of list) {
        if (c.contype === kind) this.addConstraint(table, c, column, batch, creating);
      }
    }
  }

  private addConstraint(
    table: TableModel,
    c: PgNode,
    column: string | null,
    batch: Set<string>,
    creating = false,
  ): void {
    const loc = this.loc(c.location);
    const columnsOf = (keys: PgNode[] | undefined) => (keys?.length ? strings(keys) : column ? [column] : []);
    switch (c.contype) {
      case 'CONSTR_PRIMARY':
      case 'CONSTR_UNIQUE': {
        const primary = c.contype === 'CONSTR_PRIMARY';
        const columns = columnsOf(c.keys);
        if (primary) {
          if (table.constraints.some((x) => x.kind === 'primary_key')) {
            throw new ReplayError(`multiple primary keys for table "${table.name}" are not allowed`);
          }
          for (const name of columns) {
            const col = table.columns.find((x) => x.name === name);
            if (col) col.nullable = false;
          }
        }
        const name: string =
          c.conname ??
          chooseName(table.name, primary ? null : nameAddition(columns), primary ? 'pkey' : 'key', (x) =>
            this.relationTaken(table.schema)(x),
          );
        table.constraints.push({
          name,
          kind: primary ? 'primary_key' : 'unique',
          columns,
          expression: null,
          references: null,
          loc,
        });
        this.indexes.push({
          schema: table.schema,
          name,
          table: table.name,
          columns: columns.map(quoteIdent),
          unique: true,
          method: 'btree',
          where: null,
          constraintBacked: true,
          loc,
        });
        return;
      }
      case 'CONSTR_CHECK': {
        // A child declaring its parent's CHECK again (same name) merges with the inherited one.
        const inherited = c.conname
          ? table.constraints.find((x) => x.kind === 'check' && x.name === c.conname)
          : undefined;
        if (inherited) {
          if (!creating)
            throw new ReplayError(`constraint "${c.conname}" for relation "${table.name}" already exists`);
          this.localChecks.add(inherited);
          return;
        }
        const refs = referencedColumns(c.raw_expr);
        // As Postgres: a CHECK on a column the table does not have fails (a stand-in's columns are unknown).
        const missing = this.standIns.has(table)
          ? undefined
          : refs.find((r) => !table.columns.some((x) => x.name === r));
        if (missing !== undefined) throw new ReplayError(`column "${missing}" does not exist`);
        const name: string =
          c.conname ??
          chooseName(
            table.name,
            refs.length === 1 ? (refs[0] ?? null) : null,
            'check',
            this.constraintTaken(table.schema, batch),
          );
        batch.add(name);
        const check: ConstraintModel = {
          name,
          kind: 'check',
          columns: [...refs].sort(),
          expression: deparse(c.raw_expr, true),
          references: null,
          loc,
        };
        table.constraints.push(check);
        if (c.is_no_inherit) this.noInherit.add(check);
        return;
      }
      case 'CONSTR_FOREIGN': {
        const columns = columnsOf(c.fk_attrs);
        const target = this.key(c.pktable);
        const parent = this.table(c.pktable) as TableModel;
        let refColumns = strings(c.pk_attrs);
        if (!refColumns.length) {
          const pk = parent.constraints.find((x) => x.kind === 'primary_key');
          // A table made elsewhere has a primary key nobody here declared: the referenced columns are unknown.
          if (!pk && !this.standIns.has(parent))
            throw new ReplayError(`there is no primary key for referenced table "${target.name}"`);
          refColumns = pk ? [...pk.columns] : [];
        }
        const name: string =
          c.conname ??
          chooseName(table.name, nameAddition(columns), 'fkey', this.constraintTaken(table.schema, batch));
        batch.add(name);
        table.constraints.push({
          name,
          kind: 'foreign_key',
          columns,
          expression: null,
          references: {
            schema: target.schema,
            table: target.name,
            columns: refColumns,
            onDelete: FK_ACTIONS[c.fk_del_action ?? 'a'] ?? 'no action',
            onUpdate: FK_ACTIONS[c.fk_upd_action ?? 'a'] ?? 'no action',
          },
          loc,
        });
        return;
      }
      case 'CONSTR_EXCLUSION': {
        const columns = (c.exclusions ?? []).map(
          (e: PgNode) => e.List?.items?.[0]?.IndexElem?.name ?? 'expr',
        );
        const name: string =
          c.conname ??
          chooseName(table.name, nameAddition(columns), 'excl', this.relationTaken(table.schema));
        table.constraints.push({ name, kind: 'exclude', columns, expression: null, references: null, loc });
        this.indexes.push({
          schema: table.schema,
          name,
          table: table.name,
          columns: columns.map(quoteIdent),
          unique: false,
          method: c.access_method ?? 'gist',
          where: c.where_clause ? deparse(c.where_clause, true) : null,
          constraintBacked: true,
          loc,
        });
        return;
      }
      default:
        return;
    }
  }

  private alterTable(n: PgNode): void {
    if (n.objtype === 'OBJECT_INDEX') {
      this.alterIndex(n);
      return;
    }
    if (n.objtype && n.objtype !== 'OBJECT_TABLE') return;
    const table = this.table(n.relation, Boolean(n.missing_ok));
    if (!table) return;
    const before = new Set(table.constraints);
    const columnsBefore = new Set(table.columns);
    const pending: { c: PgNode; column: string | null }[] = [];
    for (const wrapped of n.cmds ?? []) {
      const cmd = wrapped.AlterTableCmd;
      const column = (name: string) => {
        const col = table.columns.find((x) => x.name === name) ?? this.standInColumn(table, name);
        if (!col) throw new ReplayError(`column "${name}" of relation "${table.name}" does not exist`);
        return col;
      };
      switch (cmd.subtype) {
        case 'AT_AddColumn': {
          const def = cmd.def.ColumnDef;
          if (table.columns.some((x) => x.name === def.colname)) {
            if (cmd.missing_ok) break;
            throw new ReplayError(`column "${def.colname}" of relation "${table.name}" already exists`);
          }
          pending.push(...this.addColumn(table, def).map((c) => ({ c, column: def.colname as string })));
          break;
        }
        case 'AT_DropColumn': {
          if (!table.columns.some((x) => x.name === cmd.name)) {
            if (cmd.missing_ok || this.standIns.has(table)) break;
            column(cmd.name);
          }
          this.dropColumn(table, cmd.name);
          break;
        }
        case 'AT_ColumnDefault':
          column(cmd.name).default = cmd.def ? defaultText(cmd.def, column(cmd.name).type) : null;
          break;
        case 'AT_SetNotNull':
          column(cmd.name).nullable = false;
          break;
        case 'AT_DropNotNull':
          column(cmd.name).nullable = true;
          break;
        case 'AT_AlterColumnType': {
          const col = column(cmd.name);
          col.type = typeNameText(cmd.def.ColumnDef.typeName);
          col.typeLoc = { ...this.stmtLoc };
          break;
        }
        case 'AT_AddIdentity': {
          const col = column(cmd.name);
          const ident = cmd.def?.Constraint;
          col.identity = ident?.generated_when === 'a' ? 'always' : 'by default';
          col.nullable = false;
          break;
        }
        case 'AT_DropIdentity':
          if (table.columns.find((x) => x.name === cmd.name)?.identity || !cmd.missing_ok)
            column(cmd.name).identity = null;
          break;
        case 'AT_SetIdentity': {
          // SET GENERATED ALWAYS | BY DEFAULT (and sequence options, which the model does not hold).
          const col = column(cmd.name);
          if (!col.identity)
            throw new ReplayError(
              `column "${cmd.name}" of relation "${table.name}" is not an identity column`,
            );
          for (const item of (cmd.def?.List?.items ?? []) as PgNode[]) {
            const d = item?.DefElem;
            // The grammar gives the generated_when character as its code: 97 'a' (always), 100 'd' (by default).
            if (d?.defname === 'generated')
              col.identity = d.arg?.Integer?.ival === 97 ? 'always' : 'by default';
          }
          break;
        }
        case 'AT_AddConstraint':
          pending.push({ c: cmd.def.Constraint, column: null });
          break;
        case 'AT_DropConstraint': {
          const c = table.constraints.find((x) => x.name === cmd.name);
          if (!c) {
            if (cmd.missing_ok) break;
            throw new ReplayError(`constraint "${cmd.name}" of relation "${table.name}" does not exist`);
          }
          // Reached from a parent: a check this table declared itself stays.
          if (n.fromParent && this.localChecks.has(c)) break;
          this.dropConstraint(table, c);
          break;
        }
        case 'AT_EnableRowSecurity':
          table.rlsEnabled = true;
          break;
        case 'AT_DisableRowSecurity':
          table.rlsEnabled = false;
          break;
        case 'AT_ForceRowSecurity':
          table.rlsForced = true;
          break;
        case 'AT_NoForceRowSecurity':
          table.rlsForced = false;
          break;
        case 'AT_AttachPartition':
          this.attachPartition(table, this.table(cmd.def.PartitionCmd.name) as TableModel);
          break;
        case 'AT_DetachPartition':
        case 'AT_DetachPartitionFinalize':
          this.detachPartition(table, this.table(cmd.def.PartitionCmd.name) as TableModel);
          break;
        default:
          break;
      }
    }
    this.addConstraints(table, pending);
    // Without ONLY, the change reaches the partitions and inheriting tables as well. (The parse tree leaves
    // out false flags: ONLY shows as a missing `inh`.)
    if (n.relation?.inh !== true) return;
    const added = table.constraints.filter((c) => !before.has(c));
    const addedColumns = table.columns.filter((c) => !columnsBefore.has(c));
    const droppedColumns = [...columnsBefore].filter((c) => !table.columns.includes(c)).map((c) => c.name);
    // On a child, a column it lacks is no error to alter.
    const cmds = ((n.cmds ?? []) as PgNode[])
      .filter((w) => RECURSING_COMMANDS.has(w.AlterTableCmd.subtype))
      .map((w) => ({ AlterTableCmd: { ...w.AlterTableCmd, missing_ok: true } }));
    for (const child of this.childrenOf(table)) {
      for (const col of addedColumns) this.addInheritedColumn(child, col);
      for (const name of droppedColumns) this.dropInheritedColumn(child, name);
      if (cmds.length > 0) {
        this.alterTable({
          relation: { schemaname: child.schema, relname: child.name, inh: true },
          cmds,
          fromParent: true,
        });
      }
      for (const c of added) this.inheritConstraint(table, c, child);
    }
  }

  /**
   * A column added to a parent, on a child and its children: a copy of the parent's (a serial's default names
   * the parent's sequence), or, where the child has the column already, one more parent for it.
   */
  private addInheritedColumn(child: TableModel, col: ColumnModel): void {
    const copy = this.inheritColumn(child, col, false);
    if (copy) for (const grandchild of this.childrenOf(child)) this.addInheritedColumn(grandchild, copy);
  }

  /**
   * `col` of a parent on `child`: a copy (returned), or, where the child has the column already (same type),
   * one more parent for it, NOT NULL if either is; when the child is being created, with the parent's default
   * if it has none yet.
   */
  private inheritColumn(child: TableModel, col: ColumnModel, creating: boolean): ColumnModel | null {
    const existing = child.columns.find((x) => x.name === col.name);
    if (existing) {
      if (existing.type !== col.type)
        throw new ReplayError(`inherited column "${col.name}" has a type conflict`);
      existing.nullable &&= col.nullable;
      if (creating) existing.default ??= col.default;
      const origin = this.columnOrigin.get(existing) ?? { local: true, parents: 0 };
      this.columnOrigin.set(existing, { ...origin, parents: origin.parents + 1 });
      return null;
    }
    const copy: ColumnModel = {
      ...col,
      identity: null,
      comment: null,
      loc: child.loc ?? { ...this.stmtLoc },
    };
    child.columns.push(copy);
    this.columnOrigin.set(copy, { local: false, parents: 1 });
    return copy;
  }

  /**
   * A column dropped from a parent, on a child: gone with its last parent unless the child declares it itself;
   * then its own children lose it the same way.
   */
  private dropInheritedColumn(child: TableModel, name: string): void {
    const col = child.columns.find((x) => x.name === name);
    if (!col) return;
    const origin = this.columnOrigin.get(col) ?? { local: false, parents: 1 };
    if (origin.local || origin.parents > 1) {
      this.columnOrigin.set(col, { ...origin, parents: Math.max(0, origin.parents - 1) });
      return;
    }
    this.dropColumn(child, name);
    for (const grandchild of this.childrenOf(child)) this.dropInheritedColumn(grandchild, name);
  }

  private childrenOf(table: TableModel): TableModel[] {
    return [...(this.partitions.get(table) ?? []), ...(this.inheritors.get(table) ?? [])];
  }

  /**
   * A constraint added to a parent, on one of its children and theirs: a CHECK under its own name; on a
   * partition also a foreign key (same name) and a key (with an index named for the partition).
   */
  private inheritConstraint(parent: TableModel, c: ConstraintModel, child: TableModel): void {
    const partition = (this.partitions.get(parent) ?? []).includes(child);
    if (this.noInherit.has(c)) return;
    if (!partition && c.kind === 'primary_key') {
      // A primary key stays with its table, but makes the inheriting tables' key columns NOT NULL.
      for (const col of child.columns) if (c.columns.includes(col.name)) col.nullable = false;
      for (const grandchild of this.childrenOf(child)) this.inheritConstraint(child, c, grandchild);
      return;
    }
    let copy: ConstraintModel | undefined;
    if (c.kind === 'check' || (partition && c.kind === 'foreign_key')) {
      if (child.constraints.some((x) => x.name === c.name)) return;
      copy = { ...structuredClone(c), loc: child.loc ?? { ...this.stmtLoc } };
      child.constraints.push(copy);
    } else if (partition && (c.kind === 'primary_key' || c.kind === 'unique')) {
      // The key's index, attached or built on the partition and below, tracked so it goes with the parent's.
      const index = this.indexes.find((i) => i.schema === parent.schema && i.name === c.name);
      if (index) this.cloneIndexToPartition(parent, index, child);
      return;
    }
    if (!copy) return;
    for (const grandchild of this.childrenOf(child)) this.inheritConstraint(child, copy, grandchild);
  }

  /** ATTACH PARTITION: the table takes the parent's indexes and keys it lacks, and its foreign keys. */
  private attachPartition(parent: TableModel, partition: TableModel): void {
    append(this.partitions, parent, partition);
    for (const index of this.indexes.filter((i) => i.schema === parent.schema && i.table === parent.name)) {
      this.cloneIndexToPartition(parent, index, partition);
    }
    this.inheritForeignKeys(parent, partition);
  }

  /** The parent's foreign keys on a partition, unless it has an equal one of its own (which is attached). */
  private inheritForeignKeys(parent: TableModel, partition: TableModel): void {
    const same = (a: ConstraintModel, b: ConstraintModel) =>
      a.columns.join('\0') === b.columns.join('\0') &&
      JSON.stringify(a.references) === JSON.stringify(b.references);
    for (const fk of parent.constraints.filter((c) => c.kind === 'foreign_key')) {
      const own = partition.constraints.filter((c) => c.kind === 'foreign_key');
      if (own.some((c) => c.name === fk.name || same(c, fk))) continue;
      partition.constraints.push(structuredClone(fk));
    }
  }

  /** ALTER INDEX parent ATTACH PARTITION child (after CREATE INDEX ON ONLY): the child's goes with the parent's. */
  private alterIndex(n: PgNode): void {
    const find = (rv: PgNode) => {
      const { schema, name } = this.key(rv);
      return this.indexes.find((i) => i.schema === schema && i.name === name);
    };
    const parent = find(n.relation);
    for (const wrapped of (n.cmds ?? []) as PgNode[]) {
      const cmd = wrapped.AlterTableCmd;
      if (cmd?.subtype !== 'AT_AttachPartition' || !parent) continue;
      const child = find(cmd.def.PartitionCmd.name);
      const table = child && this.tables.get(`${child.schema}.${child.table}`);
      if (child && table) append(this.partitionCopies, parent, { table, index: child });
    }
  }

  /** DETACH PARTITION: the partition keeps its indexes and keys, as indexes of its own. */
  private detachPartition(parent: TableModel, partition: TableModel): void {
    this.partitions.set(
      parent,
      (this.partitions.get(parent) ?? []).filter((x) => x !== partition),
    );
    for (const [index, copies] of this.partitionCopies) {
      this.partitionCopies.set(
        index,
        copies.filter((c) => c.table !== partition),
      );
    }
  }

  private dropConstraint(table: TableModel, c: ConstraintModel): void {
    table.constraints = table.constraints.filter((x) => x !== c);
    if (c.kind === 'primary_key' || c.kind === 'unique' || c.kind === 'exclude') {
      const index = this.indexes.find((i) => i.schema === table.schema && i.name === c.name);
      if (index) this.dropIndexAndCopies(table, index);
    }
  }

  /** Drops a column and what Postgres drops with it: constraints and indexes that use it. */
  private dropColumn(table: TableModel, name: string): void {
    table.columns = table.columns.filter((x) => x.name !== name);
    for (const c of [...table.constraints]) {
      if (c.columns.includes(name)) this.dropConstraint(table, c);
    }
    this.indexes = this.indexes.filter(
      (i) =>
        !(
          i.schema === table.schema &&
          i.table === table.name &&
          (i.columns.some((col) => col === quoteIdent(name) || exprMentions(col, name)) ||
            exprMentions(i.where, name))
        ),
    );
    // Foreign keys of other tables that point at the dropped column go too (Postgres needs CASCADE for them).
    for (const other of this.tables.values()) {
      for (const c of [...other.constraints]) {
        const r = c.references;
        if (r && r.schema === table.schema && r.table === table.name && r.columns.includes(name)) {
          this.dropConstraint(other, c);
        }
      }
    }
  }

  private rename(n: PgNode): void {
    switch (n.renameType) {
      case 'OBJECT_TABLE': {
        const table = this.table(n.relation, Boolean(n.missing_ok));
        if (!table) return;
        const oldName = table.name;
        this.tables.delete(`${table.schema}.${oldName}`);
        this.wentAway(table, table.schema, oldName, `${table.schema}.${n.newname}`);
        table.name = n.newname;
        this.tables.set(`${table.schema}.${table.name}`, table);
        this.views.relationMoved({ schema: table.schema, name: oldName }, table);
        const same = (x: { schema: string; table: string }) =>
          x.schema === table.schema && x.table === oldName;
        for (const i of this.indexes) if (same(i)) i.table = n.newname;
        for (const p of this.policies) if (same(p)) p.table = n.newname;
        for (const t of this.triggers) if (same(t)) t.table = n.newname;
        for (const other of this.tables.values()) {
          for (const c of other.constraints)
            if (c.references && same(c.references)) c.references.table = n.newname;
        }
        return;
      }
      case 'OBJECT_COLUMN': {
        const table = this.table(n.relation, Boolean(n.missing_ok));
        if (!table) return;
        const col = table.columns.find((x) => x.name === n.subname) ?? this.standInColumn(table, n.subname);
        if (!col) throw new ReplayError(`column "${n.subname}" of relation "${table.name}" does not exist`);
        if (table.columns.some((x) => x.name === n.newname)) {
          throw new ReplayError(`column "${n.newname}" of relation "${table.name}" already exists`);
        }
        this.renameColumn(table, n.subname, n.newname);
        // Without ONLY, the inherited column is renamed in the partitions and inheriting tables too.
        if (n.relation?.inh === true) {
          const reach = (t: TableModel) => {
            for (const child of this.childrenOf(t)) {
              if (!child.columns.some((x) => x.name === n.subname)) continue;
              this.renameColumn(child, n.subname, n.newname);
              reach(child);
            }
          };
          reach(table);
        }
        return;
      }
      case 'OBJECT_TABCONSTRAINT': {
        const table = this.table(n.relation, Boolean(n.missing_ok));
        const c = table?.constraints.find((x) => x.name === n.subname);
        if (!table || !c) throw new ReplayError(`constraint "${n.subname}" does not exist`);
        const idx = this.indexes.find(
          (i) => i.schema === table.schema && i.name === c.name && i.constraintBacked,
        );
        if (idx) idx.name = n.newname;
        c.name = n.newname;
        // An inherited CHECK keeps its parent's name in every child.
        if (c.kind === 'check' && n.relation?.inh === true) {
          const reach = (t: TableModel) => {
            for (const child of this.childrenOf(t)) {
              const own = child.constraints.find((x) => x.kind === 'check' && x.name === n.subname);
              if (!own) continue;
              own.name = n.newname;
              reach(child);
            }
          };
          reach(table);
        }
        return;
      }
      case 'OBJECT_INDEX': {
        const { schema, name } = this.key(n.relation);
        const idx = this.indexes.find((i) => i.schema === schema && i.name === name);
        if (!idx) {
          if (n.missing_ok) return;
          throw new ReplayError(`index "${name}" does not exist`);
        }
        const backing = this.tables
          .get(`${schema}.${idx.table}`)
          ?.constraints.find((c) => c.name === idx.name);
        if (backing && idx.constraintBacked) backing.name = n.newname;
        idx.name = n.newname;
        return;
      }
      case 'OBJECT_POLICY': {
        const { schema, name } = this.key(n.relation);
        const p = this.policies.find((x) => x.schema === schema && x.table === name && x.name === n.subname);
        if (!p) throw new ReplayError(`policy "${n.subname}" for table "${name}" does not exist`);
        p.name = n.newname;
        return;
      }
      case 'OBJECT_TRIGGER': {
        const { schema, name } = this.key(n.relation);
        const t = this.triggers.find((x) => x.schema === schema && x.table === name && x.name === n.subname);
        if (!t) throw new ReplayError(`trigger "${n.subname}" for table "${name}" does not exist`);
        t.name = n.newname;
        return;
      }
      case 'OBJECT_FUNCTION': {
        const entry = this.findFunction(n.object?.ObjectWithArgs);
        if (entry) {
          entry.model.name = n.newname;
          entry.signature = `${entry.model.schema}.${n.newname}(${identityTypes(entry.model.identityArgs)})`;
        }
        return;
      }
      default:
        return;
    }
  }

  private renameColumn(table: TableModel, from: string, to: string): void {
    for (const col of table.columns) {
      if (col.name === from) col.name = to;
      col.default = renameInExpr(col.default, from, to);
      col.generated = renameInExpr(col.generated, from, to);
    }
    for (const c of table.constraints) {
      c.columns = c.columns.map((x) => (x === from ? to : x));
      if (c.kind === 'check') c.columns.sort();
      c.expression = renameInExpr(c.expression, from, to);
    }
    for (const i of this.indexes) {
      if (i.schema !== table.schema || i.table !== table.name) continue;
      i.columns = i.columns.map((x) => renameInIndexColumn(x, from, to));
      i.where = renameInExpr(i.where, from, to);
    }
    for (const p of this.policies) {
      if (p.schema !== table.schema || p.table !== table.name) continue;
      p.using = renameInExpr(p.using, from, to);
      p.withCheck = renameInExpr(p.withCheck, from, to);
    }
    for (const other of this.tables.values()) {
      for (const c of other.constraints) {
        const r = c.references;
        if (r && r.schema === table.schema && r.table === table.name)
          r.columns = r.columns.map((x) => (x === from ? to : x));
      }
    }
  }

  private drop(n: PgNode): void {
    const cascade = n.behavior === 'DROP_CASCADE';
    // Tables dropped by the same statement may inherit from each other without CASCADE.
    const together = new Set<TableModel | undefined>(
      n.removeType === 'OBJECT_TABLE'
        ? ((n.objects ?? []) as PgNode[]).map((o) => this.tables.get(this.key(tableRef(o)).key))
        : [],
    );
    for (const obj of n.objects ?? []) {
      switch (n.removeType) {
        case 'OBJECT_TABLE': {
          const ref = tableRef(obj);
          const { key } = this.key(ref);
          // Gone already: dropped by this statement along with a table it inherits from.
          if (!this.tables.has(key) && [...together].some((t) => t && `${t.schema}.${t.name}` === key)) break;
          const table = this.table(ref, Boolean(n.missing_ok));
          if (table) this.dropTable(table, cascade, together);
          break;
        }
        case 'OBJECT_INDEX': {
          const names = strings(obj.List?.items);
          const schema = names.length > 1 ? (names[names.length - 2] ?? 'public') : 'public';
          const name = names[names.length - 1];
          const idx = this.indexes.find((i) => i.schema === schema && i.name === name);
          if (!idx) {
            if (n.missing_ok) break;
            throw new ReplayError(`index "${name}" does not exist`);
          }
          if (idx.constraintBacked) {
            throw new ReplayError(
              `cannot drop index ${name} because constraint ${name} on table ${idx.table} requires it`,
            );
          }
          const parentIndex = [...this.partitionCopies].find(([, copies]) =>
            copies.some((c) => c.index === idx),
          )?.[0];
          if (parentIndex) {
            throw new ReplayError(`cannot drop index ${name} because index ${parentIndex.name} requires it`);
          }
          const owner = this.tables.get(`${idx.schema}.${idx.table}`);
          if (owner) this.dropIndexAndCopies(owner, idx);
          else this.indexes = this.indexes.filter((i) => i !== idx);
          break;
        }
        case 'OBJECT_POLICY':
        case 'OBJECT_TRIGGER': {
          const names = strings(obj.List?.items);
          const name = names[names.length - 1];
          const tableNames = names.slice(0, -1);
          const schema = tableNames.length > 1 ? (tableNames[0] ?? 'public') : 'public';
          const tableName = tableNames[tableNames.length - 1];
          const match = (x: { schema: string; table: string; name: string }) =>
            x.schema === schema && x.table === tableName && x.name === name;
          const list: { schema: string; table: string; name: string }[] =
            n.removeType === 'OBJECT_POLICY' ? this.policies : this.triggers;
          if (!list.some(match)) {
            if (n.missing_ok) break;
            if (!this.tables.has(`${schema}.${tableName}`)) {
              throw new ReplayError(`relation "${tableName}" does not exist`);
            }
            throw new ReplayError(
              `${n.removeType === 'OBJECT_POLICY' ? 'policy' : 'trigger'} "${name}" for table "${tableName}" does not exist`,
            );
          }
          if (n.removeType === 'OBJECT_POLICY') this.policies = this.policies.filter((x) => !match(x));
          else this.triggers = this.triggers.filter((x) => !match(x));
          break;
        }
        case 'OBJECT_FUNCTION':
        case 'OBJECT_PROCEDURE':
        case 'OBJECT_ROUTINE': {
          const entry = this.findFunction(obj.ObjectWithArgs);
          if (!entry) {
            if (n.missing_ok) break;
            throw new ReplayError(
              `function ${qualifiedName(strings(obj.ObjectWithArgs?.objname))} does not exist`,
            );
          }
          this.functions = this.functions.filter((f) => f !== entry);
          const fq = `${entry.model.schema}.${entry.model.name}`;
          if (cascade) this.triggers = this.triggers.filter((t) => t.function !== fq);
          break;
        }
        default:
          break;
      }
    }
  }

  private dropTable(table: TableModel, cascade: boolean, together = new Set<TableModel | undefined>()): void {
    // A partitioned table goes with its partitions; inheriting tables go only with CASCADE (or in the same
    // statement); a child leaves its parent's list.
    const inheritors = this.inheritors.get(table) ?? [];
    if (inheritors.some((t) => !together.has(t)) && !cascade) {
      throw new ReplayError(
        `cannot drop table ${table.name} because table ${inheritors.find((t) => !together.has(t))?.name} inherits from it (use CASCADE)`,
      );
    }
    for (const child of inheritors) {
      if (this.tables.get(`${child.schema}.${child.name}`) === child)
        this.dropTable(child, cascade, together);
    }
    for (const partition of this.partitions.get(table) ?? []) {
      if (this.tables.get(`${partition.schema}.${partition.name}`) === partition)
        this.dropTable(partition, cascade);
    }
    this.partitions.delete(table);
    this.inheritors.delete(table);
    for (const children of [this.partitions, this.inheritors]) {
      for (const [parent, list] of children) {
        if (list.includes(table))
          children.set(
            parent,
            list.filter((x) => x !== table),
          );
      }
    }
    this.tables.delete(`${table.schema}.${table.name}`);
    this.wentAway(table, table.schema, table.name, null);
    // The views over it go with it under CASCADE (without, Postgres refuses; not reported here).
    if (cascade) this.views.dropDependents(table.schema, table.name);
    const same = (x: { schema: string; table: string }) =>
      x.schema === table.schema && x.table === table.name;
    this.indexes = this.indexes.filter((x) => !same(x));
    this.policies = this.policies.filter((x) => !same(x));
    this.triggers = this.triggers.filter((x) => !same(x));
    for (const other of this.tables.values()) {
      const fks = other.constraints.filter((c) => c.references && same(c.references));
      if (fks.length && !cascade) {
        throw new ReplayError(
          `cannot drop table ${table.name} because constraint ${fks[0]?.name} on table ${other.name} depends on it`,
        );
      }
      for (const c of fks) this.dropConstraint(other, c);
    }
  }

  // ---- indexes ------------------------------------------------------------------------------------------

  private createIndex(n: PgNode): void {
    const table = this.table(n.relation);
    if (!table) return;
    const elems: PgNode[] = (n.indexParams ?? []).map((p: PgNode) => p.IndexElem);
    const columns = elems.map((e) => {
      const base = e.name ? quoteIdent(e.name) : deparseIndexExpr(e.expr);
      const desc = e.ordering === 'SORTBY_DESC';
      const nullsFirst =
        e.nulls_ordering === 'SORTBY_NULLS_FIRST'
          ? true
          : e.nulls_ordering === 'SORTBY_NULLS_LAST'
            ? false
            : desc;
      return `${base}${desc ? ' DESC' : ''}${desc && !nullsFirst ? ' NULLS LAST' : !desc && nullsFirst ? ' NULLS FIRST' : ''}`;
    });
    const schema = table.schema;
    let name: string | undefined = n.idxname;
    if (name && this.relationTaken(schema)(name)) {
      if (n.if_not_exists) return;
      throw new ReplayError(`relation "${name}" already exists`);
    }
    const parts = elems.map((e) => e.indexcolname ?? e.name ?? expressionColumnName(e.expr));
    // CREATE UNIQUE INDEX makes an index, not a constraint: its generated name ends in _idx like any other.
    name ??= chooseName(
      table.name,
      nameAddition(parts),
      n.primary ? 'pkey' : 'idx',
      this.relationTaken(schema),
    );
    const index: IndexModel = {
      schema,
      name,
      table: table.name,
      columns,
      unique: Boolean(n.unique || n.primary),
      method: n.accessMethod ?? 'btree',
      where: n.whereClause ? deparse(n.whereClause, true) : null,
      constraintBacked: false,
      loc: { ...this.stmtLoc },
    };
    this.indexes.push(index);
    this.indexNameParts.set(index, parts);
    // CREATE INDEX ON ONLY (no `inh` in the tree) makes the parent's index alone; partitions' are attached later.
    if (n.relation?.inh === true) {
      for (const partition of this.partitions.get(table) ?? [])
        this.cloneIndexToPartition(table, index, partition);
    }
  }

  // ---- policies -----------------------------------------------------------------------------------------

  private createPolicy(n: PgNode): void {
    const table = this.table(n.table);
    if (!table) return;
    if (
      this.policies.some(
        (p) => p.schema === table.schema && p.table === table.name && p.name === n.policy_name,
      )
    ) {
      throw new ReplayError(`policy "${n.policy_name}" for table "${table.name}" already exists`);
    }
    this.policies.push({
      schema: table.schema,
      table: table.name,
      name: n.policy_name,
      command: POLICY_COMMANDS[n.cmd_name ?? 'all'] ?? 'all',
      permissive: Boolean(n.permissive),
      roles: policyRoles(n.roles),
      using: n.qual ? deparse(n.qual, true) : null,
      withCheck: n.with_check ? deparse(n.with_check, true) : null,
      loc: { ...this.stmtLoc },
    });
  }

  private alterPolicy(n: PgNode): void {
    const table = this.table(n.table);
    if (!table) return;
    const p = this.policies.find(
      (x) => x.schema === table.schema && x.table === table.name && x.name === n.policy_name,
    );
    if (!p) throw new ReplayError(`policy "${n.policy_name}" for table "${table.name}" does not exist`);
    if (n.roles) p.roles = policyRoles(n.roles);
    if (n.qual) p.using = deparse(n.qual, true);
    if (n.with_check) p.withCheck = deparse(n.with_check, true);
  }

  // ---- functions and triggers ---------------------------------------------------------------------------

  private findFunction(owa: PgNode): FunctionEntry | undefined {
    if (!owa) return undefined;
    const names = strings(owa.objname);
    const name = names[names.length - 1];
    const schema = names.length > 1 ? (names[names.length - 2] ?? 'public') : 'public';
    if (owa.args_unspecified) {
      return this.functions.find((f) => f.model.schema === schema && f.model.name === name);
    }
    const types = (owa.objargs ?? []).map((t: PgNode) => typeNameText(t.TypeName ?? t, false)).join(', ');
    const wanted = `${schema}.${name}(${types})`;
    return this.functions.find((f) => f.signature === wanted || f.withOut === wanted);
  }

  /** ALTER FUNCTION | PROCEDURE | ROUTINE …: SECURITY DEFINER/INVOKER and SET/RESET search_path. */
  private alterFunction(n: PgNode): void {
    const entry = this.findFunction(n.func);
    if (!entry) {
      throw new ReplayError(
        `function ${strings(n.func?.objname).join('.')} does not exist at this point of the replay`,
      );
    }
    for (const a of (n.actions ?? []) as PgNode[]) {
      const d = a?.DefElem;
      if (d?.defname === 'security') entry.model.securityDefiner = Boolean(d.arg?.Boolean?.boolval);
      else if (d?.defname === 'set') {
        const v = d.arg?.VariableSetStmt;
        if (v?.kind === 'VAR_RESET_ALL' || v?.name === 'search_path')
          entry.model.searchPath = searchPathOf(v);
      }
    }
  }

  private createFunction(n: PgNode): void {
    const names = strings(n.funcname);
    const name = names[names.length - 1] ?? '';
    const schema = names.length > 1 ? (names[names.length - 2] ?? 'public') : 'public';
    const params: PgNode[] = (n.parameters ?? []).map((p: PgNode) => p.FunctionParameter);
    const inputs = params.filter((p) => !['FUNC_PARAM_OUT', 'FUNC_PARAM_TABLE'].includes(p.mode));
    // As pg_get_function_identity_arguments() prints them: OUT parameters too (TABLE columns not), and for a
    // procedure every mode spelled out, IN included.
    const identityArgs = params
      .filter((p) => p.mode !== 'FUNC_PARAM_TABLE')
      .map((p) => {
        const mode =
          p.mode === 'FUNC_PARAM_INOUT'
            ? 'INOUT '
            : p.mode === 'FUNC_PARAM_VARIADIC'
              ? 'VARIADIC '
              : p.mode === 'FUNC_PARAM_OUT'
                ? 'OUT '
                : n.is_procedure
                  ? 'IN '
                  : '';
        return `${mode}${p.name ? `${quoteIdent(p.name)} ` : ''}${typeNameText(p.argType, false)}`;
      })
      .join(', ');
    const tableCols = params.filter((p) => p.mode === 'FUNC_PARAM_TABLE');
    const outs = params.filter((p) => p.mode === 'FUNC_PARAM_OUT' || p.mode === 'FUNC_PARAM_INOUT');
    let returns: string;
    if (tableCols.length) {
      returns = `TABLE(${tableCols.map((p) => `${quoteIdent(p.name)} ${typeNameText(p.argType, false)}`).join(', ')})`;
    } else if (n.returnType) {
      returns = `${n.returnType.setof ? 'SETOF ' : ''}${typeNameText(n.returnType, false)}`;
    } else if (n.is_procedure) {
      returns = '';
    } else if (outs.length === 1) {
      returns = typeNameText(outs[0].argType, false);
    } else {
      returns = 'record';
    }
    let language = 'sql';
    let securityDefiner = false;
    let searchPath: string | null = null;
    let source: string | null = null;
    for (const o of n.options ?? []) {
      const d = o.DefElem;
      if (d.defname === 'as') {
        const first = d.arg?.List?.items?.[0]?.String?.sval;
        if (typeof first === 'string') source = first;
      } else if (d.defname === 'language') language = String(d.arg?.String?.sval ?? 'sql').toLowerCase();
      else if (d.defname === 'security') securityDefiner = Boolean(d.arg?.Boolean?.boolval);
      else if (d.defname === 'set' && d.arg?.VariableSetStmt?.name === 'search_path') {
        searchPath = searchPathOf(d.arg.VariableSetStmt);
      }
    }
    const model: FunctionModel = {
      schema,
      name,
      identityArgs,
      returns,
      language,
      securityDefiner,
      searchPath,
      // As pg_proc.prosrc holds it; a BEGIN ATOMIC body is kept as a tree there, and not here.
      body: (language === 'sql' || language === 'plpgsql') && source ? source : null,
      standardBody: n.sql_body ? this.stmtText : null,
      comment: null,
      loc: { ...this.stmtLoc },
    };
    const signature = `${schema}.${name}(${inputs.map((p) => typeNameText(p.argType, false)).join(', ')})`;
    const existing = this.functions.find((f) => f.signature === signature);
    if (existing) {
      if (!n.replace) throw new ReplayError(`function "${name}" already exists with same argument types`);
      // CREATE OR REPLACE keeps the function's comment.
      existing.model = { ...model, comment: existing.model.comment ?? null };
      return;
    }
    const outParams = params.filter((p) => p.mode === 'FUNC_PARAM_OUT');
    const withOut =
      n.is_procedure && outParams.length > 0
        ? `${schema}.${name}(${params
            .filter((p) => p.mode !== 'FUNC_PARAM_TABLE')
            .map((p) => typeNameText(p.argType, false))
            .join(', ')})`
        : undefined;
    this.functions.push({ model, signature, ...(withOut ? { withOut } : {}) });
  }

  private createTrigger(n: PgNode): void {
    const table = this.table(n.relation);
    if (!table) return;
    const existing = this.triggers.findIndex(
      (t) => t.schema === table.schema && t.table === table.name && t.name === n.trigname,
    );
    if (existing >= 0) {
      if (!n.replace)
        throw new ReplayError(`trigger "${n.trigname}" for relation "${table.name}" already exists`);
      this.triggers.splice(existing, 1);
    }
    const timingBits: number = n.timing ?? 0;
    const eventBits: number = n.events ?? 0;
    const events = [
      eventBits & 4 ? 'insert' : null,
      eventBits & 8 ? 'delete' : null,
      eventBits & 16 ? 'update' : null,
      eventBits & 32 ? 'truncate' : null,
    ]
      .filter((e): e is string => e !== null)
      .sort();
    const fn = strings(n.funcname);
    const fnName = fn[fn.length - 1] ?? '';
    const fnSchema = fn.length > 1 ? (fn[fn.length - 2] ?? 'public') : 'public';
    this.triggers.push({
      schema: table.schema,
      table: table.name,
      name: n.trigname,
      timing: timingBits & 2 ? 'before' : timingBits & 64 ? 'instead of' : 'after',
      events,
      level: n.row ? 'row' : 'statement',
      function: `${fnSchema}.${fnName}`,
      loc: { ...this.stmtLoc },
    });
  }

  private comment(n: PgNode): void {
    const names = strings(n.object?.List?.items);
    const text: string | null = n.comment ?? null;
    if (n.objtype === 'OBJECT_TABLE') {
      const rv = {
        relname: names[names.length - 1],
        schemaname: names.length > 1 ? names[names.length - 2] : undefined,
      };
      const table = this.table(rv);
      if (table) table.comment = text;
    } else if (n.objtype === 'OBJECT_COLUMN') {
      const col = names[names.length - 1];
      const rest = names.slice(0, -1);
      const rv = {
        relname: rest[rest.length - 1],
        schemaname: rest.length > 1 ? rest[rest.length - 2] : undefined,
      };
      const table = this.table(rv);
      const c = table && (table.columns.find((x) => x.name === col) ?? this.standInColumn(table, col ?? ''));
      if (table && !c) throw new ReplayError(`column "${col}" of relation "${table.name}" does not exist`);
      if (c) c.comment = text;
    } else if (
      n.objtype === 'OBJECT_FUNCTION' ||
      n.objtype === 'OBJECT_PROCEDURE' ||
      n.objtype === 'OBJECT_ROUTINE'
    ) {
      const entry = this.findFunction(n.object?.ObjectWithArgs);
      if (entry) entry.model.comment = text;
    }
  }
}

class ReplayError extends Error {}

/** A table as CREATE TABLE (or a stand-in) begins it: no columns, no constraints, RLS off. */
function emptyTable(schema: string, name: string, loc: ModelLocation): TableModel {
  return {
    schema,
    name,
    columns: [],
    constraints: [],
    rlsEnabled: false,
    rlsForced: false,
    comment: null,
    loc,
  };
}

/** A default's canonical text; `DEFAULT NULL` is no default at all (Postgres does not store it). */
/**
 * A column default as the database reports it. A bare string on an interval or boolean column is stored as a
 * value of that type, so it takes the type's printed spelling (`default '90 minutes'` is `'01:30:00'::interval`
 * in the catalog, `default 'no'` is `false`).
 */
function defaultText(expr: PgNode, columnType: string): string | null {
  let e = expr;
  while (e?.TypeCast) e = e.TypeCast.arg;
  if (e?.A_Const?.isnull) return null;
  if (expr?.A_Const?.sval !== undefined) {
    const typed = typedStringLiteral(String(expr.A_Const.sval.sval ?? ''), columnType);
    if (typed !== null) return typed;
  }
  return deparse(expr, true);
}

function exprMentions(text: string | null, column: string): boolean {
  if (text === null) return false;
  try {
    return referencedColumns(parseExpression(text)).includes(column);
  } catch {
    return false;
  }
}

function policyRoles(roles: PgNode[] | undefined): string[] {
  if (!roles?.length) return ['public'];
  return roles
    .map((r: PgNode) => {
      const spec = r.RoleSpec;
      switch (spec?.roletype) {
        case 'ROLESPEC_PUBLIC':
          return 'public';
        case 'ROLESPEC_CURRENT_USER':
        case 'ROLESPEC_CURRENT_ROLE':
          return 'current_user';
        case 'ROLESPEC_SESSION_USER':
          return 'session_user';
        default:
          return String(spec?.rolename ?? '');
      }
    })
    .sort();
}

/** One element of a `SET search_path` value as Postgres stores it in proconfig (quote_identifier). */
export function searchPathElement(value: string): string {
  return quoteIdent(value);
}

/**
 * The search_path a function's SET clause pins, as pg_proc.proconfig shows it; null for RESET, and for SET …
 * FROM CURRENT, whose value is the session's when the statement ran, which a static replay cannot know.
 */
function searchPathOf(v: PgNode): string | null {
  return v?.kind === 'VAR_SET_VALUE'
    ? (v.args ?? []).map((a: PgNode) => searchPathElement(a.A_Const?.sval?.sval ?? '')).join(', ')
    : null;
}

/** The argument types of an identity-argument list (`p_year integer, p_x text` → `integer, text`). */
function identityTypes(identityArgs: string): string {
  if (!identityArgs.trim()) return '';
  return identityArgs
    .split(/,\s*(?![^()]*\))/)
    .filter((a) => !/^OUT\s/.test(a.trim()))
    .map((a) => {
      const words = a
        .trim()
        .replace(/^(INOUT|VARIADIC|IN)\s+/, '')
        .split(/\s+/);
      return words.length > 1 && !/^(character|double|timestamp|time|bit)$/.test(words[0] ?? '')
        ? words.slice(1).join(' ')
        : words.join(' ');
    })
    .join(', ');
}

/**
 * Replays SQL files in order onto `base` (or an empty model). A file that does not parse is one problem with
 * its position and adds nothing; the other files still count. A statement Postgres would reject (ALTER of a
 * missing table, a duplicate policy) is a problem at that statement and is skipped.
 */
export async function replaySql(inputs: ReplayInput[], base?: SchemaModel): Promise<ReplayResult> {
  await loadSqlParser();
  const r = new Replayer(base);
  // A long history is replayed in slices, yielding between them, so that work running beside it gets its turn:
  // within `dbcanon check`, the code scanner reads its SQL (filling the parser memo the replay then draws on)
  // and hands its TypeScript files to its worker early instead of after the whole replay.
  let slice = performance.now();
  for (const input of inputs) {
    r.replayFile(input);
    if (performance.now() - slice > 20) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }
  return { model: r.model(), problems: r.problems };
}

export interface ReplayMigrationsResult extends ReplayResult {
  /** Every file replayed (versioned, then repeatable), relative to the root, in the order applied. */
  files: string[];
  /** The versioned migrations in order, with their names as node-pg-migrate records them (no `.sql`). */
  versioned: { file: string; name: string }[];
  /** The starting schema the replay began from; `model` holds its objects too (see withoutPlatform). */
  starting: LoadedStartingSchema;
  /** Files of the migrations dirs the runner would refuse by name; left out of the replay. */
  misnamed: MisnamedMigration[];
}

/**
 * Replays a project: from its starting schema (config "startingSchema"), the Up sections of the versioned migrations in the order the runner applies them, then
 * every repeatable directory (schema/, policies/) in name order, as `dbcanon migrate up` applies them.
 */
export async function replayMigrations(
  root: string,
  config: DbcanonConfig,
  texts?: FileTexts,
): Promise<ReplayMigrationsResult> {
  // The runner's own listing and Up parts (src/migrate/history.ts), so the static replay applies exactly what the
  // project's migration runner would, in its order.
  const misnamed: MisnamedMigration[] = [];
  const [migrations, repeatables, starting] = await Promise.all([
    listMigrationFiles(root, config, texts, misnamed),
    listRepeatableFiles(root, config, texts),
    loadStartingSchema(root, config),
  ]);
  const inputs: ReplayInput[] = [
    ...migrations.map((m) => {
      const { sql, line } = m.parts.up;
      return { file: m.file, sql, line };
    }),
    ...repeatables.map((r) => ({ file: r.file, sql: r.text })),
  ];
  const result = await replaySql(inputs, starting.model);
  return {
    model: result.model,
    // A project's own starting file is the project's SQL: what it gets wrong is reported like a migration's.
    problems: [...starting.problems, ...result.problems],
    files: inputs.map((i) => i.file),
    versioned: migrations.map((m) => ({ file: m.file, name: m.name })),
    starting,
    misnamed,
  };
}

/** The canonical form of expression text from any source; re-exported for producers that read text. */
export { normalizeExpr };
