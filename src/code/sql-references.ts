/**
 * Relations an SQL text reads and writes, found in libpg-query's parse tree (never by pattern-matching the
 * text): every RangeVar, with `write` for the target of INSERT/UPDATE/DELETE/MERGE/TRUNCATE/COPY FROM, `read`
 * inside queries, and `unknown` for DDL that merely names a table (policies, triggers, ALTER TABLE). CTE names
 * are not relations. What the text creates (tables, views, functions) is returned as definitions instead.
 */

import { type PgNode, parseTree, utf8ToIndex } from '../sql/parser.js';
import type { ReferenceKind } from './table-reference.js';

/** The scanner's door to the SQL parser (loaded once per thread; only files that hold SQL pay for it). */
export { loadSqlParser } from '../sql/parser.js';

export interface SqlRelation {
  name: string;
  schema: string | null;
  kind: ReferenceKind;
  /** Index into the SQL text (a string index, not libpg-query's byte offset). */
  index: number;
}

export interface SqlDefinitionFound {
  /** `transition`: a trigger's REFERENCING NEW/OLD TABLE name, a relation inside the trigger's function. */
  kind: 'table' | 'view' | 'function' | 'transition';
  name: string;
  schema: string | null;
  index: number;
  /** For functions: the relations (`schema.name`) and functions the body touches. */
  uses?: string[];
  calls?: string[];
}

export interface SqlFunctionCall {
  name: string;
  schema: string | null;
  index: number;
}

export interface SqlScan {
  relations: SqlRelation[];
  definitions: SqlDefinitionFound[];
  /** Functions called (FuncCall nodes), builtins included: callers filter by what the project defines. */
  calls: SqlFunctionCall[];
}

function collectCteNames(node: PgNode, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectCteNames(n, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const key in node) {
    const v = node[key];
    if (key === 'CommonTableExpr' && typeof v?.ctename === 'string') out.add(v.ctename);
    collectCteNames(v, out);
  }
}

function nameList(list: PgNode): { schema: string | null; name: string } | null {
  if (!Array.isArray(list)) return null;
  const parts = list
    .map((n: PgNode) => n?.String?.sval)
    .filter((s: unknown): s is string => typeof s === 'string');
  if (parts.length === 0) return null;
  const name = parts[parts.length - 1] as string;
  return { schema: parts.length > 1 ? (parts[parts.length - 2] as string) : null, name };
}

interface Walk {
  text: string;
  /** Offset of `text` inside the text positions are reported against. */
  base: number;
  toIndex: (byte: number) => number;
  ctes: Set<string>;
  out: SqlScan;
}

function addRelation(w: Walk, rv: PgNode, kind: ReferenceKind): void {
  if (typeof rv?.relname !== 'string') return;
  const schema: string | null = typeof rv.schemaname === 'string' ? rv.schemaname : null;
  if (schema === null && w.ctes.has(rv.relname)) return;
  const loc = typeof rv.location === 'number' && rv.location >= 0 ? rv.location : 0;
  w.out.relations.push({ name: rv.relname, schema, kind, index: w.base + w.toIndex(loc) });
}

function addDefinition(w: Walk, kind: SqlDefinitionFound['kind'], rv: PgNode): void {
  if (typeof rv?.relname !== 'string') return;
  const loc = typeof rv.location === 'number' && rv.location >= 0 ? rv.location : 0;
  w.out.definitions.push({
    kind,
    name: rv.relname,
    schema: typeof rv.schemaname === 'string' ? rv.schemaname : null,
    index: w.base + w.toIndex(loc),
  });
}

/** Walks every field except the one named `skip`, with the given kind. */
function walkFields(w: Walk, fields: PgNode, kind: ReferenceKind, skip?: string): void {
  if (fields === null || typeof fields !== 'object') return;
  for (const key in fields) {
    if (key !== skip) walk(w, fields[key], kind);
  }
}

/** Node types are capitalized (`RangeVar`), fields are not (`relname`). */
const isNodeType = (key: string) => {
  const c = key.charCodeAt(0);
  return c >= 65 && c <= 90;
};

function walk(w: Walk, node: PgNode, kind: ReferenceKind): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(w, n, kind);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  // Fields such as InsertStmt.relation hold a RangeVar without the `{ RangeVar: … }` wrapper.
  if (typeof node.relname === 'string') {
    addRelation(w, node, kind);
    return;
  }
  for (const key in node) {
    const v = node[key];
    if (isNodeType(key)) visit(w, key, v, kind);
    else walk(w, v, kind);
  }
}

function visit(w: Walk, type: string, f: PgNode, kind: ReferenceKind): void {
  switch (type) {
    case 'RangeVar':
      addRelation(w, f, kind);
      return;
    case 'SelectStmt':
      walkFields(w, f, 'read', 'intoClause');
      return;
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      addRelation(w, f.relation, 'write');
      walkFields(w, f, 'read', 'relation');
      return;
    case 'TruncateStmt':
      walk(w, f.relations, 'write');
      return;
    case 'CopyStmt':
      addRelation(w, f.relation, f.is_from ? 'write' : 'read');
      walk(w, f.query, 'read');
      return;
    case 'CreateStmt':
      addDefinition(w, 'table', f.relation);
      walkFields(w, f, 'unknown', 'relation');
      return;
    case 'ViewStmt':
      addDefinition(w, 'view', f.view);
      walk(w, f.query, 'read');
      return;
    case 'CreateTableAsStmt':
      addDefinition(w, f.objtype === 'OBJECT_MATVIEW' ? 'view' : 'table', f.into?.rel);
      walk(w, f.query, 'read');
      return;
    case 'CreateFunctionStmt':
      visitFunction(w, f);
      return;
    case 'FuncCall': {
      const fn = nameList(f.funcname);
      if (fn)
        w.out.calls.push({
          ...fn,
          index: w.base + w.toIndex(typeof f.location === 'number' && f.location >= 0 ? f.location : 0),
        });
      walkFields(w, f, kind);
      return;
    }
    case 'CreateTrigStmt':
      for (const t of (f.transitionRels ?? []) as PgNode[]) {
        const name = t?.TriggerTransition?.name;
        if (typeof name === 'string')
          w.out.definitions.push({ kind: 'transition', name, schema: null, index: w.base });
      }
      walkFields(w, f, kind);
      return;
    case 'IntoClause':
      // SELECT … INTO: in PL/pgSQL bodies the target is a variable, not a relation.
      return;
    default:
      walkFields(w, f, kind);
  }
}

function visitFunction(w: Walk, f: PgNode): void {
  const fn = nameList(f.funcname);
  const def: SqlDefinitionFound | null = fn ? { kind: 'function', ...fn, index: w.base } : null;
  if (def) w.out.definitions.push(def);
  const relationsBefore = w.out.relations.length;
  const callsBefore = w.out.calls.length;
  visitFunctionBody(w, f);
  if (def) {
    const key = (x: { schema: string | null; name: string }) => `${x.schema ?? 'public'}.${x.name}`;
    def.uses = [...new Set(w.out.relations.slice(relationsBefore).map(key))];
    def.calls = [...new Set(w.out.calls.slice(callsBefore).map(key))];
  }
}

function visitFunctionBody(w: Walk, f: PgNode): void {
  let language = 'sql';
  let body: string | null = null;
  let bodyAt = 0;
  for (const opt of (f.options ?? []) as PgNode[]) {
    const d = opt?.DefElem;
    if (d?.defname === 'language') language = String(d.arg?.String?.sval ?? '').toLowerCase();
    if (d?.defname === 'as') {
      const first = d.arg?.List?.items?.[0]?.String?.sval;
      if (typeof first === 'string') {
        body = first;
        bodyAt = typeof d.location === 'number' ? w.toIndex(d.location) : 0;
      }
    }
  }
  if (f.sql_body) walk(w, f.sql_body, 'read');
  if (body === null) return;
  const found = w.text.indexOf(body, bodyAt);
  const base = w.base + (found >= 0 ? found : bodyAt);
  if (language === 'sql') {
    const inner = scanSqlText(body, base);
    if (inner) merge(w.out, inner);
  } else if (language === 'plpgsql') {
    merge(w.out, scanPlpgsqlBody(body, base));
  }
}

function merge(into: SqlScan, from: SqlScan): void {
  into.relations.push(...from.relations);
  into.definitions.push(...from.definitions);
  into.calls.push(...from.calls);
}

/**
 * The statements `visit` can find a definition in. A definitions-only scan walks these alone (and of a CREATE
 * TABLE, only its name): nothing else it skips holds a table, view, function or trigger definition.
 */
const DEFINING = new Set([
  'CreateStmt',
  'ViewStmt',
  'CreateTableAsStmt',
  'CreateFunctionStmt',
  'CreateTrigStmt',
  'CreateSchemaStmt',
]);

/**
 * Relations and definitions in `sql`, or null when it does not parse (a fragment, or not SQL at all). The
 * parser must be loaded (loadSqlParser). `base` is added to every index. With `'definitions'`, what the text
 * defines is found as with `'all'` (functions with the relations and calls of their bodies), but the relations
 * and calls of the other statements are not looked for: a migration history is read for what it defines, and
 * its ALTER TABLEs, indexes and grants are most of its statements.
 */
export function scanSqlText(sql: string, base = 0, what: 'all' | 'definitions' = 'all'): SqlScan | null {
  let tree: PgNode;
  try {
    tree = parseTree(sql);
  } catch (e) {
    if ((e as Error).name === 'SqlSyntaxError') return null;
    throw e;
  }
  const out: SqlScan = { relations: [], definitions: [], calls: [] };
  const toIndex = utf8ToIndex(sql);
  for (const raw of (tree?.stmts ?? []) as PgNode[]) {
    if (what === 'definitions') {
      const kind = Object.keys(raw.stmt ?? {})[0] ?? '';
      if (!DEFINING.has(kind)) continue;
      if (kind === 'CreateStmt') {
        addDefinition(
          { text: sql, base, toIndex, ctes: new Set(), out },
          'table',
          raw.stmt.CreateStmt.relation,
        );
        continue;
      }
    }
    const ctes = new Set<string>();
    collectCteNames(raw.stmt, ctes);
    walk({ text: sql, base, toIndex, ctes, out }, raw.stmt, 'unknown');
  }
  return out;
}

/**
 * The statements of a PL/pgSQL body, cut at semicolons outside quotes, dollar quotes and comments; comments
 * are blanked (same length, so indexes hold) so that commented-out SQL is never read.
 */
function splitStatements(source: string): { start: number; text: string }[] {
  const parts: { start: number; text: string }[] = [];
  // Comments to blank, collected first and applied once: blanking as they are found would copy the body each time.
  const comments: [number, number][] = [];
  // Jumps from one character that matters to the next; everything between them is plain text.
  const special = /['"$;]|--|\/\*/g;
  let start = 0;
  for (let m = special.exec(source); m; m = special.exec(source)) {
    const i = m.index;
    const token = m[0];
    let next = i + token.length;
    if (token === "'" || token === '"') {
      const close = source.indexOf(token, i + 1);
      next = close < 0 ? source.length : close + 1;
    } else if (token === '--') {
      const nl = source.indexOf('\n', i);
      next = nl < 0 ? source.length : nl;
      comments.push([i, next]);
    } else if (token === '/*') {
      const close = source.indexOf('*/', i + 2);
      next = close < 0 ? source.length : close + 2;
      comments.push([i, next]);
    } else if (token === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(source.slice(i, i + 64));
      if (tag) {
        const close = source.indexOf(tag[0], i + tag[0].length);
        next = close < 0 ? source.length : close + tag[0].length;
      }
    } else {
      parts.push({ start, text: source.slice(start, i) });
      start = i + 1;
    }
    special.lastIndex = next;
  }
  if (start < source.length) parts.push({ start, text: source.slice(start) });
  if (comments.length === 0) return parts;
  // Blank each comment inside the part that holds it (same length, so indexes hold).
  let c = 0;
  return parts.map((part) => {
    const end = part.start + part.text.length;
    let text = part.text;
    while (c < comments.length && (comments[c]?.[0] ?? end) < end) {
      const [from, to] = comments[c] as [number, number];
      const a = from - part.start;
      const b = Math.min(to, end) - part.start;
      text = text.slice(0, a) + text.slice(a, b).replace(/[^\n]/g, ' ') + text.slice(b);
      c++;
    }
    return { start: part.start, text };
  });
}

const DML_START = /\b(select|insert|update|delete|with|merge|perform)\b/gi;

/**
 * PL/pgSQL has no parser in libpg-query, but its embedded statements are plain SQL: each statement is cut at
 * its semicolon, and the SQL parser is tried from each DML keyword in it (PERFORM read as SELECT; a trailing
 * `INTO var` after RETURNING dropped). What still does not parse (dynamic EXECUTE) is skipped.
 */
function scanPlpgsqlBody(body: string, base: number): SqlScan {
  const out: SqlScan = { relations: [], definitions: [], calls: [] };
  // Without a DML keyword anywhere, no statement below can be tried: the body need not be cut up at all.
  DML_START.lastIndex = 0;
  const any = DML_START.test(body);
  DML_START.lastIndex = 0;
  if (!any) return out;
  for (const part of splitStatements(body)) {
    DML_START.lastIndex = 0;
    for (let m = DML_START.exec(part.text); m; m = DML_START.exec(part.text)) {
      let text = part.text.slice(m.index);
      const perform = m[1]?.toLowerCase() === 'perform';
      if (perform) text = `select ${text.slice('perform'.length)}`;
      let scan = scanSqlText(text, 0);
      if (!scan) {
        const into = /\breturning\b[\s\S]*?(\binto\b(\s+strict)?\s+[\w.,\s]+)$/i.exec(text);
        if (into?.[1]) scan = scanSqlText(text.slice(0, text.length - into[1].length), 0);
      }
      if (scan) {
        const shift = base + part.start + m.index + (perform ? 'perform'.length - 'select '.length : 0);
        for (const r of scan.relations) out.relations.push({ ...r, index: r.index + shift });
        for (const d of scan.definitions) out.definitions.push({ ...d, index: d.index + shift });
        for (const c of scan.calls) out.calls.push({ ...c, index: c.index + shift });
        break;
      }
    }
  }
  return out;
}

/** CREATE [OR REPLACE] FUNCTION or PROCEDURE, an optional schema, then the name (quoted or not). */
const FUNCTION_NAME =
  /\bcreate\s+(?:or\s+replace\s+)?(?:function|procedure)\s+(?:(?:"(?:[^"]|"")+"|[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)\s*\.\s*)?(?:"((?:[^"]|"")+)"|([A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*))/gi;

/**
 * Names of the functions an SQL text may define, found without parsing: the name after each CREATE [OR
 * REPLACE] FUNCTION or PROCEDURE, as written and case-folded. It may hold more than the text defines (such a
 * line in a comment or a Down section); the code scan starts with these names while the SQL is parsed, and
 * keeps only the references to functions the parse then confirms. Only words after CREATE count: "the function
 * is…" in a comment must not make `is` a function name that every file seems to call.
 */
export function functionNameCandidates(sql: string): string[] {
  const out = new Set<string>();
  for (const m of sql.matchAll(FUNCTION_NAME)) {
    if (m[1] !== undefined) out.add(m[1].replace(/""/g, '"'));
    else if (m[2] !== undefined) {
      out.add(m[2]);
      out.add(m[2].toLowerCase());
    }
  }
  return [...out];
}
