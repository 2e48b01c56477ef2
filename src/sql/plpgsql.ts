/**
 * What a PL/pgSQL body (a `DO` block's) runs, read with PL/pgSQL's own parser (libpg_query's, the one Postgres
 * compiles bodies with): the SQL statements in the order they are written, through IF / ELSIF / ELSE and CASE
 * branches, loops, nested blocks and exception handlers, and the EXECUTE strings. The replay applies them.
 *
 * The body is compiled as Postgres compiles it when the DO runs, so a body this parser rejects is a body Postgres
 * rejects (the SQL statements inside are checked by the SQL grammar too). The parser does not say where the
 * error is; the line is found by compiling ever longer prefixes of the body (see errorLine).
 *
 * Which branch runs is not decided here: every branch is listed, in order. The replay skips what its guard
 * would have skipped (see Replayer.doBlock).
 */
import { quoteIdent } from '../model/types.js';
import { type PgNode, parseExpression, parsePlpgsqlFunction, parseSql, SqlSyntaxError } from './parser.js';

/** One thing the body runs that may change the schema. */
export type BodyAction =
  /** An SQL statement (or an EXECUTE of a constant string); `line` is 1-based within the body. */
  | { kind: 'sql'; sql: string; line: number }
  /** An EXECUTE whose text is computed at run time: which objects it touches is unknown. */
  | { kind: 'dynamic'; line: number };

export type BodyReading =
  | { ok: true; actions: BodyAction[] }
  | { ok: false; message: string /** 1-based within the body. */; line: number };

/** A dollar-quote tag that does not occur in `body`. */
function dollarTag(body: string): string {
  let tag = '$dbcanon$';
  for (let i = 0; body.includes(tag); i++) tag = `$dbcanon${i}$`;
  return tag;
}

/** A DO block is compiled as a function returning void. */
const DO_BLOCK_HEADER = 'CREATE FUNCTION pg_temp.dbcanon_do_block() RETURNS void LANGUAGE plpgsql AS';

/**
 * Compiles `body` under `header` (`CREATE FUNCTION … LANGUAGE plpgsql AS`, one line), the body starting on the
 * text's first line so that the parser's line numbers are the body's: the PLpgSQL_function node, or the
 * compiler's message.
 */
export function compilePlpgsql(
  body: string,
  header = DO_BLOCK_HEADER,
): { tree: PgNode } | { message: string } {
  const tag = dollarTag(body);
  try {
    const tree = parsePlpgsqlFunction(`${header} ${tag}${body}${tag}`);
    return { tree: tree?.plpgsql_funcs?.[0]?.PLpgSQL_function ?? {} };
  } catch (e) {
    if (e instanceof SqlSyntaxError) return { message: e.message };
    throw e;
  }
}

const compile = (body: string) => compilePlpgsql(body);

/**
 * The line of the body where compiling fails with `message`. The parser reads the body front to back, so a
 * prefix that ends before the offending token fails differently (at the end of its input, or not at all) and
 * every prefix that holds it fails with the same message: the first such prefix ends on the offending line.
 */
function errorLine(body: string, message: string): number {
  const lines = body.split('\n');
  let lo = 1;
  let hi = lines.length;
  if (/end of input|end of function/.test(message)) return hi;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const prefix = compile(lines.slice(0, mid).join('\n'));
    if ('message' in prefix && prefix.message === message) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The text of a PLpgSQL_expr (`{ PLpgSQL_expr: { query } }`). */
function exprText(node: PgNode): string | undefined {
  const q = node?.PLpgSQL_expr?.query;
  return typeof q === 'string' ? q : undefined;
}

/**
 * The value of an EXECUTE expression when it is known before the body runs: a string constant, constants joined
 * with `||`, or format() of a constant with constant arguments (%I, %L, %s); undefined otherwise.
 */
export function constantString(
  expr: string,
  vars: ReadonlyMap<string, string> = new Map(),
): string | undefined {
  let node: PgNode;
  try {
    node = parseExpression(expr);
  } catch {
    return undefined;
  }
  return evaluate(node, vars);
}

/**
 * The strings of a constant array a loop walks: `ARRAY['a', 'b']` (FOREACH … IN ARRAY) or
 * `SELECT unnest(ARRAY['a', 'b'])` (FOR … IN query); undefined for anything else.
 */
function constantArray(expr: string, query: boolean): string[] | undefined {
  let node: PgNode;
  try {
    if (query) {
      const parsed = parseSql(expr, 'loop.sql', 1);
      const select = parsed.statements.length === 1 ? parsed.statements[0]?.node : undefined;
      const targets = (select?.targetList ?? []) as PgNode[];
      if (targets.length !== 1 || select?.fromClause?.length || select?.whereClause) return undefined;
      const call = targets[0]?.ResTarget?.val?.FuncCall;
      const name = call?.funcname?.[call.funcname.length - 1]?.String?.sval;
      if (name !== 'unnest' || call.args?.length !== 1) return undefined;
      node = call.args[0];
    } else node = parseExpression(expr);
  } catch {
    return undefined;
  }
  while (node?.TypeCast) node = node.TypeCast.arg;
  const elements = node?.A_ArrayExpr?.elements as PgNode[] | undefined;
  if (!elements) return undefined;
  const values = elements.map((e) => evaluate(e, new Map()));
  return values.every((v) => v !== undefined) ? (values as string[]) : undefined;
}

function evaluate(node: PgNode, vars: ReadonlyMap<string, string>): string | undefined {
  const ref = node?.ColumnRef?.fields as PgNode[] | undefined;
  if (ref?.length === 1 && ref[0]?.String) return vars.get(String(ref[0].String.sval));
  if (node?.A_Const) {
    const c = node.A_Const;
    if (c.sval) return String(c.sval.sval ?? '');
    if (c.ival) return String(c.ival.ival ?? 0);
    return undefined;
  }
  if (node?.TypeCast) return evaluate(node.TypeCast.arg, vars);
  const op = node?.A_Expr;
  if (op?.kind === 'AEXPR_OP' && op.name?.[0]?.String?.sval === '||') {
    const left = evaluate(op.lexpr, vars);
    const right = evaluate(op.rexpr, vars);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  const call = node?.FuncCall;
  if (call) {
    const names = (call.funcname ?? []).map((n: PgNode) => n?.String?.sval);
    const name = names[names.length - 1];
    const args = ((call.args ?? []) as PgNode[]).map((a) => evaluate(a, vars));
    if (args.some((a) => a === undefined)) return undefined;
    const values = args as string[];
    if (name === 'quote_ident' && values.length === 1) return quoteIdent(values[0] ?? '');
    if (name === 'format' && values.length >= 1) return format(values[0] ?? '', values.slice(1));
  }
  return undefined;
}

/** format() with positional %s, %I, %L and %% (the forms migrations use); undefined for any other. */
function format(template: string, args: string[]): string | undefined {
  let next = 0;
  let failed = false;
  const out = template.replace(/%(?:(\d+)\$)?([sIL%])/g, (_m, position: string | undefined, kind: string) => {
    if (kind === '%') return '%';
    const value = args[position ? Number(position) - 1 : next++];
    if (value === undefined) {
      failed = true;
      return '';
    }
    if (kind === 'I') return quoteIdent(value);
    if (kind === 'L') return `'${value.replace(/'/g, "''")}'`;
    return value;
  });
  return failed || /%[^sIL%]/.test(template.replace(/%(?:\d+\$)?[sIL%]/g, '')) ? undefined : out;
}

/** The statement lists a statement holds (branches, loop bodies, a block's body and its handlers). */
function nestedLists(stmt: PgNode): PgNode[][] {
  const kind = Object.keys(stmt ?? {})[0] ?? '';
  const s = stmt[kind] ?? {};
  switch (kind) {
    case 'PLpgSQL_stmt_block':
      return [
        s.body ?? [],
        ...((s.exceptions?.PLpgSQL_exception_block?.exc_list ?? []) as PgNode[]).map(
          (e) => e?.PLpgSQL_exception?.action ?? [],
        ),
      ];
    case 'PLpgSQL_stmt_if':
      return [
        s.then_body ?? [],
        ...((s.elsif_list ?? []) as PgNode[]).map((e) => e?.PLpgSQL_if_elsif?.stmts ?? []),
        s.else_body ?? [],
      ];
    case 'PLpgSQL_stmt_case':
      return [
        ...((s.case_when_list ?? []) as PgNode[]).map((w) => w?.PLpgSQL_case_when?.stmts ?? []),
        s.else_stmts ?? [],
      ];
    default:
      // Loops of every kind (LOOP, WHILE, FOR over integers, rows, cursors, arrays, EXECUTE) keep `body`.
      return Array.isArray(s.body) ? [s.body] : [];
  }
}

/**
 * A loop over a constant array of names (`FOREACH t IN ARRAY ARRAY['a', 'b']`, `FOR t IN SELECT
 * unnest(ARRAY[…])`): its variable's name and the values it takes, so the body is read once per value, as it
 * runs (`EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t)` for each table).
 */
function unrolled(kind: string, s: PgNode, datums: PgNode[]): { name: string; values: string[] } | undefined {
  let varno: number | undefined;
  let values: string[] | undefined;
  if (kind === 'PLpgSQL_stmt_foreach_a' && !s.slice) {
    varno = s.varno;
    const text = exprText(s.expr);
    values = text === undefined ? undefined : constantArray(text, false);
  } else if (kind === 'PLpgSQL_stmt_fors') {
    const fields = (s.var?.PLpgSQL_row?.fields ?? []) as PgNode[];
    varno = fields.length === 1 ? fields[0]?.varno : undefined;
    const text = exprText(s.query);
    values = text === undefined ? undefined : constantArray(text, true);
  }
  const name = varno === undefined ? undefined : datums[varno]?.PLpgSQL_var?.refname;
  return typeof name === 'string' && values ? { name, values } : undefined;
}

function collect(
  list: PgNode[],
  out: BodyAction[],
  datums: PgNode[],
  vars: ReadonlyMap<string, string>,
): void {
  for (const stmt of list) {
    const kind = Object.keys(stmt ?? {})[0] ?? '';
    const s = stmt[kind] ?? {};
    const line = Number(s.lineno ?? 1);
    if (kind === 'PLpgSQL_stmt_execsql') {
      const sql = exprText(s.sqlstmt);
      if (sql !== undefined) out.push({ kind: 'sql', sql, line });
    } else if (kind === 'PLpgSQL_stmt_dynexecute' || kind === 'PLpgSQL_stmt_dynfors') {
      const text = exprText(s.query);
      const value = text === undefined ? undefined : constantString(text, vars);
      out.push(value === undefined ? { kind: 'dynamic', line } : { kind: 'sql', sql: value, line });
    }
    const loop = unrolled(kind, s, datums);
    if (loop) {
      for (const value of loop.values) {
        const inner = new Map(vars).set(loop.name, value);
        for (const nested of nestedLists(stmt)) collect(nested, out, datums, inner);
      }
      continue;
    }
    for (const nested of nestedLists(stmt)) collect(nested, out, datums, vars);
  }
}

/**
 * Reads a PL/pgSQL body: the statements it may run, in order, or the compiler's message and the line of the
 * body it points at when Postgres would reject the body. The SQL parser must be loaded (loadSqlParser).
 */
export function readPlpgsqlBody(body: string): BodyReading {
  const compiled = compile(body);
  if ('message' in compiled) {
    return { ok: false, message: compiled.message, line: errorLine(body, compiled.message) };
  }
  const actions: BodyAction[] = [];
  if (compiled.tree.action) collect([compiled.tree.action], actions, compiled.tree.datums ?? [], new Map());
  return { ok: true, actions };
}

/** The identifiers a text mentions, folded to lower case (what a dynamic statement may have named). */
export function wordsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/g)) out.add(m[0].toLowerCase());
  return out;
}

/**
 * Whether a replay error is about an object that SQL built at run time may have made or dropped: the message
 * says something does not exist or already exists, and the object name (the last part of a qualified name) of
 * one of the names it quotes, or of the function it names, is among `words`.
 */
export function mayBeChangedByDynamicSql(message: string, words: Set<string>): boolean {
  if (!/does not exist|already exists/.test(message)) return false;
  const names = [...message.matchAll(/"((?:[^"]|"")+)"/g)].map((m) => m[1] ?? '');
  const fn = /^function ([^\s(]+)/.exec(message)?.[1];
  if (fn) names.push(fn);
  return names.some((name) => words.has((name.split('.').pop() ?? '').toLowerCase()));
}
