/**
 * The SQL inside a function body, as parse trees, for rules that look at what a function calls or compares.
 *
 * An `sql` body is SQL: its statements are parsed as they are. A PL/pgSQL body whose signature is known is
 * compiled with PL/pgSQL's own parser (src/sql/plpgsql.ts), which hands back every statement and expression it
 * embeds: those are the pieces. Otherwise (no signature, or a body the compiler rejects) the expressions and
 * statements PL/pgSQL embeds, plain SQL, are found by cutting the body into pieces at the places its own grammar
 * takes over (`;`, `:=`, and the control words IF, THEN, ELSIF, ELSE, END, LOOP, WHILE,
 * FOR, RETURN, PERFORM, WHEN, DECLARE, BEGIN, EXCEPTION, RAISE), outside quotes, dollar quotes and comments, and
 * each piece is handed to the real parser as a statement or, failing that, as an expression. Pieces the parser
 * rejects (RAISE's format arguments, dynamic EXECUTE strings) are skipped: a rule sees less, never something
 * that is not there. Comments are never read. The parser must be loaded (loadSqlParser).
 */
import { type PgNode, parseTree } from './parser.js';
import { compilePlpgsql } from './plpgsql.js';

/** One piece of a body the parser accepted. */
export interface BodyPiece {
  /** A statement node (`{ SelectStmt: … }`), or for an expression piece the `SELECT <expr>` around it. */
  stmt: PgNode;
  /** For `x := <expr>` (and `x type := <expr>` in DECLARE): `x`, the variable the expression is assigned to. */
  assignedTo: string | null;
  /** The expression itself when the piece was parsed as one (`select <piece>`), else null. */
  expression: PgNode | null;
}

const CONTROL_WORDS = new Set([
  'if',
  'then',
  'elsif',
  'elseif',
  'else',
  'end',
  'loop',
  'while',
  'for',
  'foreach',
  'return',
  'perform',
  'when',
  'declare',
  'begin',
  'exception',
  'raise',
]);

const CASE_WORDS = new Set(['when', 'then', 'else', 'end']);

const STATEMENT_START = /\b(select|insert|update|delete|with|values)\b/gi;

function tryParse(text: string): PgNode[] | null {
  try {
    return ((parseTree(text)?.stmts ?? []) as PgNode[]).map((s) => s.stmt).filter(Boolean);
  } catch (e) {
    if ((e as Error).name === 'SqlSyntaxError') return null;
    throw e;
  }
}

/**
 * PL/pgSQL's `INTO [STRICT] a, b` of a SELECT (or after RETURNING) is not SQL: without it the statement is. The
 * target list is names and commas only, so it ends where the select list or the next clause begins.
 */
const PLPGSQL_INTO =
  /\binto\s+(?:strict\s+)?[A-Za-z_\u0080-\uffff][\w$.\u0080-\uffff]*(?:\s*,\s*[A-Za-z_\u0080-\uffff][\w$.\u0080-\uffff]*)*/i;

/** A PL/pgSQL statement as SQL: parsed as it is, else without its INTO targets when it is a query. */
function tryParseStatement(text: string): PgNode[] | null {
  const parsed = tryParse(text);
  if (parsed || !/^\s*(select|with)\b|\breturning\b/i.test(text)) return parsed;
  // After RETURNING when there is one (INSERT INTO t … RETURNING id INTO v), else the SELECT's own.
  const from = /\breturning\b/i.exec(text)?.index ?? 0;
  const into = PLPGSQL_INTO.exec(text.slice(from));
  if (!into) return null;
  const at = from + into.index;
  return tryParse(`${text.slice(0, at)} ${text.slice(at + into[0].length)}`);
}

const isWordChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127;

/** Index just past the quoted text or dollar-quoted string that starts at `i`, or -1 when none starts there. */
function skipQuoted(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 39 || c === 34) {
    // '…' or "…": a doubled quote closes and reopens, which the callers handle by going on after it.
    const close = text.indexOf(text[i] as string, i + 1);
    return close < 0 ? text.length : close + 1;
  }
  if (c === 36 && !isWordChar(text.charCodeAt(i - 1))) {
    const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i, i + 64));
    if (tag) {
      const close = text.indexOf(tag[0], i + tag[0].length);
      return close < 0 ? text.length : close + tag[0].length;
    }
  }
  return -1;
}

/** The body with its comments blanked (same length) and cut into statements at the semicolons outside quotes. */
function statements(body: string): string[] {
  let clean = '';
  const out: string[] = [];
  let i = 0;
  let from = 0;
  while (i < body.length) {
    const skip = skipQuoted(body, i);
    if (skip >= 0) {
      i = skip;
      continue;
    }
    const c = body.charCodeAt(i);
    const next = body.charCodeAt(i + 1);
    if ((c === 45 && next === 45) || (c === 47 && next === 42)) {
      const close = c === 45 ? body.indexOf('\n', i) : body.indexOf('*/', i + 2);
      const end = close < 0 ? body.length : c === 45 ? close : close + 2;
      clean += body.slice(from, i) + ' '.repeat(end - i);
      i = from = end;
    } else if (c === 59) {
      out.push(clean + body.slice(from, i));
      clean = '';
      i = from = i + 1;
    } else i++;
  }
  out.push(clean + body.slice(from));
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

interface Segment {
  text: string;
  /** The text before `:=` when this segment is its right-hand side. */
  assignedFrom: string | null;
}

/** Cuts one PL/pgSQL statement into the pieces between `:=` and its control words. */
function segments(statement: string): Segment[] {
  const out: Segment[] = [];
  let start = 0;
  let left: string | null = null;
  let caseDepth = 0;
  const cut = (end: number, next: number, assign: boolean) => {
    const text = statement.slice(start, end).trim();
    if (assign) left = text;
    else {
      if (text) out.push({ text, assignedFrom: left });
      left = null;
    }
    start = next;
  };
  let i = 0;
  while (i < statement.length) {
    const skip = skipQuoted(statement, i);
    if (skip >= 0) {
      i = skip;
      continue;
    }
    const c = statement.charCodeAt(i);
    if (c === 58 && statement.charCodeAt(i + 1) === 61) {
      cut(i, i + 2, true);
      i += 2;
    } else if (isWordChar(c) && !isWordChar(statement.charCodeAt(i - 1)) && !(c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < statement.length && isWordChar(statement.charCodeAt(j))) j++;
      const word = statement.slice(i, j).toLowerCase();
      // A word after a dot is part of a qualified name (`r.end`), not a control word; WHEN, THEN, ELSE and END
      // inside an SQL CASE expression are the expression's own.
      if (statement.charCodeAt(i - 1) === 46) {
        // a qualified name's part
      } else if (word === 'case') caseDepth++;
      else if (caseDepth > 0 && CASE_WORDS.has(word)) {
        if (word === 'end') caseDepth--;
      } else if (CONTROL_WORDS.has(word)) cut(i, j, false);
      i = j;
    } else i++;
  }
  cut(statement.length, statement.length, false);
  return out;
}

/** The variable an assignment's left side names: `v_role` of `v_role`, `v_role text` or `v_role text not null`. */
function assignmentTarget(left: string): string | null {
  const m = /^"?([A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)"?/.exec(left.trim());
  return m?.[1] ? m[1].toLowerCase() : null;
}

/** `RETURN QUERY <query>`, `PERFORM <query>` and plain SQL statements, parsed whole when they parse. */
function wholeStatement(statement: string): PgNode[] | null {
  const m = /^(?:return\s+query\s+|perform\s+)?/i.exec(statement);
  const prefix = m?.[0] ?? '';
  const rest = statement.slice(prefix.length);
  if (/^perform/i.test(prefix)) return tryParse(`select ${rest}`);
  STATEMENT_START.lastIndex = 0;
  const first = STATEMENT_START.exec(rest);
  return first?.index === 0 ? tryParseStatement(rest) : null;
}

function plpgsqlPieces(body: string): BodyPiece[] {
  const out: BodyPiece[] = [];
  for (const statement of statements(body)) {
    const whole = wholeStatement(statement);
    if (whole) {
      for (const stmt of whole) out.push({ stmt, assignedTo: null, expression: null });
      continue;
    }
    for (const seg of segments(statement)) {
      const asExpression = tryParse(`select ${seg.text}`);
      if (asExpression) {
        const select = asExpression.length === 1 ? asExpression[0]?.SelectStmt : undefined;
        const single = select && !select.fromClause && select.targetList?.length === 1;
        const expression = single ? (select.targetList[0]?.ResTarget?.val ?? null) : null;
        const assignedTo =
          expression && seg.assignedFrom !== null ? assignmentTarget(seg.assignedFrom) : null;
        for (const stmt of asExpression) out.push({ stmt, assignedTo, expression });
        continue;
      }
      // A statement after control words (FOR r IN SELECT …, IF … THEN UPDATE …): from its first SQL keyword on.
      STATEMENT_START.lastIndex = 0;
      for (let m = STATEMENT_START.exec(seg.text); m; m = STATEMENT_START.exec(seg.text)) {
        const stmts = tryParseStatement(seg.text.slice(m.index));
        if (stmts) {
          for (const stmt of stmts) out.push({ stmt, assignedTo: null, expression: null });
          break;
        }
      }
    }
  }
  return out;
}

/** A piece for each statement of `sql`, and for a single SELECT target the expression assigned to `into`. */
function statementPieces(sql: string, into: string | null): BodyPiece[] {
  return (tryParse(sql) ?? []).map((stmt) => {
    const targets = stmt.SelectStmt?.targetList;
    const expression = into && targets?.length === 1 ? (targets[0]?.ResTarget?.val ?? null) : null;
    return { stmt, assignedTo: expression ? into : null, expression };
  });
}

function expressionPieces(expr: string, assignedTo: string | null): BodyPiece[] {
  const parsed = tryParse(`select ${expr}`) ?? [];
  const select = parsed.length === 1 ? parsed[0]?.SelectStmt : undefined;
  const single = select && !select.fromClause && select.targetList?.length === 1;
  const expression = single ? (select.targetList[0]?.ResTarget?.val ?? null) : null;
  return parsed.map((stmt) => ({ stmt, assignedTo: expression ? assignedTo : null, expression }));
}

/** The name of a datum (variable, record, or the single variable of an INTO row). */
function datumName(datum: PgNode, datums: PgNode[]): string | null {
  const kind = Object.keys(datum ?? {})[0] ?? '';
  const d = datum?.[kind];
  if (kind === 'PLpgSQL_row') {
    const fields: PgNode[] = d?.fields ?? [];
    return fields.length === 1 ? (fields[0]?.name ?? null) : null;
  }
  if (kind === 'PLpgSQL_var' || kind === 'PLpgSQL_rec') return d?.refname ?? null;
  return typeof d?.varno === 'number' ? datumName(datums[d.varno], datums) : null;
}

/**
 * The pieces of a PL/pgSQL body compiled with PL/pgSQL's parser: DECLARE defaults (assigned to their variable),
 * then every embedded statement and expression in order, assignments and `SELECT … INTO v` with their variable.
 * Null when the body does not compile under `header`.
 */
function compiledPieces(body: string, header: string): BodyPiece[] | null {
  const compiled = compilePlpgsql(body, header);
  if ('message' in compiled) return null;
  const datums: PgNode[] = compiled.tree.datums ?? [];
  const out: BodyPiece[] = [];
  for (const d of datums) {
    const v = d?.PLpgSQL_var;
    if (v?.default_val?.PLpgSQL_expr)
      out.push(...expressionPieces(v.default_val.PLpgSQL_expr.query, v.refname));
  }
  const visit = (node: PgNode): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const assign = node.PLpgSQL_stmt_assign;
    if (assign) {
      // `v := expr` (or `v = expr`): the text holds the target; the expression is what follows it.
      const text: string = assign.expr?.PLpgSQL_expr?.query ?? '';
      const m = /^([^:=]*?)\s*:?=\s*/.exec(text);
      if (m) out.push(...expressionPieces(text.slice(m[0].length), assignmentTarget(m[1] ?? '')));
      return;
    }
    const exec = node.PLpgSQL_stmt_execsql;
    if (exec) {
      const into = exec.into ? datumName(exec.target, datums) : null;
      out.push(...statementPieces(exec.sqlstmt?.PLpgSQL_expr?.query ?? '', into?.toLowerCase() ?? null));
      return;
    }
    const expr = node.PLpgSQL_expr;
    if (expr) {
      const query: string = expr.query ?? '';
      out.push(
        ...(expr.parseMode === 0 || expr.parseMode === undefined
          ? statementPieces(query, null)
          : expressionPieces(query, null)),
      );
      return;
    }
    for (const v of Object.values(node)) visit(v);
  };
  visit(compiled.tree.action);
  return out;
}

const memo = new Map<string, BodyPiece[]>();

/** What of a function the body analysis reads (FunctionModel's fields). */
export interface RoutineSource {
  language: string;
  body?: string | null | undefined;
  standardBody?: string | null | undefined;
  /** The signature (pg_get_function_identity_arguments, pg_get_function_result): a PL/pgSQL body compiles under it. */
  identityArgs?: string | undefined;
  returns?: string | undefined;
}

/** The one-line CREATE that a PL/pgSQL body compiles under, or null when the signature is not known. */
function plpgsqlHeader(f: RoutineSource): string | null {
  if (f.identityArgs === undefined || f.returns === undefined) return null;
  return f.returns === ''
    ? `CREATE PROCEDURE pg_temp.dbcanon_routine(${f.identityArgs}) LANGUAGE plpgsql AS`
    : `CREATE FUNCTION pg_temp.dbcanon_routine(${f.identityArgs}) RETURNS ${f.returns} LANGUAGE plpgsql AS`;
}

/** The SQL-standard body (RETURN / BEGIN ATOMIC) of a CREATE FUNCTION statement, as statements to walk. */
function standardBodyPieces(definition: string): BodyPiece[] {
  const out: BodyPiece[] = [];
  for (const stmt of tryParse(definition) ?? []) {
    const body = stmt.CreateFunctionStmt?.sql_body;
    if (body) out.push({ stmt: body, assignedTo: null, expression: null });
  }
  return out;
}

/** The parsed pieces of a function body (memoized by language and text); [] for other languages or no body. */
export function bodyPieces(f: RoutineSource): BodyPiece[] {
  const text = f.body || f.standardBody;
  if (!text || (f.language !== 'sql' && f.language !== 'plpgsql')) return [];
  const header = f.body && f.language === 'plpgsql' ? plpgsqlHeader(f) : null;
  const key = `${f.body ? f.language : 'standard'}\0${header ?? ''}\0${text}`;
  let pieces = memo.get(key);
  if (!pieces) {
    pieces = !f.body
      ? standardBodyPieces(text)
      : f.language === 'sql'
        ? (tryParse(text) ?? []).map((stmt) => ({ stmt, assignedTo: null, expression: null }))
        : ((header ? compiledPieces(text, header) : null) ?? plpgsqlPieces(text));
    memo.set(key, pieces);
  }
  return pieces;
}

/** Calls `visit` on every object node under `node` (depth first, the node itself included). */
export function walkTree(node: PgNode, visit: (node: PgNode) => void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) walkTree(n, visit);
    return;
  }
  visit(node);
  for (const v of Object.values(node)) if (v !== null && typeof v === 'object') walkTree(v, visit);
}

/** The name parts of a node's `String` list (`funcname`, `fields`), lower case as the parser leaves them. */
export function nameParts(list: PgNode[] | undefined): string[] {
  return (list ?? []).map((n: PgNode) => n?.String?.sval).filter((s): s is string => typeof s === 'string');
}

/** A function call found in a body: its name as written (schema when qualified) and how many arguments. */
export interface BodyCall {
  schema: string | null;
  name: string;
  args: number;
}

/** Every function called in a body's SQL (not through dynamic EXECUTE strings). */
export function bodyCalls(f: RoutineSource): BodyCall[] {
  const out: BodyCall[] = [];
  for (const piece of bodyPieces(f)) {
    walkTree(piece.stmt, (n) => {
      const f = n.FuncCall;
      if (!f) return;
      const parts = nameParts(f.funcname);
      const name = parts[parts.length - 1];
      if (!name) return;
      out.push({
        schema: parts.length > 1 ? (parts[parts.length - 2] ?? null) : null,
        name,
        args: (f.args ?? []).length,
      });
    });
  }
  return out;
}
