/**
 * Table and function references in one TypeScript file, found by walking the syntax tree of ts-morph's `ts`
 * (no type checker, no ts-morph wrappers: this runs on every file of a big tree, in worker threads).
 *
 * One pass collects declarations and candidate sites; the sites are resolved after the pass, so a constant
 * declared below its use still resolves. A name the file alone cannot resolve (an imported constant, or a name
 * declared twice in different scopes) is returned as `pending`, for ts-morph's symbol resolution in
 * resolve-names.ts. A name that is truly dynamic (a parameter, a computed string) is counted as unresolved.
 */
import { createRequire } from 'node:module';
import type { ts as TS } from 'ts-morph';
import { type Chunk, isIdentPart, topLevelChunks } from './chunks.js';
import { requireCached, saveCodeCache } from './code-cache.js';
import { drizzleColumns, drizzleEnumValues, type Helpers, isSnakeCasing } from './drizzle-schema.js';
import type { PrefilterSpec } from './prefilter.js';
import { loadSqlParser, type SqlScan, scanSqlText } from './sql-references.js';
import type {
  DrizzleDefinition,
  NamingSignal,
  ReferenceKind,
  ReferenceVia,
  TableReference,
  UnresolvedReference,
} from './table-reference.js';

type Node = TS.Node;
type Expression = TS.Expression;

/**
 * ts-morph through `require`: imported from ESM, Node would first run its CommonJS export lexer over the
 * bundled 9 MB compiler, in every worker.
 */
export function loadTsMorph(): typeof import('ts-morph') {
  return createRequire(import.meta.url)('ts-morph') as typeof import('ts-morph');
}

/**
 * The TypeScript compiler ts-morph bundles, without ts-morph: parsing and walking need only the compiler, and
 * ts-morph's own 3 MB cost a tenth of a second more to load. It is loaded through V8's code cache
 * (code-cache.ts); the module is the one ts-morph itself requires, so a later loadTsMorph() shares it. Falls
 * back to ts-morph's export if the bundle moves.
 */
function compilerPath(): string | null {
  try {
    return createRequire(createRequire(import.meta.url).resolve('ts-morph')).resolve(
      '@ts-morph/common/dist/typescript.js',
    );
  } catch {
    return null;
  }
}

function loadCompiler(): typeof TS {
  const file = compilerPath();
  return file ? (requireCached(file) as typeof TS) : loadTsMorph().ts;
}

/** Writes the compiler's code cache if this run compiled it (call after some parsing: see code-cache.ts). */
export function saveCompilerCache(): void {
  const file = compilerPath();
  if (file) saveCodeCache(file);
}

let ts: typeof TS;
// The bundled `ts` namespace reads its members through getters: the hot walk takes them from here instead.
let SK: typeof TS.SyntaxKind;
let forEachChild: typeof TS.forEachChild;
let loadingTs: Promise<typeof TS> | undefined;

/** The TypeScript compiler is heavy: loaded on first use only. */
export function loadTs(): Promise<typeof TS> {
  loadingTs ??= Promise.resolve().then(() => {
    ts = loadCompiler();
    SK = { ...ts.SyntaxKind };
    forEachChild = ts.forEachChild;
    return ts;
  });
  return loadingTs;
}

/** Whether this thread has loaded the compiler already (parsing here then costs nothing extra to start). */
export function tsLoaded(): boolean {
  return ts !== undefined;
}

export interface PrismaAccessor {
  /** The table the model maps to (`@@map`, else the model name). */
  table: string;
  schema: string | null;
}

export interface ExtractOptions {
  /** Tag names of SQL tagged templates (config.code.sqlTags). */
  sqlTags: string[];
  /** Prisma client accessor (`vtidLedger`) → table, from the project's schema.prisma files. */
  prismaAccessors: Record<string, PrismaAccessor>;
  /**
   * Functions the project's SQL defines (bare names, sorted). A call to one from embedded SQL, or its name as
   * a string passed to a helper (`callFunction(sql, 'vtid_get')`), is a reference; builtins are not.
   */
  knownFunctions?: string[];
}

/** A name only symbol resolution can tell; resolve-names.ts finishes it with ts-morph. */
export interface PendingName {
  /** Range of the expression (an identifier or `A.b`) in the file. */
  start: number;
  end: number;
  line: number;
  column: number;
  /** What the value is: a table/function name, or SQL text to parse. */
  role: 'table' | 'function' | 'sql';
  via: ReferenceVia;
  kind: ReferenceKind;
  schema: string | null;
  /** Source text of the expression. */
  text: string;
  /** True when the name comes from an import: the file's imports alone then tell what it means. */
  imported: boolean;
}

export interface FileScan {
  references: TableReference[];
  unresolved: UnresolvedReference[];
  pending: PendingName[];
  /** The file's import declarations, when some name is pending: enough for ts-morph to resolve imported names. */
  imports?: string;
  /** The same imports as data (value imports with a named binding), for resolving without ts-morph. */
  importBindings?: ImportBinding[];
  /** Drizzle schema declarations: definitions, not references. */
  drizzle?: DrizzleDefinition[];
  /** Query builders' naming transforms turned on here. */
  naming?: NamingSignal[];
}

/** `import { imported as local } from 'from'`. */
export interface ImportBinding {
  local: string;
  imported: string;
  from: string;
}

/** What a module's top-level `export const` declares, as far as it can be computed without a program. */
export type ExportValue =
  | { t: 'str'; s: string }
  | { t: 'table'; name: string; schema: string | null }
  | { t: 'object'; props: Record<string, ExportValue | null> };

/** Exported constants by name; a name declared or exported more than once is absent (it is not simple). */
export type ModuleExports = Record<string, ExportValue | null>;

/**
 * A project function's name as the walker finds it outside SQL: a string literal whose whole text is the name
 * (`callFunction(sql, 'vtid_next')`), so always between quotes. A name alone would match far more: a function
 * called `get` would make every file and statement that says `.get(` look like a reference.
 */
function quotedFunctionNames(options: Pick<ExtractOptions, 'knownFunctions'>): string[] {
  return (options.knownFunctions ?? []).flatMap((n) => [`'${n}'`, `"${n}"`, `\`${n}\``]);
}

/**
 * Substrings without which a file cannot hold a reference, and the function names it may name in quotes: files
 * with none of them are never parsed (src/code/prefilter.ts searches for them).
 */
export function triggerSubstrings(
  options: Pick<ExtractOptions, 'sqlTags' | 'knownFunctions'>,
): PrefilterSpec {
  const fixed = [
    'from(',
    'from<',
    'rpc(',
    'rpc<',
    '/rest/v1/',
    'query',
    'Raw',
    'selectFrom',
    'insertInto',
    'updateTable',
    'deleteFrom',
    'mergeInto',
    'replaceInto',
    'knex',
    'trx(',
    'trx<',
    'table(',
    'table<',
    'into(',
    'into<',
    'pgTable',
    'pgSchema',
    'pgEnum',
    'pgView',
    'pgMaterializedView',
    'CamelCasePlugin',
    'SnakeCaseMappers',
    'snakeCaseMappers',
    'wrapIdentifier',
    'casing',
    'prisma',
    ...options.sqlTags.map((t) => `${t}\``),
    ...options.sqlTags.map((t) => `${t}<`),
  ];
  return { fixed, quoted: options.knownFunctions ?? [] };
}

/** Static `X.from(…)` on a constructor (`Array`, `Buffer`, `stream.Readable`, `Uint8Array`) is not a table. */
function isConstructorLike(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 65 && c <= 90;
}

/** Own keys only: `'toString' in {}` is true, and `bytes.toString('utf8')` is not a query. */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const SUPABASE_VERBS: Record<string, ReferenceKind> = {
  select: 'read',
  insert: 'write',
  upsert: 'write',
  update: 'write',
  delete: 'write',
};
const KNEX_WRITE = new Set([
  'insert',
  'update',
  'del',
  'delete',
  'truncate',
  'upsert',
  'increment',
  'decrement',
]);
const KNEX_READ_BEFORE = new Set([
  'select',
  'distinct',
  'count',
  'first',
  'pluck',
  'min',
  'max',
  'sum',
  'avg',
]);
const KNEX_ROOTS = new Set(['knex', 'trx']);
const KYSELY: Record<string, ReferenceKind> = {
  selectFrom: 'read',
  insertInto: 'write',
  replaceInto: 'write',
  mergeInto: 'write',
  updateTable: 'write',
  deleteFrom: 'write',
};
const JOINS = new Set([
  'join',
  'innerJoin',
  'leftJoin',
  'rightJoin',
  'fullJoin',
  'crossJoin',
  'leftOuterJoin',
  'rightOuterJoin',
  'fullOuterJoin',
]);
const PRISMA_METHODS: Record<string, ReferenceKind> = {
  findMany: 'read',
  findUnique: 'read',
  findUniqueOrThrow: 'read',
  findFirst: 'read',
  findFirstOrThrow: 'read',
  count: 'read',
  aggregate: 'read',
  groupBy: 'read',
  create: 'write',
  createMany: 'write',
  createManyAndReturn: 'write',
  update: 'write',
  updateMany: 'write',
  updateManyAndReturn: 'write',
  upsert: 'write',
  delete: 'write',
  deleteMany: 'write',
};
const PRISMA_RAW_TAGS = new Set(['$queryRaw', '$executeRaw']);
const PRISMA_RAW_CALLS = new Set(['$queryRawUnsafe', '$executeRawUnsafe']);
const HTTP_KIND: Record<string, ReferenceKind> = {
  GET: 'read',
  HEAD: 'read',
  POST: 'write',
  PUT: 'write',
  PATCH: 'write',
  DELETE: 'write',
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * Drizzle's declaring functions, and the same declarations as methods of a `pgSchema('s')` object (its `.table`
 * goes through tableOrIntoSite, which tells it from Knex's `.table`).
 */
const DRIZZLE_FUNCTIONS: Record<string, DrizzleDefinition['kind']> = {
  pgTable: 'table',
  pgView: 'view',
  pgMaterializedView: 'materialized-view',
  pgEnum: 'enum',
};
const DRIZZLE_SCHEMA_METHODS: Record<string, DrizzleDefinition['kind']> = {
  view: 'view',
  materializedView: 'materialized-view',
  enum: 'enum',
};

/** `t`, `s.t`, `t as a`, `"VtidLedger"` → name and schema; null for text that is not a table name. */
export function parseTableSpec(spec: string): { name: string; schema: string | null } | null {
  const bare = spec.trim().replace(/\s+as\s+[A-Za-z_][\w$]*$/i, '');
  const parts = bare
    .split('.')
    .map((p) => (p.length > 1 && p.startsWith('"') && p.endsWith('"') ? p.slice(1, -1) : p));
  if (parts.length > 2 || parts.some((p) => !IDENT.test(p))) return null;
  return parts.length === 2
    ? { schema: parts[0] ?? null, name: parts[1] ?? '' }
    : { schema: null, name: bare };
}

/** A value the file alone could compute for an expression. */
type Val =
  | { t: 'str'; s: string; node: Node }
  | { t: 'table'; name: string; schema: string | null }
  | { t: 'schema'; schema: string }
  | { t: 'object'; node: TS.ObjectLiteralExpression }
  | { t: 'pending'; node: Expression }
  | { t: 'dynamic' }
  | { t: 'none' };

interface Binding {
  count: number;
  /** Initializer of the single `const` declaration, when that is what the name is. */
  init: Expression | null;
  imported: boolean;
}

class FileWalker {
  readonly out: FileScan = { references: [], unresolved: [], pending: [] };
  private readonly bindings = new Map<string, Binding>();
  private readonly sites: (() => void)[] = [];
  private readonly sqlJobs: {
    sql: string;
    map: (i: number) => number;
    via: ReferenceVia;
    at: Node;
    dynamic: boolean;
  }[] = [];

  private readonly knownFunctions: Set<string>;
  private readonly importDecls: Node[] = [];

  constructor(
    private readonly sf: TS.SourceFile,
    private readonly file: string,
    private readonly options: ExtractOptions,
    /** When `sf` holds only some statements of the file: where its positions are in the file. */
    private readonly origin?: Origin,
  ) {
    this.knownFunctions = new Set(options.knownFunctions ?? []);
  }

  /** 0-based line and character in the file of a position in `sf`. */
  private lineCol(pos: number): { line: number; character: number } {
    return this.origin ? this.origin.lineCol(pos) : this.sf.getLineAndCharacterOfPosition(pos);
  }

  run(): void {
    // Parents are set here, in the one walk, rather than by the parser in a walk of its own.
    let parent: Node | undefined;
    const visit = (node: Node): void => {
      (node as { parent: Node | undefined }).parent = parent;
      this.visitNode(node);
      const saved = parent;
      parent = node;
      forEachChild(node, visit);
      parent = saved;
    };
    visit(this.sf);
    for (const site of this.sites) site();
    if (this.out.pending.length > 0) {
      this.out.imports = this.importDecls
        .map((d) => this.sf.text.slice(d.getStart(this.sf), d.end))
        .join('\n');
      this.out.importBindings = importBindings(this.importDecls);
    }
  }

  async finishSql(): Promise<void> {
    if (this.sqlJobs.length === 0) return;
    await loadSqlParser();
    for (const job of this.sqlJobs) {
      const scan = scanSqlText(job.sql);
      if (!scan) {
        if (job.dynamic) this.unresolved(job.at, job.via);
        continue;
      }
      this.addSqlScan(scan, job.map, job.via);
    }
  }

  /** `callFunction(sql, 'vtid_get')`: a project function named as a string argument (not `.rpc`, seen already). */
  private functionNameArgument(node: TS.StringLiteral | TS.NoSubstitutionTemplateLiteral): void {
    const call = node.parent;
    if (!call || !ts.isCallExpression(call) || !call.arguments.some((a) => a === node)) return;
    if (ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'rpc') return;
    this.ref(node, node.text, null, 'function', 'unknown', 'function-name');
  }

  private addSqlScan(scan: SqlScan, map: (i: number) => number, via: ReferenceVia): void {
    for (const c of scan.calls) {
      if (!this.knownFunctions.has(c.name)) continue;
      const { line, character } = this.lineCol(map(c.index));
      this.out.references.push({
        name: c.name,
        schema: c.schema,
        target: 'function',
        kind: 'unknown',
        via,
        file: this.file,
        line: line + 1,
        column: character + 1,
      });
    }
    for (const r of scan.relations) {
      const { line, character } = this.lineCol(map(r.index));
      this.out.references.push({
        name: r.name,
        schema: r.schema,
        target: 'table',
        kind: r.kind,
        via,
        file: this.file,
        line: line + 1,
        column: character + 1,
      });
    }
  }

  private pos(node: Node): { line: number; column: number } {
    const { line, character } = this.lineCol(node.getStart(this.sf));
    return { line: line + 1, column: character + 1 };
  }

  private ref(
    at: Node,
    name: string,
    schema: string | null,
    target: TableReference['target'],
    kind: ReferenceKind,
    via: ReferenceVia,
  ): void {
    this.out.references.push({ name, schema, target, kind, via, file: this.file, ...this.pos(at) });
  }

  private naming(at: Node, library: NamingSignal['library'], marker: string): void {
    this.out.naming ??= [];
    this.out.naming.push({ library, marker, file: this.file, ...this.pos(at) });
  }

  private unresolved(at: Node, via: ReferenceVia): void {
    this.out.unresolved.push({ file: this.file, ...this.pos(at), via });
  }

  private pending(
    node: Expression,
    role: PendingName['role'],
    via: ReferenceVia,
    kind: ReferenceKind,
    schema: string | null,
  ): void {
    let root: Expression = node;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = root.expression;
    const imported = ts.isIdentifier(root) && this.lookup(root.text)?.imported === true;
    const start = node.getStart(this.sf);
    this.out.pending.push({
      start: this.origin ? this.origin.offset(start) : start,
      end: this.origin ? this.origin.offset(node.end) : node.end,
      ...this.pos(node),
      role,
      via,
      kind,
      schema,
      text: this.sf.text.slice(start, node.end),
      imported,
    });
  }

  /** Names whose bindings the file's references depend on: a partial parse must hold every declaration of them. */
  readonly lookedUp = new Set<string>();

  private lookup(name: string): Binding | undefined {
    this.lookedUp.add(name);
    return this.bindings.get(name);
  }

  private bind(
    name: TS.BindingName | TS.Identifier | undefined,
    init: Expression | null,
    imported = false,
  ): void {
    if (!name || !ts.isIdentifier(name)) return;
    const b = this.bindings.get(name.text);
    if (b) {
      b.count++;
      b.init = null;
      b.imported = false;
    } else this.bindings.set(name.text, { count: 1, init, imported });
  }

  private visitNode(node: Node): void {
    switch (node.kind) {
      case SK.VariableDeclaration: {
        const d = node as TS.VariableDeclaration;
        const isConst = (d.parent.flags & ts.NodeFlags.Const) !== 0;
        this.bind(d.name, isConst && d.initializer ? d.initializer : null);
        return;
      }
      case SK.Parameter:
      case SK.BindingElement:
      case SK.FunctionDeclaration:
      case SK.ClassDeclaration:
      case SK.EnumDeclaration:
        this.bind((node as TS.NamedDeclaration).name as TS.Identifier | undefined, null);
        return;
      case SK.ImportDeclaration:
        this.importDecls.push(node);
        return;
      case SK.ImportSpecifier:
      case SK.ImportClause:
      case SK.NamespaceImport:
      case SK.ImportEqualsDeclaration:
        this.bind((node as TS.ImportSpecifier).name, null, true);
        return;
      case SK.CallExpression:
        this.visitCall(node as TS.CallExpression);
        return;
      case SK.NewExpression: {
        const callee = (node as TS.NewExpression).expression;
        if (lastName(callee) === 'CamelCasePlugin') this.naming(node, 'kysely', 'CamelCasePlugin');
        return;
      }
      case SK.PropertyAssignment:
      case SK.MethodDeclaration: {
        // knex({ wrapIdentifier: (v, orig) => orig(snakeCase(v)) }): a hand-written snake-casing mapper.
        const d = node as TS.PropertyAssignment | TS.MethodDeclaration;
        if (
          ts.isIdentifier(d.name) &&
          d.name.text === 'wrapIdentifier' &&
          /snake|underscore|decamel/i.test(this.sf.text.slice(d.getStart(this.sf), d.end))
        ) {
          this.naming(d.name, 'knex', 'wrapIdentifier');
        }
        return;
      }
      case SK.TaggedTemplateExpression:
        this.visitTagged(node as TS.TaggedTemplateExpression);
        return;
      case SK.StringLiteral:
      case SK.NoSubstitutionTemplateLiteral:
        if (this.knownFunctions.has((node as TS.StringLiteral).text)) {
          this.functionNameArgument(node as TS.StringLiteral);
        }
        if (
          (node as TS.StringLiteral).text.includes('/rest/v1/') &&
          node.parent?.kind !== SK.TaggedTemplateExpression
        ) {
          this.sites.push(() => this.visitUrl(node as TS.StringLiteral));
        }
        return;
      case SK.TemplateExpression: {
        const t = node as TS.TemplateExpression;
        if (
          node.parent?.kind !== SK.TaggedTemplateExpression &&
          (t.head.text.includes('/rest/v1/') ||
            t.templateSpans.some((s) => s.literal.text.includes('/rest/v1/')))
        ) {
          this.sites.push(() => this.visitUrl(t));
        }
        return;
      }
    }
  }

  // ---- values -------------------------------------------------------------------------------------------

  private evaluate(expr: Expression, depth = 0): Val {
    if (depth > 8) return { t: 'dynamic' };
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr))
      return { t: 'str', s: expr.text, node: expr };
    if (isWrapper(expr)) return this.evaluate(expr.expression, depth + 1);
    if (ts.isIdentifier(expr)) {
      const b = this.lookup(expr.text);
      if (!b) return { t: 'dynamic' };
      if (b.count > 1 || b.imported) return { t: 'pending', node: expr };
      if (!b.init) return { t: 'dynamic' };
      const v = this.evaluate(b.init, depth + 1);
      // A string that came from a constant is reported where it is used, not where it was declared.
      return v.t === 'str' ? { ...v, node: expr } : v;
    }
    if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) {
      const key = ts.isPropertyAccessExpression(expr)
        ? expr.name.text
        : ts.isStringLiteral(expr.argumentExpression)
          ? expr.argumentExpression.text
          : null;
      if (key === null) return { t: 'dynamic' };
      const obj = this.evaluate(expr.expression, depth + 1);
      if (obj.t === 'pending') return { t: 'pending', node: expr };
      if (obj.t !== 'object') return { t: 'dynamic' };
      for (const p of obj.node.properties) {
        if (ts.isPropertyAssignment(p) && propertyName(p.name) === key) {
          const v = this.evaluate(p.initializer, depth + 1);
          return v.t === 'str' ? { ...v, node: expr } : v;
        }
      }
      return { t: 'dynamic' };
    }
    if (ts.isObjectLiteralExpression(expr)) return { t: 'object', node: expr };
    if (ts.isTemplateExpression(expr)) {
      let s = expr.head.text;
      for (const span of expr.templateSpans) {
        const v = this.evaluate(span.expression, depth + 1);
        if (v.t !== 'str') return v.t === 'pending' ? { t: 'pending', node: expr } : { t: 'dynamic' };
        s += v.s + span.literal.text;
      }
      return { t: 'str', s, node: expr };
    }
    if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === SK.PlusToken) {
      const l = this.evaluate(expr.left, depth + 1);
      const r = this.evaluate(expr.right, depth + 1);
      if (l.t === 'str' && r.t === 'str') return { t: 'str', s: l.s + r.s, node: expr };
      return l.t === 'pending' || r.t === 'pending' ? { t: 'pending', node: expr } : { t: 'dynamic' };
    }
    if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression)) {
      const callee = expr.expression.text;
      const arg = expr.arguments[0];
      if ((callee === 'pgTable' || callee === 'pgSchema') && arg) {
        const v = this.evaluate(arg, depth + 1);
        if (v.t !== 'str') return { t: 'dynamic' };
        if (callee === 'pgSchema') return { t: 'schema', schema: v.s };
        const spec = parseTableSpec(v.s);
        return spec ? { t: 'table', ...spec } : { t: 'dynamic' };
      }
    }
    // pgSchema('s').table('t', …), or a constant holding pgSchema('s'): a table object in schema s.
    if (
      ts.isCallExpression(expr) &&
      ts.isPropertyAccessExpression(expr.expression) &&
      expr.expression.name.text === 'table' &&
      expr.arguments[0]
    ) {
      const receiver = expr.expression.expression;
      const schema =
        ts.isCallExpression(receiver) || ts.isIdentifier(receiver)
          ? this.evaluate(receiver, depth + 1)
          : null;
      const v = schema?.t === 'schema' ? this.evaluate(expr.arguments[0], depth + 1) : null;
      if (schema?.t === 'schema' && v?.t === 'str') return { t: 'table', name: v.s, schema: schema.schema };
    }
    if (ts.isArrayLiteralExpression(expr) || ts.isNumericLiteral(expr) || ts.isArrowFunction(expr))
      return { t: 'none' };
    return { t: 'dynamic' };
  }

  /** Reports a table/function named by `arg` (a literal, a constant, or a table object). */
  private nameSite(
    arg: Expression,
    target: 'table' | 'function',
    kind: ReferenceKind,
    via: ReferenceVia,
    schema: string | null,
    countDynamic: boolean,
  ): void {
    const v = this.evaluate(arg);
    if (v.t === 'str') {
      const spec =
        target === 'table' ? parseTableSpec(v.s) : IDENT.test(v.s) ? { name: v.s, schema: null } : null;
      if (spec) this.ref(v.node, spec.name, spec.schema ?? schema, target, kind, via);
    } else if (v.t === 'table' && target === 'table') {
      this.ref(arg, v.name, v.schema ?? schema, target, kind, 'drizzle');
    } else if (v.t === 'pending') {
      this.pending(v.node, target, via, kind, schema);
    } else if (v.t === 'dynamic' && countDynamic) {
      this.unresolved(arg, via);
    }
  }

  // ---- calls --------------------------------------------------------------------------------------------

  private visitCall(call: TS.CallExpression): void {
    const callee = call.expression;
    const arg = call.arguments[0];
    if (ts.isIdentifier(callee)) {
      const name = callee.text;
      if (name === 'knexSnakeCaseMappers') this.naming(callee, 'knex', name);
      // objection's snakeCaseMappers() spread into the knex config maps every identifier; returned from a
      // model's columnNameMappers it maps that model's columns only, not table names.
      else if (name === 'snakeCaseMappers' && call.parent && ts.isSpreadAssignment(call.parent)) {
        this.naming(callee, 'knex', name);
      } else if (
        (name === 'drizzle' || name === 'defineConfig') &&
        call.arguments.some((a) => isSnakeCasing(ts, a))
      ) {
        this.naming(callee, 'drizzle', 'casing');
      }
      if (!arg) return;
      const declares = own(DRIZZLE_FUNCTIONS, name);
      if (declares) {
        this.sites.push(() => this.drizzleSite(call, declares, null));
      } else if (KNEX_ROOTS.has(name)) {
        this.sites.push(() => this.nameSite(arg, 'table', knexKind(call), 'knex', null, true));
      }
      return;
    }
    if (!ts.isPropertyAccessExpression(callee)) return;
    const method = callee.name.text;
    const receiver = callee.expression;
    if (method === 'from') {
      if (!arg || isConstructorLike(lastName(receiver))) return;
      // supabase.storage.from('avatars') names a storage bucket, not a table.
      if (lastName(receiver) === 'storage') this.sites.push(() => this.bucketSite(arg));
      else this.sites.push(() => this.fromSite(call, receiver, arg));
    } else if (method === 'rpc') {
      if (!arg || isConstructorLike(lastName(receiver))) return;
      const schema = schemaCall(receiver);
      this.sites.push(() => this.nameSite(arg, 'function', 'unknown', 'supabase-rpc', schema, true));
    } else if (own(KYSELY, method)) {
      if (!arg) return;
      const kind = own(KYSELY, method) as ReferenceKind;
      this.sites.push(() => this.kyselySite(arg, kind));
    } else if (JOINS.has(method)) {
      if (!arg) return;
      // After the walk: the chain below is only linked to its parents once the walk has been through it.
      this.sites.push(() => {
        const chain = chainBefore(receiver);
        if (chain.methods.some((m) => own(KYSELY, m))) this.kyselySite(arg, 'read');
        else if (isKnexChain(chain)) this.nameSite(arg, 'table', 'read', 'knex', null, false);
      });
    } else if (method === 'table' || method === 'into') {
      if (!arg) return;
      this.sites.push(() => this.tableOrIntoSite(call, method, receiver, arg));
    } else if (own(DRIZZLE_SCHEMA_METHODS, method)) {
      if (!arg || !(ts.isCallExpression(receiver) || ts.isIdentifier(receiver))) return;
      const declares = own(DRIZZLE_SCHEMA_METHODS, method) as DrizzleDefinition['kind'];
      this.sites.push(() => {
        const v = this.evaluate(receiver);
        if (v.t === 'schema') this.drizzleSite(call, declares, v.schema);
      });
    } else if (method === 'query' || PRISMA_RAW_CALLS.has(method)) {
      if (!arg) return;
      this.sites.push(() => this.querySite(arg, 'sql-query'));
    } else if (own(PRISMA_METHODS, method) && ts.isPropertyAccessExpression(receiver)) {
      const kind = own(PRISMA_METHODS, method) as ReferenceKind;
      this.sites.push(() => this.prismaSite(receiver, kind));
    }
  }

  private fromSite(call: TS.CallExpression, receiver: Expression, arg: Expression): void {
    const before = chainBefore(receiver);
    const after = chainAfter(call);
    const knex = isKnexChain(before) || before.methods.some((m) => KNEX_READ_BEFORE.has(m));
    if (knex) {
      this.nameSite(arg, 'table', knexKind(call), 'knex', null, true);
      return;
    }
    const verb = after.find((m) => own(SUPABASE_VERBS, m));
    const kind: ReferenceKind = verb ? (own(SUPABASE_VERBS, verb) as ReferenceKind) : 'unknown';
    const clientLike =
      verb !== undefined ||
      before.methods.includes('schema') ||
      /supabase|client|db|sb|postgrest/i.test(before.rootName);
    this.nameSite(arg, 'table', kind, 'supabase-from', schemaCall(receiver), clientLike);
  }

  /** A bucket named by a literal or a constant of the file; other names are not followed (nothing to count). */
  private bucketSite(arg: Expression): void {
    const v = this.evaluate(arg);
    if (v.t === 'str' && v.s !== '') this.ref(v.node, v.s, null, 'bucket', 'unknown', 'supabase-storage');
  }

  private kyselySite(arg: Expression, kind: ReferenceKind): void {
    if (ts.isArrayLiteralExpression(arg)) {
      for (const el of arg.elements) this.nameSite(el, 'table', kind, 'kysely', null, true);
      return;
    }
    this.nameSite(arg, 'table', kind, 'kysely', null, true);
  }

  private tableOrIntoSite(
    call: TS.CallExpression,
    method: string,
    receiver: Expression,
    arg: Expression,
  ): void {
    // Drizzle: pgSchema('s').table('t', {...}), or a constant holding pgSchema('s'): a definition.
    const schemaVal =
      ts.isCallExpression(receiver) || ts.isIdentifier(receiver) ? this.evaluate(receiver) : null;
    if (method === 'table' && schemaVal?.t === 'schema') {
      this.drizzleSite(call, 'table', schemaVal.schema);
      return;
    }
    const chain = chainBefore(receiver);
    if (!isKnexChain(chain)) return;
    this.nameSite(arg, 'table', method === 'into' ? 'write' : knexKind(call), 'knex', null, true);
  }

  /**
   * `pgTable('t', { … })` and its kin declare an object of the database: recorded as a definition (with the
   * columns the builders name), never as a use of it. A name the file cannot compute is left out.
   */
  private drizzleSite(call: TS.CallExpression, kind: DrizzleDefinition['kind'], schema: string | null): void {
    const nameArg = call.arguments[0];
    const v = nameArg ? this.evaluate(nameArg) : null;
    if (!nameArg || v?.t !== 'str') return;
    const helpers: Helpers = {
      ts,
      sf: this.sf,
      pos: (n) => this.pos(n),
      evaluate: (e) => {
        const x = this.evaluate(e);
        return x.t === 'str' ? { t: 'str', s: x.s } : x.t === 'table' ? x : null;
      },
      binding: (name) => {
        const b = this.lookup(name);
        return b && b.count === 1 ? b.init : null;
      },
    };
    this.out.drizzle ??= [];
    this.out.drizzle.push({
      kind,
      name: v.s,
      schema,
      columns: kind === 'table' || kind === 'view' ? drizzleColumns(call.arguments[1], helpers) : [],
      values: kind === 'enum' ? drizzleEnumValues(call.arguments[1], helpers) : [],
      file: this.file,
      ...this.pos(nameArg),
    });
  }

  private prismaSite(receiver: TS.PropertyAccessExpression, kind: ReferenceKind): void {
    const accessor = receiver.name.text;
    const model = this.options.prismaAccessors[accessor];
    if (model) {
      this.ref(receiver.name, model.table, model.schema, 'table', kind, 'prisma-accessor');
    } else if (/prisma/i.test(lastName(receiver.expression)) && !accessor.startsWith('$')) {
      this.unresolved(receiver.name, 'prisma-accessor');
    }
  }

  // ---- SQL ----------------------------------------------------------------------------------------------

  private visitTagged(node: TS.TaggedTemplateExpression): void {
    const tag = node.tag;
    const tagName = ts.isIdentifier(tag)
      ? tag.text
      : ts.isPropertyAccessExpression(tag)
        ? tag.name.text
        : null;
    if (tagName === null) return;
    if (!this.options.sqlTags.includes(tagName) && !PRISMA_RAW_TAGS.has(tagName)) return;
    this.sites.push(() => this.templateSql(node.template, 'sql-tag', true));
  }

  /**
   * SQL of a template literal with positions kept: literal parts are taken raw from the source (so an index in
   * the SQL maps to one in the file); each interpolation becomes a placeholder `$n`, or — for `sql(name)`
   * identifier helpers and, outside tagged templates, constants — the name itself.
   */
  private templateSql(tpl: TS.TemplateLiteral, via: ReferenceVia, tagged: boolean): void {
    const text = this.sf.text;
    const segs: { sqlAt: number; srcAt: number }[] = [];
    let sql = '';
    let dynamic = false;
    const addRaw = (from: number, to: number) => {
      segs.push({ sqlAt: sql.length, srcAt: from });
      sql += text.slice(from, to);
    };
    if (ts.isNoSubstitutionTemplateLiteral(tpl)) {
      addRaw(tpl.getStart(this.sf) + 1, tpl.end - 1);
    } else {
      addRaw(tpl.head.getStart(this.sf) + 1, tpl.head.end - 2);
      tpl.templateSpans.forEach((span, i) => {
        const e = span.expression;
        let inner: string | null = null;
        if (tagged && ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.arguments.length === 1) {
          const v = this.evaluate(e.arguments[0] as Expression);
          if (v.t === 'str' && IDENT.test(v.s)) inner = `"${v.s}"`;
          else dynamic = true;
        } else if (!tagged) {
          const v = this.evaluate(e);
          if (v.t === 'str') inner = v.s;
          else dynamic = true;
        }
        // Keeps the SQL the same length as the source where possible, so positions after it stay close.
        segs.push({ sqlAt: sql.length, srcAt: e.getStart(this.sf) });
        sql += inner ?? `$${i + 1}`;
        const lit = span.literal;
        addRaw(lit.getStart(this.sf) + 1, lit.end - (ts.isTemplateTail(lit) ? 1 : 2));
      });
    }
    const map = (i: number): number => {
      let seg = segs[0] ?? { sqlAt: 0, srcAt: tpl.getStart(this.sf) };
      for (const s of segs) {
        if (s.sqlAt <= i) seg = s;
        else break;
      }
      return seg.srcAt + (i - seg.sqlAt);
    };
    this.sqlJobs.push({ sql, map, via, at: tpl, dynamic });
  }

  /** `.query('…')`, `.query(SQL)`, `.query({ text })`, `$queryRawUnsafe('…')`. */
  private querySite(arg: Expression, via: ReferenceVia): void {
    let e: Expression = arg;
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) e = e.expression;
    if (ts.isObjectLiteralExpression(e)) {
      const text = e.properties.find(
        (p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === 'text',
      );
      if (!text) return;
      e = text.initializer;
    }
    if (ts.isTemplateExpression(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
      this.templateSql(e, via, false);
      return;
    }
    if (ts.isStringLiteral(e)) {
      const start = e.getStart(this.sf) + 1;
      this.sqlJobs.push({ sql: e.text, map: (i) => start + i, via, at: e, dynamic: false });
      return;
    }
    const v = this.evaluate(e);
    if (v.t === 'str') {
      const at = e.getStart(this.sf);
      this.sqlJobs.push({ sql: v.s, map: () => at, via, at: e, dynamic: false });
    } else if (v.t === 'pending') {
      this.pending(v.node, 'sql', via, 'unknown', null);
    }
    // Anything else handed to a `.query()` is not necessarily SQL (a GraphQL client, a DOM helper): not counted.
  }

  // ---- PostgREST URLs -----------------------------------------------------------------------------------

  private visitUrl(node: TS.StringLiteral | TS.NoSubstitutionTemplateLiteral | TS.TemplateExpression): void {
    // Pieces of the URL: literal text, or an interpolated expression.
    const pieces: ({ s: string } | { e: Expression })[] = [];
    if (ts.isTemplateExpression(node)) {
      pieces.push({ s: node.head.text });
      for (const span of node.templateSpans) pieces.push({ e: span.expression }, { s: span.literal.text });
    } else {
      pieces.push({ s: node.text });
      // '/rest/v1/' + table
      const p = node.parent;
      if (p && ts.isBinaryExpression(p) && p.left === node && p.operatorToken.kind === SK.PlusToken) {
        pieces.push({ e: p.right });
      }
    }
    const method = httpKind(node);
    let pi = pieces.findIndex((p) => 's' in p && p.s.includes('/rest/v1/'));
    if (pi < 0) return;
    const first = pieces[pi] as { s: string };
    let offset = first.s.indexOf('/rest/v1/') + '/rest/v1/'.length;
    // Reads one path segment starting at (pi, offset): its text, or a single interpolated expression.
    const segment = (): { text: string } | { expr: Expression } | { dynamic: true } | null => {
      let text = '';
      let expr: Expression | null = null;
      let mixed = false;
      while (pi < pieces.length) {
        const p = pieces[pi] as { s: string } | { e: Expression };
        if ('s' in p) {
          const rest = p.s.slice(offset);
          const stop = rest.search(/[/?#]/);
          if (stop >= 0) {
            text += rest.slice(0, stop);
            offset += stop + 1;
            if (expr && text) mixed = true;
            break;
          }
          text += rest;
          if (expr && rest) mixed = true;
          pi++;
          offset = 0;
        } else {
          const v = this.evaluate(p.e);
          if (v.t === 'str') text += v.s;
          else if (expr || text) mixed = true;
          else expr = p.e;
          pi++;
          offset = 0;
        }
      }
      if (mixed) return { dynamic: true };
      if (expr) return { expr };
      return text ? { text } : null;
    };
    const seg = segment();
    if (!seg) return;
    let target: 'table' | 'function' = 'table';
    let name = seg;
    if ('text' in seg && seg.text === 'rpc') {
      const fn = segment();
      if (!fn) return;
      target = 'function';
      name = fn;
    }
    if ('dynamic' in name) this.unresolved(node, 'postgrest-url');
    else if ('expr' in name) this.nameSite(name.expr, target, method, 'postgrest-url', null, true);
    else if (IDENT.test(name.text)) this.ref(node, name.text, null, target, method, 'postgrest-url');
  }
}

function propertyName(name: TS.PropertyName): string | null {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : null;
}

/** The last identifier of `a.b.C` (or of `a.b.c()`), '' for anything else. */
function lastName(e: Expression): string {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (e.kind === SK.ThisKeyword) return 'this';
  return '';
}

/** Methods called before this point of a builder chain (nearest first) and the chain's root name. */
function chainBefore(e: Expression): { methods: string[]; rootName: string } {
  const methods: string[] = [];
  let cur: Expression = e;
  for (;;) {
    if (ts.isCallExpression(cur)) cur = cur.expression;
    else if (ts.isPropertyAccessExpression(cur)) {
      if (ts.isCallExpression(cur.parent) && cur.parent.expression === cur) methods.push(cur.name.text);
      if (!ts.isCallExpression(cur.expression) && !ts.isPropertyAccessExpression(cur.expression)) {
        return { methods, rootName: `${lastName(cur.expression)}.${cur.name.text}` };
      }
      cur = cur.expression;
    } else if (
      ts.isParenthesizedExpression(cur) ||
      ts.isNonNullExpression(cur) ||
      ts.isAwaitExpression(cur)
    ) {
      cur = cur.expression;
    } else return { methods, rootName: lastName(cur) };
  }
}

/** Methods called after this call in its builder chain, in order. */
function chainAfter(call: TS.CallExpression): string[] {
  const methods: string[] = [];
  let cur: Node = call;
  for (;;) {
    const p: Node | undefined = cur.parent;
    if (!p || !ts.isPropertyAccessExpression(p) || p.expression !== cur) return methods;
    const c: Node | undefined = p.parent;
    if (!c || !ts.isCallExpression(c) || c.expression !== p) return methods;
    methods.push(p.name.text);
    cur = c;
  }
}

function isKnexChain(chain: { methods: string[]; rootName: string }): boolean {
  const root = chain.rootName.toLowerCase();
  return root.includes('knex') || root.split('.').some((r) => KNEX_ROOTS.has(r));
}

/** Knex queries read unless the chain says otherwise. */
function knexKind(call: TS.CallExpression): ReferenceKind {
  const all = [...chainAfter(call), ...chainBefore(call.expression).methods];
  return all.some((m) => KNEX_WRITE.has(m)) ? 'write' : 'read';
}

/** Schema of `client.schema('s').from(…)`. */
function schemaCall(receiver: Expression): string | null {
  if (
    ts.isCallExpression(receiver) &&
    ts.isPropertyAccessExpression(receiver.expression) &&
    receiver.expression.name.text === 'schema'
  ) {
    const a = receiver.arguments[0];
    if (a && (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a))) return a.text;
  }
  return null;
}

/** Read or write from the fetch-like call a PostgREST URL is passed to; unknown when it cannot be told. */
function httpKind(node: Node): ReferenceKind {
  let cur: Node = node;
  while (cur.parent && (ts.isBinaryExpression(cur.parent) || ts.isParenthesizedExpression(cur.parent))) {
    cur = cur.parent;
  }
  const call = cur.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== cur) return 'unknown';
  const callee = call.expression;
  const name = lastName(callee);
  if (ts.isPropertyAccessExpression(callee)) {
    const m = own(HTTP_KIND, name.toUpperCase());
    if (m) return m;
  }
  if (name !== 'fetch') return 'unknown';
  const init = call.arguments[1];
  if (!init) return 'read';
  if (!ts.isObjectLiteralExpression(init)) return 'unknown';
  const method = init.properties.find(
    (p) =>
      (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) &&
      propertyName(p.name) === 'method',
  );
  if (!method) return init.properties.some((p) => ts.isSpreadAssignment(p)) ? 'unknown' : 'read';
  if (!ts.isPropertyAssignment(method)) return 'unknown';
  const v = method.initializer;
  if (!ts.isStringLiteral(v) && !ts.isNoSubstitutionTemplateLiteral(v)) return 'unknown';
  return own(HTTP_KIND, v.text.toUpperCase()) ?? 'unknown';
}

function importBindings(decls: Node[]): ImportBinding[] {
  const out: ImportBinding[] = [];
  for (const d of decls) {
    if (!ts.isImportDeclaration(d) || !ts.isStringLiteral(d.moduleSpecifier)) continue;
    const clause = d.importClause;
    const named = clause?.namedBindings;
    if (!clause || clause.isTypeOnly || !named || !ts.isNamedImports(named)) continue;
    for (const el of named.elements) {
      if (el.isTypeOnly) continue;
      out.push({
        local: el.name.text,
        imported: (el.propertyName ?? el.name).text,
        from: d.moduleSpecifier.text,
      });
    }
  }
  return out;
}

/** `(x)`, `x as T`, `x satisfies T`, `x!`, `<T>x`: the value is the inner expression's. */
function isWrapper(
  expr: Expression,
): expr is
  | TS.ParenthesizedExpression
  | TS.AsExpression
  | TS.SatisfiesExpression
  | TS.NonNullExpression
  | TS.TypeAssertion {
  return (
    ts.isParenthesizedExpression(expr) ||
    ts.isAsExpression(expr) ||
    ts.isSatisfiesExpression(expr) ||
    ts.isNonNullExpression(expr) ||
    ts.isTypeAssertionExpression(expr)
  );
}

/**
 * A constant's value the way resolve-names.ts's evaluate() computes it through ts-morph, for what needs no
 * symbol: literals, templates and `+` of literals, `pgTable('t', …)`, object literals of those, through `as`,
 * `satisfies`, `!` and parentheses. Null for anything else.
 */
function exportValue(expr: Expression, depth = 0): ExportValue | null {
  if (depth > 10) return null;
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return { t: 'str', s: expr.text };
  if (isWrapper(expr)) return exportValue(expr.expression, depth + 1);
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === SK.PlusToken) {
    const l = exportValue(expr.left, depth + 1);
    const r = exportValue(expr.right, depth + 1);
    return l?.t === 'str' && r?.t === 'str' ? { t: 'str', s: l.s + r.s } : null;
  }
  if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression) && expr.expression.text === 'pgTable') {
    const arg = expr.arguments[0];
    const v = arg ? exportValue(arg, depth + 1) : null;
    return v?.t === 'str' ? { t: 'table', name: v.s, schema: null } : null;
  }
  if (ts.isObjectLiteralExpression(expr)) {
    const props: Record<string, ExportValue | null> = {};
    const seen = new Set<string>();
    for (const p of expr.properties) {
      const key = ts.isPropertyAssignment(p) ? propertyName(p.name) : null;
      // A spread, a method or a computed key: which property a name means takes a program to tell.
      if (key === null || !ts.isPropertyAssignment(p)) return null;
      props[key] = seen.has(key) ? null : exportValue(p.initializer, depth + 1);
      seen.add(key);
    }
    return { t: 'object', props };
  }
  return null;
}

/**
 * The `export const` values of a module's top level, for resolving names other files import from it. Only names
 * declared once at the top level and exported by their declaration alone are given; others are left to ts-morph.
 */
export async function extractExports(file: string, text: string): Promise<ModuleExports> {
  await loadTs();
  const sf = ts.createSourceFile(
    file,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false,
    file.endsWith('.tsx') || file.endsWith('.jsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const declared = new Map<string, number>();
  const count = (name: string) => declared.set(name, (declared.get(name) ?? 0) + 1);
  const values: ModuleExports = {};
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) {
      const exported = st.modifiers?.some((m) => m.kind === SK.ExportKeyword) === true;
      const isConst = (st.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        count(d.name.text);
        if (exported && isConst && d.initializer) values[d.name.text] = exportValue(d.initializer);
      }
    } else if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) count(el.name.text);
    } else if (
      // A type or interface of the same name merges with the constant: ts-morph then finds two declarations.
      (ts.isFunctionDeclaration(st) ||
        ts.isClassDeclaration(st) ||
        ts.isEnumDeclaration(st) ||
        ts.isModuleDeclaration(st) ||
        ts.isTypeAliasDeclaration(st) ||
        ts.isInterfaceDeclaration(st)) &&
      st.name &&
      ts.isIdentifier(st.name)
    ) {
      count(st.name.text);
    }
  }
  for (const [name, n] of declared) if (n > 1) delete values[name];
  return values;
}

/** Below this size a file is parsed whole: cutting it up would save less than it costs. */
const PARTIAL_MIN_CHARS = 4096;

function parseFile(file: string, text: string): TS.SourceFile {
  const kind = file.endsWith('.tsx') || file.endsWith('.jsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  // JSDoc is never a reference: not parsing it saves a good part of the parse.
  return ts.createSourceFile(
    file,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false,
    kind,
  );
}

const chunkMarkerCache = new WeakMap<ExtractOptions, RegExp[]>();

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * What marks a statement that can hold a reference. Wider than the file prefilter's substrings, because within a
 * file that passed it, the walker finds calls by name however they are written: `db.from<Row>('t')`,
 * `trx <Row>('t')`, a client called `myPrisma`. So: each method and function name the walker acts on as a whole
 * word, `prisma` in any case, the SQL tags, the Prisma accessors, the project's function names between quotes
 * and `/rest/v1/`.
 */
function chunkMarkers(options: ExtractOptions): RegExp[] {
  let markers = chunkMarkerCache.get(options);
  if (!markers) {
    const words = [
      'from',
      'rpc',
      'query',
      'table',
      'into',
      'pgTable',
      'pgSchema',
      'pgEnum',
      'pgView',
      'pgMaterializedView',
      'materializedView',
      'CamelCasePlugin',
      'knexSnakeCaseMappers',
      'snakeCaseMappers',
      'wrapIdentifier',
      'casing',
      ...KNEX_ROOTS,
      ...Object.keys(KYSELY),
      ...options.sqlTags,
      ...Object.keys(options.prismaAccessors),
    ];
    const substrings = [
      '/rest/v1/',
      '$queryRaw',
      '$executeRaw',
      '.enum(',
      '.view(',
      ...quotedFunctionNames(options),
    ];
    markers = [
      // Not a lookbehind for the word's start: consuming the character before is four times faster here.
      new RegExp(`(?:^|[^\\w$])(?:${[...new Set(words)].map(escapeRegExp).join('|')})(?![\\w$])`, 'g'),
      new RegExp([...new Set(substrings)].map(escapeRegExp).join('|'), 'g'),
      /prisma/gi,
    ];
    chunkMarkerCache.set(options, markers);
  }
  return markers;
}

/** Marks the chunks holding a match of `re` (a global regular expression). */
function markChunksMatching(text: string, chunks: Chunk[], keep: boolean[], re: RegExp): void {
  let k = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    // The match's last character: a match may begin with the character before a word.
    const at = m.index + Math.max(0, m[0].length - 1);
    while (k + 1 < chunks.length && (chunks[k + 1] as Chunk).start <= at) k++;
    keep[k] = true;
    if (m[0].length === 0) re.lastIndex++;
  }
}

/** Marks the chunks where `name` stands as an identifier (not inside a longer one); returns how many were new. */
function markIdentifier(text: string, chunks: Chunk[], keep: boolean[], name: string): number {
  let added = 0;
  let k = 0;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    if (isIdentPart(text.charCodeAt(at - 1)) || isIdentPart(text.charCodeAt(at + name.length))) continue;
    while (k + 1 < chunks.length && (chunks[k + 1] as Chunk).start <= at) k++;
    if (!keep[k]) {
      keep[k] = true;
      added++;
    }
  }
  return added;
}

/** Positions in a text made of some of a file's chunks, mapped back to the file. */
interface Origin {
  offset(pos: number): number;
  lineCol(pos: number): { line: number; character: number };
}

/** The kept chunks joined (each on its own line), and how its positions map back into `text`. */
/** Index of the last element of ascending `sorted` that is <= `x` (0 when none is). */
function lastAtOrBefore(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((sorted[mid] as number) <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function compactText(
  text: string,
  chunks: Chunk[],
  keep: boolean[],
  lineStarts: number[],
): { text: string; origin: Origin } {
  const parts: string[] = [];
  // Per kept chunk: where it starts in the compact text and in the file.
  const from: number[] = [];
  const to: number[] = [];
  let at = 0;
  chunks.forEach((c, k) => {
    if (!keep[k]) return;
    from.push(at);
    to.push(c.start);
    parts.push(text.slice(c.start, c.end), '\n');
    at += c.end - c.start + 1;
  });
  const offset = (pos: number): number => {
    const k = lastAtOrBefore(from, pos);
    return (to[k] ?? 0) + pos - (from[k] ?? 0);
  };
  const lineCol = (pos: number) => {
    const o = offset(pos);
    const line = lastAtOrBefore(lineStarts, o);
    return { line, character: o - (lineStarts[line] as number) };
  };
  return { text: parts.join(''), origin: { offset, lineCol } };
}

/**
 * The scan of a big file from its statements that matter: those holding a trigger substring, the imports, and
 * every statement naming an identifier the references look up (so each declaration of it is counted, as in a
 * whole parse). Only those are parsed, joined into one text whose positions map back to the file. Null when
 * that text does not parse cleanly (the caller then parses the whole file).
 */
function extractPartial(
  file: string,
  text: string,
  options: ExtractOptions,
  chunks: Chunk[],
): FileWalker | null {
  const keep = chunks.map((c) => /^(?:export\s+)?import\b/.test(text.slice(c.start, c.start + 64)));
  for (const re of chunkMarkers(options)) markChunksMatching(text, chunks, keep, re);
  // Lines as TypeScript counts them (CR, LF, CRLF, U+2028, U+2029), so positions equal a whole parse's.
  const lineStarts = [0];
  if (text.includes('\r') || text.includes('\u2028') || text.includes('\u2029')) {
    for (const m of text.matchAll(/\r\n?|[\n\u2028\u2029]/g)) lineStarts.push(m.index + m[0].length);
  } else {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  }
  const looked = new Set<string>();
  for (let round = 0; round < 8; round++) {
    if (keep.every(Boolean)) return null;
    const compact = compactText(text, chunks, keep, lineStarts);
    const sf = parseFile(file, compact.text);
    if ((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length) return null;
    const walker = new FileWalker(sf, file, options, compact.origin);
    walker.run();
    let added = 0;
    for (const name of walker.lookedUp) {
      if (looked.has(name)) continue;
      looked.add(name);
      added += markIdentifier(text, chunks, keep, name);
    }
    if (added === 0) return walker;
  }
  return null;
}

/** The partial parse alone: the scan from the statements that matter, or null where it declines. For tests. */
export async function extractStatements(
  file: string,
  text: string,
  options: ExtractOptions,
): Promise<FileScan | null> {
  await loadTs();
  const chunks = topLevelChunks(text);
  const walker = chunks && chunks.length > 1 ? extractPartial(file, text, options, chunks) : null;
  if (!walker) return null;
  await walker.finishSql();
  walker.out.references.sort((a, b) => a.line - b.line || a.column - b.column);
  return walker.out;
}

/** Scans one file's text. `file` is the root-relative path reported in references. */
export async function extractFile(
  file: string,
  text: string,
  options: ExtractOptions,
  /** `whole` parses the whole file even when it is big (the tests compare the two). */
  mode: 'auto' | 'whole' = 'auto',
): Promise<FileScan> {
  await loadTs();
  let walker: FileWalker | null = null;
  if (
    mode === 'auto' &&
    text.length >= PARTIAL_MIN_CHARS &&
    !file.endsWith('.tsx') &&
    !file.endsWith('.jsx')
  ) {
    const chunks = topLevelChunks(text);
    if (chunks && chunks.length > 1) walker = extractPartial(file, text, options, chunks);
  }
  if (!walker) {
    walker = new FileWalker(parseFile(file, text), file, options);
    walker.run();
  }
  await walker.finishSql();
  walker.out.references.sort((a, b) => a.line - b.line || a.column - b.column);
  return walker.out;
}
