/**
 * Canonical text of SQL expressions (defaults, CHECK constraints, policy USING/WITH CHECK, index predicates).
 *
 * Postgres reports an expression as `pg_get_expr()` prints it after parse analysis: it adds the casts it
 * inferred (`'active'::text`, `(status)::text`), wraps every operator in parentheses and reformats constants.
 * A static replay cannot know every inferred type without the catalog, so both sides go through the same
 * function instead: the replayed expression is deparsed from its parse tree, and the catalog's text is parsed
 * and deparsed again, by this one deparser. Its canonical form is pg_get_expr()'s layout with these
 * tolerances, each because the information is already elsewhere in the model or cannot be known statically:
 *
 * - a cast applied to a literal, an array of literals or a column reference is dropped (`'active'::text` →
 *   `'active'`, `'0'::bigint` → `0`, `(status)::text` → `status`): its target is decided by the column's type,
 *   which the model already compares; casts of anything else (`(current_setting(…))::jsonb`) are kept;
 * - column references lose their qualifier (`v.tenant` → `tenant`): Postgres qualifies every column inside a
 *   sub-select, a migration usually does not;
 * - `pg_catalog.` and `public.` are dropped from function, type and table names (they are on the search path);
 * - AND/OR chains are flattened, the outermost parentheses dropped, keywords upper case;
 * - `x IN (…)` is `x = ANY (ARRAY[…])`, `x BETWEEN a AND b` is `(x >= a) AND (x <= b)`, as Postgres stores them.
 *
 * Not reproduced: constants that Postgres reformats through the type's output function (`'24 hours'::interval`
 * is stored as `'24:00:00'`), so such a default written differently compares as different.
 */
import { formatType, quoteIdent } from '../model/types.js';
import { canonicalInterval } from './interval.js';
import { type PgNode, parseExpression } from './parser.js';

const NUMERIC_TYPES = new Set(['integer', 'bigint', 'smallint', 'numeric', 'real', 'double precision']);
const DROPPED_SCHEMAS = new Set(['pg_catalog', 'public']);

/** Unqualified `name`, or `schema.name` outside public/pg_catalog; quoted where Postgres would quote. */
export function qualifiedName(parts: string[]): string {
  const last = parts[parts.length - 1] ?? '';
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  return schema !== undefined && !DROPPED_SCHEMAS.has(schema)
    ? `${quoteIdent(schema)}.${quoteIdent(last)}`
    : quoteIdent(last);
}

function strings(list: PgNode[] | undefined): string[] {
  return (list ?? []).map((n) => n.String?.sval ?? '');
}

/** format_type() spelling of a parse-tree TypeName. */
/** The grammar's interval field masks (1 << YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, or'ed) and their spelling. */
const INTERVAL_FIELDS: Record<number, string> = {
  4: 'year',
  2: 'month',
  8: 'day',
  1024: 'hour',
  2048: 'minute',
  4096: 'second',
  6: 'year to month',
  1032: 'day to hour',
  3080: 'day to minute',
  7176: 'day to second',
  3072: 'hour to minute',
  7168: 'hour to second',
  6144: 'minute to second',
};
/** An interval's typmods when it has no field restriction, or no precision. */
const INTERVAL_FULL_RANGE = 0x7fff;
const INTERVAL_FULL_PRECISION = 0xffff;

/**
 * format_type() spelling of a parsed type name. With `modifiers` false, without its modifiers (and an interval
 * without its fields), as Postgres prints a function's argument and result types, which keep none.
 */
export function typeNameText(t: PgNode, modifiers_ = true): string {
  const names = strings(t.names);
  let name = names[names.length - 1] ?? '';
  const schema = names.length > 1 ? (names[names.length - 2] ?? null) : null;
  let modifiers: string[] = (t.typmods ?? []).map((m: PgNode) => constText(m.A_Const ?? {}) ?? deparse(m));
  const array = (t.arrayBounds ?? []).length > 0;
  const catalog = schema === null || schema === 'pg_catalog';
  // The keyword `char` arrives as bpchar: a name `char` was written quoted, and is the one-byte internal type.
  if (catalog && name === 'char') return array ? '"char"[]' : '"char"';
  // `interval day to second(3)` arrives as typmods [field mask, precision]; format_type() spells the fields out.
  if (catalog && name === 'interval' && modifiers.length > 0) {
    const [mask, precision] = modifiers.map(Number);
    const fields = mask === undefined || mask === INTERVAL_FULL_RANGE ? undefined : INTERVAL_FIELDS[mask];
    if (mask === INTERVAL_FULL_RANGE || fields !== undefined) {
      name = fields ? `interval ${fields}` : 'interval';
      modifiers = precision === undefined || precision === INTERVAL_FULL_PRECISION ? [] : [String(precision)];
    }
  }
  if (!modifiers_) {
    if (name.startsWith('interval ')) name = 'interval';
    return formatType({ schema, name, modifiers: [], array, unmodified: true });
  }
  // The grammar spells `timestamp(3) with time zone` as timestamptz with one modifier.
  return formatType({ schema, name, modifiers, array });
}

function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * A numeric literal without its exponent, as numeric_out() prints the constant Postgres stores: `1.5e10` is
 * `15000000000`, `1e-3` is `0.001`. Done on the digits, so nothing is lost to floating point.
 */
export function plainDecimal(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?[eE]([+-]?\d+)$/.exec(text);
  if (!m) return text;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = m;
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  // Leading zeros of the integer part go (numeric_out prints 0.5, not 00.5); the fraction keeps its digits.
  out = out.replace(/^0+(?=\d)/, '');
  return `${sign === '-' ? '-' : ''}${out}`;
}

/** Text of an A_Const, numbers bare and strings quoted; undefined for a NULL. */
function constText(c: PgNode): string | undefined {
  if (c.isnull) return undefined;
  if (c.ival !== undefined) return String(c.ival.ival ?? 0);
  if (c.fval !== undefined) return plainDecimal(String(c.fval.fval ?? '0'));
  if (c.boolval !== undefined) return c.boolval.boolval ? 'true' : 'false';
  if (c.sval !== undefined) return quoteLiteral(c.sval.sval ?? '');
  if (c.bsval !== undefined) return `B'${String(c.bsval.bsval ?? '').replace(/^b/, '')}'`;
  return 'NULL';
}

function isLiteralish(n: PgNode): boolean {
  if (!n) return false;
  if (n.A_Const || n.ColumnRef) return true;
  if (n.TypeCast) return isLiteralish(n.TypeCast.arg);
  if (n.A_ArrayExpr) return (n.A_ArrayExpr.elements ?? []).every(isLiteralish);
  return false;
}

/**
 * A literal whose cast is dropped: a numeric-looking string cast to a number type becomes that number, and a
 * string cast to an interval takes the spelling Postgres prints (`'24 hours'` and `'24:00:00'` are one value).
 */
function literalWithoutCast(arg: PgNode, type: string): string {
  if (arg.A_Const?.sval !== undefined && NUMERIC_TYPES.has(type)) {
    const s: string = arg.A_Const.sval.sval ?? '';
    if (/^-?\d+(\.\d+)?$/.test(s.trim())) return s.trim();
  }
  if (arg.A_Const?.sval !== undefined) {
    const typed = typedStringLiteral(String(arg.A_Const.sval.sval ?? ''), type);
    if (typed !== null) return typed;
  }
  return deparse(arg, true);
}

/**
 * A string constant of an interval or boolean type as the catalog keeps it: the interval in its printed
 * spelling (for the type's fields and precision), the boolean as true or false. Null for other types, and for
 * a boolean string boolin() would reject.
 */
export function typedStringLiteral(text: string, type: string): string | null {
  if (isIntervalType(type)) return quoteLiteral(canonicalInterval(text, type) ?? text);
  if (type === 'boolean') {
    // boolin() takes these (any case, unambiguous prefixes of true/false/yes/no too); the catalog says true/false.
    const s = text.trim().toLowerCase();
    if (s !== '' && (['1', 'on'].includes(s) || 'true'.startsWith(s) || 'yes'.startsWith(s))) return 'true';
    if (s !== '' && (['0', 'off', 'of'].includes(s) || 'false'.startsWith(s) || 'no'.startsWith(s)))
      return 'false';
  }
  return null;
}

/** `a ->> b` and `a #>> b` (json and jsonb to text): their result is text whatever the operands. */
function isTextOperator(n: PgNode): boolean {
  const e = n?.A_Expr;
  if (e?.kind !== 'AEXPR_OP') return false;
  const op = strings(e.name);
  return op.length === 1 && (op[0] === '->>' || op[0] === '#>>');
}

/** `interval`, with or without fields and precision. */
export function isIntervalType(type: string): boolean {
  return type === 'interval' || type.startsWith('interval ') || type.startsWith('interval(');
}

const SQL_VALUE_FUNCTIONS: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'CURRENT_DATE',
  SVFOP_CURRENT_TIME: 'CURRENT_TIME',
  SVFOP_CURRENT_TIME_N: 'CURRENT_TIME',
  SVFOP_CURRENT_TIMESTAMP: 'CURRENT_TIMESTAMP',
  SVFOP_CURRENT_TIMESTAMP_N: 'CURRENT_TIMESTAMP',
  SVFOP_LOCALTIME: 'LOCALTIME',
  SVFOP_LOCALTIME_N: 'LOCALTIME',
  SVFOP_LOCALTIMESTAMP: 'LOCALTIMESTAMP',
  SVFOP_LOCALTIMESTAMP_N: 'LOCALTIMESTAMP',
  SVFOP_CURRENT_ROLE: 'CURRENT_ROLE',
  SVFOP_CURRENT_USER: 'CURRENT_USER',
  SVFOP_USER: 'CURRENT_USER',
  SVFOP_SESSION_USER: 'SESSION_USER',
  SVFOP_CURRENT_CATALOG: 'CURRENT_CATALOG',
  SVFOP_CURRENT_SCHEMA: 'CURRENT_SCHEMA',
};

/** Functions the grammar writes as key words (Postgres 16+ parses them as calls, 15 prints them bare). */
const KEYWORD_FUNCTIONS: Record<string, string> = {
  current_user: 'CURRENT_USER',
  current_role: 'CURRENT_ROLE',
  session_user: 'SESSION_USER',
  user: 'CURRENT_USER',
  current_catalog: 'CURRENT_CATALOG',
  current_schema: 'CURRENT_SCHEMA',
  system_user: 'SYSTEM_USER',
};

function flatten(op: string, args: PgNode[]): PgNode[] {
  return args.flatMap((a) => (a?.BoolExpr?.boolop === op ? flatten(op, a.BoolExpr.args ?? []) : [a]));
}

function paren(text: string, top: boolean): string {
  return top ? text : `(${text})`;
}

function opName(name: PgNode[] | undefined): string {
  const parts = strings(name);
  const op = parts[parts.length - 1] ?? '?';
  return parts.length > 1 && parts[0] !== 'pg_catalog' ? `OPERATOR(${parts.join('.')})` : op;
}

function deparseList(list: PgNode[] | undefined): string {
  return (list ?? []).map((n) => deparse(n, true)).join(', ');
}

/** Canonical text of one parse-tree expression. `top` drops the parentheses the outermost node would get. */
export function deparse(node: PgNode, top = false): string {
  if (node === null || node === undefined) return '';
  const [kind] = Object.keys(node);
  const n = kind ? node[kind] : undefined;
  switch (kind) {
    case 'A_Const':
      return constText(n) ?? 'NULL';
    case 'ColumnRef': {
      const fields: PgNode[] = n.fields ?? [];
      const last = fields[fields.length - 1];
      if (last?.A_Star) return fields.length > 1 ? `${quoteIdent(fields[0]?.String?.sval ?? '')}.*` : '*';
      return quoteIdent(last?.String?.sval ?? '');
    }
    case 'TypeCast': {
      const type = typeNameText(n.typeName);
      if (isLiteralish(n.arg)) return literalWithoutCast(n.arg, type);
      // `(jwt ->> 'role')::text`: the operators that yield text already; Postgres drops the cast as a no-op.
      if (type === 'text' && isTextOperator(n.arg)) return deparse(n.arg, top);
      return `(${deparse(n.arg, true)})::${type}`;
    }
    case 'A_Expr':
      return deparseAExpr(n, top);
    case 'BoolExpr': {
      if (n.boolop === 'NOT_EXPR') return paren(`NOT ${deparse(n.args?.[0])}`, top);
      const op = n.boolop === 'AND_EXPR' ? 'AND' : 'OR';
      return paren(
        flatten(n.boolop, n.args ?? [])
          .map((a) => deparse(a))
          .join(` ${op} `),
        top,
      );
    }
    case 'NullTest':
      return paren(`${deparse(n.arg)} ${n.nulltesttype === 'IS_NOT_NULL' ? 'IS NOT NULL' : 'IS NULL'}`, top);
    case 'BooleanTest': {
      const test = String(n.booltesttype ?? '')
        .replace(/^IS_/, 'IS ')
        .replace(/_/g, ' ');
      return paren(`${deparse(n.arg)} ${test}`, top);
    }
    case 'FuncCall': {
      const names = strings(n.funcname);
      const last = names[names.length - 1] ?? '';
      if (n.funcformat === 'COERCE_SQL_SYNTAX' && !(n.args ?? []).length && KEYWORD_FUNCTIONS[last]) {
        return KEYWORD_FUNCTIONS[last];
      }
      const args = n.agg_star ? '*' : `${n.agg_distinct ? 'DISTINCT ' : ''}${deparseList(n.args)}`;
      return `${qualifiedName(names)}(${args})`;
    }
    case 'NamedArgExpr':
      return `${quoteIdent(n.name)} => ${deparse(n.arg, true)}`;
    case 'SQLValueFunction':
      return SQL_VALUE_FUNCTIONS[n.op] ?? String(n.op);
    case 'CoalesceExpr':
      return `COALESCE(${deparseList(n.args)})`;
    case 'MinMaxExpr':
      return `${n.op === 'IS_GREATEST' ? 'GREATEST' : 'LEAST'}(${deparseList(n.args)})`;
    case 'CaseExpr': {
      const parts = ['CASE'];
      if (n.arg) parts.push(deparse(n.arg));
      for (const w of n.args ?? []) {
        parts.push(`WHEN ${deparse(w.CaseWhen.expr, true)} THEN ${deparse(w.CaseWhen.result, true)}`);
      }
      if (n.defresult) parts.push(`ELSE ${deparse(n.defresult, true)}`);
      parts.push('END');
      return parts.join(' ');
    }
    case 'A_ArrayExpr':
      return `ARRAY[${deparseList(n.elements)}]`;
    case 'SubLink':
      return deparseSubLink(n, top);
    case 'ParamRef':
      return `$${n.number ?? 0}`;
    case 'A_Indirection': {
      const ind = (n.indirection ?? [])
        .map((i: PgNode) =>
          i.A_Indices
            ? `[${i.A_Indices.lidx ? `${deparse(i.A_Indices.lidx, true)}:` : ''}${deparse(i.A_Indices.uidx, true)}]`
            : i.String
              ? `.${quoteIdent(i.String.sval)}`
              : '.*',
        )
        .join('');
      return `(${deparse(n.arg, true)})${ind}`;
    }
    case 'CollateClause':
      return `${deparse(n.arg)} COLLATE ${strings(n.collname).map(quoteIdent).join('.')}`;
    case 'RowExpr':
      return `ROW(${deparseList(n.args)})`;
    case 'List':
      return `(${deparseList(n.items)})`;
    default:
      // An expression kind no migration we know uses: keep it comparable (same tree, same text) if not pretty.
      return `${kind}${JSON.stringify(stripLocations(n))}`;
  }
}

function stripLocations(n: PgNode): PgNode {
  if (Array.isArray(n)) return n.map(stripLocations);
  if (n && typeof n === 'object') {
    return Object.fromEntries(
      Object.entries(n)
        .filter(([k]) => k !== 'location')
        .map(([k, v]) => [k, stripLocations(v)]),
    );
  }
  return n;
}

function deparseAExpr(n: PgNode, top: boolean): string {
  const op = opName(n.name);
  const l = n.lexpr;
  const r = n.rexpr;
  switch (n.kind) {
    case 'AEXPR_OP':
      return l ? paren(`${deparse(l)} ${op} ${deparse(r)}`, top) : paren(`${op} ${deparse(r)}`, top);
    case 'AEXPR_OP_ANY':
      return paren(`${deparse(l)} ${op} ANY (${deparse(r, true)})`, top);
    case 'AEXPR_OP_ALL':
      return paren(`${deparse(l)} ${op} ALL (${deparse(r, true)})`, top);
    case 'AEXPR_IN': {
      const items: PgNode[] = r?.List?.items ?? [];
      const quantifier = op === '=' ? 'ANY' : 'ALL';
      return paren(`${deparse(l)} ${op} ${quantifier} (ARRAY[${deparseList(items)}])`, top);
    }
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
    case 'AEXPR_SIMILAR':
      return paren(`${deparse(l)} ${op} ${deparse(r)}`, top);
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN_SYM': {
      const [lo, hi] = r?.List?.items ?? [];
      const x = deparse(l);
      return n.kind.startsWith('AEXPR_NOT')
        ? paren(`(${x} < ${deparse(lo)}) OR (${x} > ${deparse(hi)})`, top)
        : paren(`(${x} >= ${deparse(lo)}) AND (${x} <= ${deparse(hi)})`, top);
    }
    case 'AEXPR_DISTINCT':
      return paren(`${deparse(l)} IS DISTINCT FROM ${deparse(r)}`, top);
    case 'AEXPR_NOT_DISTINCT':
      return paren(`${deparse(l)} IS NOT DISTINCT FROM ${deparse(r)}`, top);
    case 'AEXPR_NULLIF':
      return `NULLIF(${deparse(l, true)}, ${deparse(r, true)})`;
    default:
      return paren(`${deparse(l)} ${op} ${deparse(r)}`, top);
  }
}

function deparseSubLink(n: PgNode, top: boolean): string {
  const sub = deparseSelect(n.subselect?.SelectStmt);
  switch (n.subLinkType) {
    case 'EXISTS_SUBLINK':
      return paren(`EXISTS (${sub})`, top);
    case 'ANY_SUBLINK': {
      const op = opName(n.operName);
      return paren(
        !n.operName || op === '='
          ? `${deparse(n.testexpr)} IN (${sub})`
          : `${deparse(n.testexpr)} ${op} ANY (${sub})`,
        top,
      );
    }
    case 'ALL_SUBLINK':
      return paren(`${deparse(n.testexpr)} ${opName(n.operName)} ALL (${sub})`, top);
    case 'ARRAY_SUBLINK':
      return `ARRAY(${sub})`;
    default:
      return `(${sub})`;
  }
}

function deparseFromItem(f: PgNode): string {
  if (f.RangeVar) {
    const v = f.RangeVar;
    const name = qualifiedName([...(v.schemaname ? [v.schemaname] : []), v.relname]);
    return v.alias?.aliasname ? `${name} ${quoteIdent(v.alias.aliasname)}` : name;
  }
  if (f.JoinExpr) {
    const j = f.JoinExpr;
    const type =
      j.jointype === 'JOIN_LEFT' ? 'LEFT JOIN' : j.jointype === 'JOIN_RIGHT' ? 'RIGHT JOIN' : 'JOIN';
    const on = j.quals ? ` ON ${deparse(j.quals, true)}` : '';
    return `${deparseFromItem(j.larg)} ${type} ${deparseFromItem(j.rarg)}${on}`;
  }
  if (f.RangeSubselect) return `(${deparseSelect(f.RangeSubselect.subquery?.SelectStmt)})`;
  if (f.RangeFunction) {
    const fn = f.RangeFunction.functions?.[0]?.List?.items?.[0];
    return deparse(fn, true);
  }
  return deparse(f, true);
}

/** A sub-select as it appears in policies and checks: targets, FROM, WHERE (aliases of targets dropped). */
function deparseSelect(s: PgNode): string {
  if (!s) return 'SELECT';
  const parts = [
    `SELECT ${(s.targetList ?? []).map((t: PgNode) => deparse(t.ResTarget?.val, true)).join(', ')}`,
  ];
  if (s.fromClause?.length) parts.push(`FROM ${s.fromClause.map(deparseFromItem).join(', ')}`);
  if (s.whereClause) parts.push(`WHERE ${deparse(s.whereClause, true)}`);
  if (s.limitCount) parts.push(`LIMIT ${deparse(s.limitCount, true)}`);
  return parts.join(' ');
}

/**
 * Schemas repeat the same few expressions (`now()`, `'{}'::jsonb`, the tenant check of every policy), so
 * canonical forms are remembered per text; the cap keeps memory bounded on unusual inputs.
 */
const normalized = new Map<string, string>();
const CACHE_LIMIT = 50_000;

function remember(text: string, compute: () => string): string {
  let value = normalized.get(text);
  if (value === undefined) {
    value = compute();
    if (normalized.size >= CACHE_LIMIT) normalized.clear();
    normalized.set(text, value);
  }
  return value;
}

/**
 * The canonical form of an expression given as text (what pg_get_expr() and pg_policies report). Text that
 * does not parse is returned trimmed, so a comparison still sees it. The parser must be loaded.
 */
export function normalizeExpr(text: string | null): string | null {
  if (text === null) return null;
  return remember(text, () => {
    try {
      const node = parseExpression(text);
      return node ? deparse(node, true) : text.trim();
    } catch {
      return text.trim();
    }
  });
}

/** Index column given as an expression, as pg_get_indexdef prints it: a call bare, anything else in parens. */
export function deparseIndexExpr(expr: PgNode): string {
  const text = deparse(expr, true);
  return expr?.FuncCall || expr?.ColumnRef ? text : `(${text})`;
}

/** Canonical form of one index column as pg_get_indexdef(index, column, false) reports it. */
export function normalizeIndexColumn(text: string): string {
  // Most index columns are plain names, already in the form quoteIdent gives.
  if (/^[a-z_][a-z0-9_$]*$/.test(text) && quoteIdent(text) === text) return text;
  return remember(`index:${text}`, () => {
    try {
      const node = parseExpression(text);
      return node ? deparseIndexExpr(node) : text.trim();
    } catch {
      return text.trim();
    }
  });
}
