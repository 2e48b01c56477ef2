/**
 * The columns of a Drizzle table declaration, read from the syntax tree alone: `{ title: text('title').notNull(),
 * createdAt: timestamp('created_at', { withTimezone: true }).defaultNow() }`, or the same object returned by
 * `(t) => ({ … })`. Each property whose value is a builder call chain is a column: the builder's first string
 * argument names it (else the key does), its options object and the chained modifiers say the rest.
 * extract.ts finds the declarations; this file reads their arguments.
 */
import type { ts as TS } from 'ts-morph';
import type { DrizzleColumn } from './table-reference.js';

/** What the walker lends: the compiler, positions, and its evaluation of constants in the file. */
export interface Helpers {
  ts: typeof TS;
  sf: TS.SourceFile;
  pos(node: TS.Node): { line: number; column: number };
  /** A string the file computes, or a Drizzle table object; null for anything else. */
  evaluate(
    e: TS.Expression,
  ): { t: 'str'; s: string } | { t: 'table'; name: string; schema: string | null } | null;
  /** The initializer of the file's single `const` of this name, or null. */
  binding(name: string): TS.Expression | null;
}

/** `{ casing: 'snake_case' }` among a call's arguments (drizzle(…) or drizzle-kit's defineConfig(…)). */
export function isSnakeCasing(ts: typeof TS, arg: TS.Expression): boolean {
  return (
    ts.isObjectLiteralExpression(arg) &&
    arg.properties.some(
      (p) =>
        ts.isPropertyAssignment(p) &&
        ts.isIdentifier(p.name) &&
        p.name.text === 'casing' &&
        ts.isStringLiteral(p.initializer) &&
        p.initializer.text === 'snake_case',
    )
  );
}

function unwrap(ts: typeof TS, e: TS.Expression): TS.Expression {
  let cur = e;
  while (ts.isParenthesizedExpression(cur) || ts.isAsExpression(cur) || ts.isSatisfiesExpression(cur)) {
    cur = cur.expression;
  }
  return cur;
}

function keyOf(ts: typeof TS, name: TS.PropertyName): string | null {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : null;
}

/** A literal's value: string, number or boolean; undefined for anything else. */
function literal(ts: typeof TS, e: TS.Expression): string | number | boolean | undefined {
  const x = unwrap(ts, e);
  if (ts.isStringLiteral(x) || ts.isNoSubstitutionTemplateLiteral(x)) return x.text;
  if (ts.isNumericLiteral(x)) return Number(x.text);
  if (x.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (x.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (
    ts.isPrefixUnaryExpression(x) &&
    x.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(x.operand)
  ) {
    return -Number(x.operand.text);
  }
  return undefined;
}

/** `.default(x)` as SQL text: a literal quoted as Postgres would print it; sql`…` as its text. */
function defaultOf(ts: typeof TS, arg: TS.Expression | undefined): string | null {
  if (!arg) return null;
  const x = unwrap(ts, arg);
  if (ts.isTaggedTemplateExpression(x) && ts.isNoSubstitutionTemplateLiteral(x.template)) {
    return x.template.text.trim();
  }
  const v = literal(ts, x);
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (v === undefined) return null;
  return String(v);
}

/** The pgEnum a builder identifier is bound to in this file (`const status = pgEnum('status', […])`). */
function enumName(ts: typeof TS, builder: string, h: Helpers): string | null {
  const init = h.binding(builder);
  if (!init) return null;
  const call = unwrap(ts, init);
  if (!ts.isCallExpression(call)) return null;
  const callee = call.expression;
  const isEnum =
    (ts.isIdentifier(callee) && callee.text === 'pgEnum') ||
    (ts.isPropertyAccessExpression(callee) && callee.name.text === 'enum');
  const first = call.arguments[0];
  const v = isEnum && first ? h.evaluate(first) : null;
  return v?.t === 'str' ? v.s : null;
}

/** One property's value as a column, or null when it is not a builder chain. */
function column(
  ts: typeof TS,
  key: string,
  at: TS.Node,
  init: TS.Expression,
  h: Helpers,
): DrizzleColumn | null {
  const col: DrizzleColumn = {
    key,
    name: null,
    builder: '',
    isEnum: false,
    options: {},
    arrays: 0,
    notNull: false,
    primaryKey: false,
    unique: false,
    default: null,
    references: null,
    ...h.pos(at),
  };
  // Modifiers outermost first: `text('x').notNull().default('a')` is default(notNull(text('x'))).
  let cur = unwrap(ts, init);
  while (ts.isCallExpression(cur) && ts.isPropertyAccessExpression(cur.expression)) {
    const inner = unwrap(ts, cur.expression.expression);
    // `t.integer()` of the callback form: the receiver is the helpers' parameter, the call is the builder.
    if (ts.isIdentifier(inner)) break;
    const method = cur.expression.name.text;
    const arg = cur.arguments[0];
    if (method === 'notNull') col.notNull = true;
    else if (method === 'primaryKey') {
      col.primaryKey = true;
      col.notNull = true;
    } else if (method === 'unique') col.unique = true;
    else if (method === 'array') col.arrays++;
    else if (method === 'defaultNow') col.default = 'now()';
    else if (method === 'defaultRandom') col.default = 'gen_random_uuid()';
    else if (method === 'default') col.default = defaultOf(ts, arg);
    else if (method === 'references' && arg && (ts.isArrowFunction(arg) || ts.isFunctionExpression(arg))) {
      const body = ts.isArrowFunction(arg) && !ts.isBlock(arg.body) ? unwrap(ts, arg.body) : null;
      if (body && ts.isPropertyAccessExpression(body)) {
        const target = h.evaluate(body.expression);
        if (target?.t === 'table') {
          col.references = { table: target.name, schema: target.schema, key: body.name.text };
        }
      }
    }
    cur = inner;
  }
  if (!ts.isCallExpression(cur)) return null;
  const callee = cur.expression;
  const builder = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)
      ? callee.name.text
      : null;
  if (builder === null) return null;
  const enumDb = ts.isIdentifier(callee) ? enumName(ts, builder, h) : null;
  col.builder = enumDb ?? builder;
  col.isEnum = enumDb !== null;
  for (const a of cur.arguments) {
    const x = unwrap(ts, a);
    const name = literal(ts, x);
    if (typeof name === 'string' && col.name === null && a === cur.arguments[0]) col.name = name;
    else if (ts.isIdentifier(x) && a === cur.arguments[0]) {
      const v = h.evaluate(x);
      if (v?.t === 'str') col.name = v.s;
    } else if (ts.isObjectLiteralExpression(x)) {
      for (const p of x.properties) {
        if (!ts.isPropertyAssignment(p)) continue;
        const k = keyOf(ts, p.name);
        const v = literal(ts, p.initializer);
        if (k !== null && v !== undefined) col.options[k] = v;
      }
    }
  }
  return col;
}

/** The columns of a table declaration's second argument (an object, or a callback returning one). */
export function drizzleColumns(arg: TS.Expression | undefined, h: Helpers): DrizzleColumn[] {
  const { ts } = h;
  if (!arg) return [];
  let obj = unwrap(ts, arg);
  if (ts.isArrowFunction(obj) && !ts.isBlock(obj.body)) obj = unwrap(ts, obj.body);
  if (!ts.isObjectLiteralExpression(obj)) return [];
  const out: DrizzleColumn[] = [];
  for (const p of obj.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const key = keyOf(ts, p.name);
    if (key === null) continue;
    const c = column(ts, key, p.name, p.initializer, h);
    if (c) out.push(c);
  }
  return out;
}

/** The labels of `pgEnum('name', ['a', 'b'])`. */
export function drizzleEnumValues(arg: TS.Expression | undefined, h: Helpers): string[] {
  const { ts } = h;
  if (!arg) return [];
  const x = unwrap(ts, arg);
  if (!ts.isArrayLiteralExpression(x)) return [];
  return x.elements.flatMap((e) => {
    const v = literal(ts, e);
    return typeof v === 'string' ? [v] : [];
  });
}
