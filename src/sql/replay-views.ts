/**
 * Views and materialized views in the static replay: CREATE [OR REPLACE] VIEW, CREATE MATERIALIZED VIEW,
 * DROP VIEW / MATERIALIZED VIEW, ALTER VIEW (RENAME, RENAME COLUMN, SET SCHEMA, SET/RESET options), and the
 * statements on a view that the table handlers would reject as "relation does not exist" (ALTER TABLE on a view,
 * indexes on a materialized view, INSTEAD OF triggers, comments). The result has the shape the live catalog gives
 * (ViewModel), with the column names where the select list tells them.
 */
import type { ModelLocation, ViewModel } from '../model/schema-model.js';
import { securityInvoker } from '../model/view-options.js';
import type { PgNode } from './parser.js';

/** What the views need from the replay around them. */
export interface ViewContext {
  /** Whether a table of that name exists (a view may not take its name). */
  tableExists(schema: string, name: string): boolean;
  /** Where the current statement is. */
  loc(): ModelLocation;
  /** Throws the replay's error for a statement Postgres would reject. */
  fail(message: string): never;
}

interface ViewEntry {
  model: ViewModel;
  /** The relations its query reads (`schema.name`): DROP … CASCADE of one of them drops the view. */
  reads: Set<string>;
  /** Its reloptions as Postgres stores them (`security_invoker=true`). */
  options: Map<string, string>;
}

function names(list: PgNode[] | undefined): string[] {
  return (list ?? []).map((n) => n?.String?.sval ?? '');
}

const key = (schema: string, name: string) => `${schema}.${name}`;

function relation(rv: PgNode): { schema: string; name: string } {
  return { schema: rv?.schemaname ?? 'public', name: rv?.relname ?? '' };
}

/** A DROP object's name parts (`[schema, name]` or `[name]`) as schema and name. */
function dropped(obj: PgNode): { schema: string; name: string } {
  const parts = names(obj?.List?.items);
  return {
    schema: parts.length > 1 ? (parts[parts.length - 2] ?? 'public') : 'public',
    name: parts.at(-1) ?? '',
  };
}

/** A reloption as pg_class.reloptions stores it: `name=value`, `true` when no value was given. */
function optionValue(d: PgNode): string {
  const a = d?.arg;
  if (a === undefined || a === null) return 'true';
  if (a.String) return String(a.String.sval ?? '');
  if (a.Boolean) return a.Boolean.boolval ? 'true' : 'false';
  if (a.Integer) return String(a.Integer.ival ?? 0);
  if (a.Float) return String(a.Float.fval ?? '');
  if (a.TypeName) return names(a.TypeName.names).join('.');
  return '';
}

/**
 * The name Postgres gives an output column it is not given a name for (FigureColname): the column of a
 * reference, the function of a call, `coalesce`, `case`, … and `?column?` for operators and constants. Undefined
 * where this reading does not know Postgres's answer (`*`, rarer expressions): the view then gets no column list.
 */
export function figureColname(node: PgNode): string | undefined {
  const [name, strength] = figure(node);
  return strength < 0 ? undefined : strength === 0 ? '?column?' : name;
}

/** FigureColnameInternal: a name and how sure it is (2 named, 1 a fallback, 0 none, -1 unknown to this code). */
function figure(node: PgNode): [string, number] {
  if (!node || typeof node !== 'object') return ['', -1];
  if (node.ColumnRef) {
    const last = (node.ColumnRef.fields ?? []).at(-1);
    return last?.String ? [last.String.sval, 2] : ['', -1];
  }
  if (node.FuncCall) return [names(node.FuncCall.funcname).at(-1) ?? '', 2];
  if (node.TypeCast) {
    const inner = figure(node.TypeCast.arg);
    if (inner[1] !== 0 && inner[1] !== 1) return inner;
    // A cast of what has no name is named after the type as written (`'x'::text` is `text`, `1::int` `int4`).
    const typeName = names(node.TypeCast.typeName?.names).at(-1);
    return typeName ? [typeName, 1] : inner;
  }
  if (node.CollateClause) return figure(node.CollateClause.arg);
  if (node.CaseExpr) {
    // CASE is named after its ELSE result when that has a name of its own.
    const otherwise: [string, number] = node.CaseExpr.defresult ? figure(node.CaseExpr.defresult) : ['', 0];
    return otherwise[1] === 2 || otherwise[1] < 0 ? otherwise : ['case', 1];
  }
  if (node.A_Expr?.kind === 'AEXPR_NULLIF') return ['nullif', 2];
  if (node.CoalesceExpr) return ['coalesce', 2];
  if (node.MinMaxExpr) return [node.MinMaxExpr.op === 'IS_GREATEST' ? 'greatest' : 'least', 2];
  if (node.A_ArrayExpr) return ['array', 2];
  if (node.RowExpr) return ['row', 2];
  if (node.GroupingFunc) return ['grouping', 2];
  if (node.SQLValueFunction) {
    const op = String(node.SQLValueFunction.op ?? '');
    return [
      op
        .replace(/^SVFOP_/, '')
        .replace(/_N$/, '')
        .toLowerCase(),
      2,
    ];
  }
  if (node.SubLink) {
    const s = node.SubLink;
    if (s.subLinkType === 'EXISTS_SUBLINK') return ['exists', 2];
    if (s.subLinkType === 'ARRAY_SUBLINK') return ['array', 2];
    if (s.subLinkType === 'EXPR_SUBLINK') {
      const first = queryColumns(s.subselect)?.[0];
      return first === undefined ? ['', -1] : [first, 2];
    }
    return ['', 0];
  }
  if (node.A_Const || node.A_Expr || node.BoolExpr || node.NullTest || node.BooleanTest || node.ParamRef) {
    return ['', 0];
  }
  return ['', -1];
}

/** The output column names of a query, or undefined when one of them cannot be told. */
export function queryColumns(select: PgNode): string[] | undefined {
  let s = select?.SelectStmt;
  // A UNION / INTERSECT / EXCEPT takes its names from its first branch.
  while (s?.op && s.op !== 'SETOP_NONE') s = s.larg;
  if (!s) return undefined;
  if (s.valuesLists)
    return (s.valuesLists[0]?.List?.items ?? []).map((_: PgNode, i: number) => `column${i + 1}`);
  const out: string[] = [];
  for (const t of (s.targetList ?? []) as PgNode[]) {
    const r = t?.ResTarget;
    const name = r?.name ?? figureColname(r?.val);
    if (name === undefined) return undefined;
    out.push(name);
  }
  return out;
}

/** The relations a query reads (by `schema.name`; unqualified names in public), CTE names left out. */
function relationsRead(query: PgNode): Set<string> {
  const ctes = new Set<string>();
  const rels: { schema?: string; name: string }[] = [];
  const walk = (n: PgNode): void => {
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    if (!n || typeof n !== 'object') return;
    if (n.CommonTableExpr?.ctename) ctes.add(n.CommonTableExpr.ctename);
    if (n.RangeVar) rels.push({ schema: n.RangeVar.schemaname, name: n.RangeVar.relname });
    for (const v of Object.values(n)) walk(v);
  };
  walk(query);
  return new Set(
    rels
      .filter((r) => r.schema !== undefined || !ctes.has(r.name))
      .map((r) => key(r.schema ?? 'public', r.name)),
  );
}

export class ReplayViews {
  private readonly views = new Map<string, ViewEntry>();

  constructor(private readonly ctx: ViewContext) {}

  /** Starts from views that exist already (a starting schema's). */
  seed(views: ViewModel[]): void {
    for (const model of views) {
      const options = new Map(model.securityInvoker ? [['security_invoker', 'true']] : []);
      this.views.set(key(model.schema, model.name), { model, reads: new Set(), options });
    }
  }

  /** The views, as the catalog shows them. */
  models(): ViewModel[] {
    return [...this.views.values()].map((v) => v.model);
  }

  has(schema: string, name: string): boolean {
    return this.views.has(key(schema, name));
  }

  /**
   * Applies a statement when it is about a view; returns false for every other statement (the table handlers'
   * then). Throws through ctx.fail for what Postgres would reject.
   */
  apply(kind: string, n: PgNode): boolean {
    switch (kind) {
      case 'ViewStmt':
        this.create(relation(n.view), n.query, n.aliases, false, Boolean(n.replace), false, n.options);
        return true;
      case 'CreateTableAsStmt':
        if (n.objtype !== 'OBJECT_MATVIEW') return false;
        this.create(relation(n.into?.rel), n.query, n.into?.colNames, true, false, Boolean(n.if_not_exists));
        return true;
      case 'DropStmt':
        if (n.removeType !== 'OBJECT_VIEW' && n.removeType !== 'OBJECT_MATVIEW') return false;
        this.drop(n);
        return true;
      case 'RenameStmt':
        return this.rename(n);
      case 'AlterTableStmt':
        return this.alter(n);
      case 'AlterObjectSchemaStmt':
        return this.setSchema(n);
      case 'IndexStmt':
      case 'CreateTrigStmt':
        // Indexes on a materialized view and INSTEAD OF triggers on a view: the model keeps those of tables only.
        return this.isView(n.relation);
      case 'CommentStmt':
        return (
          n.objtype === 'OBJECT_VIEW' ||
          n.objtype === 'OBJECT_MATVIEW' ||
          (n.objtype === 'OBJECT_COLUMN' && this.isView(columnOwner(n.object)))
        );
      default:
        return false;
    }
  }

  /** DROP TABLE … CASCADE (or of a view): the views that read the relation go with it, and theirs in turn. */
  dropDependents(schema: string, name: string): void {
    const gone = key(schema, name);
    for (const [k, v] of [...this.views]) {
      if (!v.reads.has(gone) || !this.views.has(k)) continue;
      this.views.delete(k);
      this.dropDependents(v.model.schema, v.model.name);
    }
  }

  /** A table renamed or moved: the views reading it keep reading it (Postgres holds them by OID). */
  relationMoved(from: { schema: string; name: string }, to: { schema: string; name: string }): void {
    const a = key(from.schema, from.name);
    for (const v of this.views.values()) {
      if (v.reads.delete(a)) v.reads.add(key(to.schema, to.name));
    }
  }

  private isView(rv: PgNode): boolean {
    if (!rv?.relname) return false;
    const { schema, name } = relation(rv);
    return this.views.has(key(schema, name)) && !this.ctx.tableExists(schema, name);
  }

  private create(
    target: { schema: string; name: string },
    query: PgNode,
    aliases: PgNode[] | undefined,
    materialized: boolean,
    replace: boolean,
    ifNotExists: boolean,
    options?: PgNode[],
  ): void {
    const k = key(target.schema, target.name);
    const existing = this.views.get(k);
    if (
      this.ctx.tableExists(target.schema, target.name) ||
      (existing && !(replace && !existing.model.materialized))
    ) {
      if (ifNotExists) return;
      if (replace && !existing) this.ctx.fail(`"${target.name}" is not a view`);
      this.ctx.fail(`relation "${target.name}" already exists`);
    }
    const derived = queryColumns(query);
    const given = names(aliases);
    // Names given in the column list take the first columns; the rest keep the names the query gives them.
    const columns = derived
      ? derived.map((c, i) => given[i] ?? c)
      : given.length > 0 && query?.SelectStmt?.targetList?.length === given.length
        ? given
        : undefined;
    const opts = existing && replace ? new Map(existing.options) : new Map<string, string>();
    for (const o of (options ?? []) as PgNode[])
      if (o?.DefElem) opts.set(o.DefElem.defname, optionValue(o.DefElem));
    const model: ViewModel = {
      schema: target.schema,
      name: target.name,
      materialized,
      securityInvoker: false,
      ...(columns ? { columns } : {}),
      loc: this.ctx.loc(),
    };
    const entry: ViewEntry = { model, reads: relationsRead(query), options: opts };
    this.setOptions(entry);
    this.views.set(k, entry);
  }

  private setOptions(v: ViewEntry): void {
    v.model.securityInvoker =
      !v.model.materialized && securityInvoker([...v.options].map(([name, value]) => `${name}=${value}`));
  }

  private drop(n: PgNode): void {
    const materialized = n.removeType === 'OBJECT_MATVIEW';
    for (const obj of (n.objects ?? []) as PgNode[]) {
      const { schema, name } = dropped(obj);
      const v = this.views.get(key(schema, name));
      if (!v || v.model.materialized !== materialized) {
        if (n.missing_ok) continue;
        this.ctx.fail(`${materialized ? 'materialized view' : 'view'} "${name}" does not exist`);
      }
      this.views.delete(key(schema, name));
      // Views over this one go with it under CASCADE; without, Postgres refuses, which is not reported here.
      if (n.behavior === 'DROP_CASCADE') this.dropDependents(schema, name);
    }
  }

  private rename(n: PgNode): boolean {
    const viewKind = n.renameType === 'OBJECT_VIEW' || n.renameType === 'OBJECT_MATVIEW';
    const column = n.renameType === 'OBJECT_COLUMN';
    if (!viewKind && !column && !(n.renameType === 'OBJECT_TABLE' && this.isView(n.relation))) return false;
    if (column && !this.isView(n.relation)) return false;
    const { schema, name } = relation(n.relation);
    const v = this.views.get(key(schema, name));
    if (!v) {
      if (n.missing_ok) return true;
      this.ctx.fail(`relation "${name}" does not exist`);
    }
    if (column) {
      const columns = v.model.columns;
      if (columns) v.model.columns = columns.map((c) => (c === n.subname ? n.newname : c));
      return true;
    }
    if (this.views.has(key(schema, n.newname)) || this.ctx.tableExists(schema, n.newname)) {
      this.ctx.fail(`relation "${n.newname}" already exists`);
    }
    this.views.delete(key(schema, name));
    v.model.name = n.newname;
    this.views.set(key(schema, n.newname), v);
    this.relationMoved({ schema, name }, { schema, name: n.newname });
    return true;
  }

  private alter(n: PgNode): boolean {
    const onView = n.objtype === 'OBJECT_VIEW' || n.objtype === 'OBJECT_MATVIEW';
    if (!onView && !this.isView(n.relation)) return false;
    const { schema, name } = relation(n.relation);
    const v = this.views.get(key(schema, name));
    if (!v) {
      if (n.missing_ok) return true;
      this.ctx.fail(`relation "${name}" does not exist`);
    }
    for (const wrapped of (n.cmds ?? []) as PgNode[]) {
      const cmd = wrapped?.AlterTableCmd;
      const defs: PgNode[] = cmd?.def?.List?.items ?? [];
      if (cmd?.subtype === 'AT_SetRelOptions') {
        for (const d of defs) if (d?.DefElem) v.options.set(d.DefElem.defname, optionValue(d.DefElem));
      } else if (cmd?.subtype === 'AT_ResetRelOptions') {
        for (const d of defs) if (d?.DefElem) v.options.delete(d.DefElem.defname);
      }
    }
    this.setOptions(v);
    return true;
  }

  private setSchema(n: PgNode): boolean {
    const onView = n.objectType === 'OBJECT_VIEW' || n.objectType === 'OBJECT_MATVIEW';
    if (!onView && !(n.objectType === 'OBJECT_TABLE' && this.isView(n.relation))) return false;
    const { schema, name } = relation(n.relation);
    const v = this.views.get(key(schema, name));
    if (!v) {
      if (n.missing_ok) return true;
      this.ctx.fail(`relation "${name}" does not exist`);
    }
    const to: string = n.newschema;
    if (to === schema) return true;
    if (this.views.has(key(to, name)) || this.ctx.tableExists(to, name)) {
      this.ctx.fail(`relation "${name}" already exists in schema "${to}"`);
    }
    this.views.delete(key(schema, name));
    v.model.schema = to;
    this.views.set(key(to, name), v);
    this.relationMoved({ schema, name }, { schema: to, name });
    return true;
  }
}

/** The relation of a COMMENT ON COLUMN object (its name parts without the column). */
function columnOwner(object: PgNode): PgNode {
  const parts = names(object?.List?.items).slice(0, -1);
  return { relname: parts.at(-1), ...(parts.length > 1 ? { schemaname: parts.at(-2) } : {}) };
}
