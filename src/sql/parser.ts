/**
 * The one door to libpg_query (the real Postgres parser, as WebAssembly, from `@libpg-query/parser`: the build
 * that carries PL/pgSQL's parser beside the SQL one, in one module). It is loaded on first use, never at
 * import time, so commands that do not read SQL do not pay for it. Everything here speaks in file positions:
 * statements carry the 1-based line and column where they start, and a syntax error carries the line and
 * column of the token the parser choked on.
 *
 * Two things make parsing cheap on big migration histories:
 * - The text crosses into WebAssembly memory as UTF-8 bytes written by Node's native encoder, and the JSON tree
 *   comes back through the native decoder. libpg-query's own wrapper does both with character-by-character
 *   JavaScript loops, which cost more than the parse itself on 5 MB of SQL. The wrapper's entry points are
 *   checked at load; when they are not there (another libpg-query version) the public `parseSync` is used.
 * - Long dollar-quoted bodies are taken out before parsing and put back into the tree (dollar-bodies.ts): the
 *   parser's cost is per byte, and to the grammar a body is a single string constant.
 * - Trees are memoized by text for the life of the process: `dbcanon check` parses each migration for the
 *   static replay and again for the code scanner's function definitions, and each document block for the
 *   document model and again for its schema. The second parse of the same text is a lookup. Trees are
 *   therefore shared and must never be modified (the test suite freezes them to make sure).
 */

import { createRequire } from 'node:module';
import { findDollarBodies, shrinkBodies } from './dollar-bodies.js';

/** A node of libpg-query's JSON parse tree: `{ CreateStmt: {...} }` and the like. */
// biome-ignore lint/suspicious/noExplicitAny: the parse tree is libpg-query's untyped JSON
export type PgNode = any;

/** A text the parser rejects: Postgres's message, and where (0-based code point offset, as Postgres counts). */
export class SqlSyntaxError extends Error {
  readonly sqlDetails: { message: string; cursorPosition: number };
  constructor(message: string, cursorPosition: number) {
    super(message);
    this.name = 'SqlSyntaxError';
    this.sqlDetails = { message, cursorPosition };
  }
}

type Parse = (text: string) => PgNode;

/** The emscripten module under libpg-query's wrapper: what the fast path calls. */
interface RawModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _wasm_parse_query_raw(ptr: number): number;
  _wasm_free_parse_result(ptr: number): void;
  _wasm_parse_plpgsql(ptr: number): number;
  _wasm_free_string(ptr: number): void;
  getValue(ptr: number, type: 'i32'): number;
}

/** Text into WebAssembly memory as a C string, encoded natively; the caller frees the pointer. */
function writeCString(m: RawModule, text: string): number {
  const length = Buffer.byteLength(text, 'utf8');
  const ptr = m._malloc(length + 1);
  // Encoded straight into WebAssembly memory (read after malloc, which may have grown it): no copy on the way.
  const heap = m.HEAPU8;
  Buffer.from(heap.buffer, heap.byteOffset, heap.length).write(text, ptr, length, 'utf8');
  heap[ptr + length] = 0;
  return ptr;
}

function cString(m: RawModule, ptr: number): string {
  const heap = m.HEAPU8;
  const end = heap.indexOf(0, ptr);
  return Buffer.from(heap.buffer, heap.byteOffset + ptr, (end < 0 ? heap.length : end) - ptr).toString(
    'utf8',
  );
}

/** The two entry points this module needs from libpg_query. */
interface Parsers {
  sql: Parse;
  /** The PL/pgSQL compiler's tree of a CREATE FUNCTION text; throws SqlSyntaxError (without a position). */
  plpgsql: Parse;
}

/**
 * The PL/pgSQL result as text: the functions' JSON, or the compiler's message when it rejects the body (the
 * wrapper hands back a plain string either way, without the position).
 */
function plpgsqlResult(text: string): PgNode {
  if (text.startsWith('{') || text.startsWith('[')) return JSON.parse(text);
  throw new SqlSyntaxError(text || 'syntax error', 0);
}

/** parseSync over the raw module: same C entry points as libpg-query's wrapper, native UTF-8 both ways. */
function rawParsers(m: RawModule): Parsers {
  const sql: Parse = (text) => {
    const queryPtr = writeCString(m, text);
    let resultPtr = 0;
    try {
      resultPtr = m._wasm_parse_query_raw(queryPtr);
      if (!resultPtr) throw new Error('libpg-query could not allocate a parse result');
      // struct PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error; }
      const treePtr = m.getValue(resultPtr, 'i32');
      const errorPtr = m.getValue(resultPtr + 8, 'i32');
      if (errorPtr) {
        // struct PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos; … }
        const messagePtr = m.getValue(errorPtr, 'i32');
        const cursor = m.getValue(errorPtr + 16, 'i32');
        throw new SqlSyntaxError(
          messagePtr ? cString(m, messagePtr) : 'syntax error',
          cursor > 0 ? cursor - 1 : 0,
        );
      }
      if (!treePtr) throw new Error('libpg-query returned no parse tree');
      return JSON.parse(cString(m, treePtr));
    } finally {
      m._free(queryPtr);
      if (resultPtr) m._wasm_free_parse_result(resultPtr);
    }
  };
  const plpgsql: Parse = (text) => {
    const queryPtr = writeCString(m, text);
    let resultPtr = 0;
    try {
      resultPtr = m._wasm_parse_plpgsql(queryPtr);
      if (!resultPtr) throw new Error('libpg-query could not allocate a PL/pgSQL parse result');
      return plpgsqlResult(cString(m, resultPtr));
    } finally {
      m._free(queryPtr);
      if (resultPtr) m._wasm_free_string(resultPtr);
    }
  };
  return { sql, plpgsql };
}

function isRawModule(m: unknown): m is RawModule {
  const r = m as Partial<Record<keyof RawModule, unknown>>;
  return (
    r.HEAPU8 instanceof Uint8Array &&
    typeof r._malloc === 'function' &&
    typeof r._free === 'function' &&
    typeof r._wasm_parse_query_raw === 'function' &&
    typeof r._wasm_free_parse_result === 'function' &&
    typeof r._wasm_parse_plpgsql === 'function' &&
    typeof r._wasm_free_string === 'function' &&
    typeof r.getValue === 'function'
  );
}

/** The public API, for a libpg-query whose internals differ from the ones the fast path knows. */
async function publicParsers(): Promise<Parsers> {
  const mod = await import('@libpg-query/parser');
  await mod.loadModule();
  return {
    sql: (text) => {
      try {
        return mod.parseSync(text);
      } catch (e) {
        const d = (e as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
        if (!d) throw e;
        throw new SqlSyntaxError(d.message ?? (e as Error).message, d.cursorPosition ?? 0);
      }
    },
    plpgsql: (text) => {
      try {
        return mod.parsePlPgSQLSync(text);
      } catch (e) {
        // The wrapper throws the compiler's message, or fails reading it as JSON: a rejected body either way.
        throw new SqlSyntaxError((e as Error).message, 0);
      }
    },
  };
}

async function loadParsers(): Promise<Parsers> {
  if (process.env.DBCANON_PG_QUERY_PUBLIC_API !== '1') {
    try {
      // The emscripten factory is CommonJS: required, not imported, so Node does not first scan it for exports.
      const factory = createRequire(import.meta.url)(
        '@libpg-query/parser/wasm/libpg-query.js',
      ) as () => Promise<unknown>;
      const m = await factory();
      if (isRawModule(m)) return rawParsers(m);
    } catch {
      // Not the layout this was written against: the public API below parses the same, only slower.
    }
  }
  return publicParsers();
}

let loaded: Promise<void> | undefined;
let parse: Parse | undefined;
let parsePlpgsql: Parse | undefined;

/** Loads the parser (once per process). The synchronous functions of this module need it loaded first. */
export function loadSqlParser(): Promise<void> {
  loaded ??= loadParsers().then((p) => {
    parse = p.sql;
    parsePlpgsql = p.plpgsql;
  });
  return loaded;
}

/**
 * PL/pgSQL's own parser on a `CREATE FUNCTION … LANGUAGE plpgsql AS $$ … $$` text: `{ plpgsql_funcs: [{
 * PLpgSQL_function: … }] }`, statements with the 1-based `lineno` of the line in that text where they start.
 * The SQL inside is checked by the SQL grammar as Postgres checks it when the body is compiled. Throws
 * SqlSyntaxError (its cursorPosition is 0: the parser does not say where) when the body does not compile.
 */
export function parsePlpgsqlFunction(text: string): PgNode {
  if (!parsePlpgsql) throw new Error('the SQL parser is not loaded: await loadSqlParser() first');
  return parsePlpgsql(text);
}

/** Trees by text, oldest first; bounded by the text they hold so a huge history cannot exhaust memory. */
const memo = new Map<string, PgNode>();
const MEMO_MAX_CHARS = 32 * 1024 * 1024;
let memoChars = 0;
/**
 * `DBCANON_FREEZE_TREES=1` freezes each memoized tree, so a caller that modifies a shared tree throws instead of
 * corrupting the next reader. The test suite sets it (vitest.config.ts); a run leaves it off, because freezing
 * every node of 490 migrations' trees costs time and nothing else reads the flag.
 */
const freezeTrees = process.env.DBCANON_FREEZE_TREES === '1';

function deepFreeze(node: PgNode): PgNode {
  if (node !== null && typeof node === 'object' && !Object.isFrozen(node)) {
    Object.freeze(node);
    for (const v of Object.values(node)) deepFreeze(v);
  }
  return node;
}

/** Bodies shorter than this are parsed where they are: taking them out would cost more than it saves. */
const MIN_BODY_CHARS = 256;

/**
 * The tree of `text`, not memoized. Dollar-quoted bodies of `minBodyChars` or more are taken out before parsing
 * and put back after (see dollar-bodies.ts); with `false` the whole text goes to the parser. The result is the
 * same either way: parseTree uses the default, the tests compare the two.
 */
export function parseUncached(text: string, minBodyChars: number | false = MIN_BODY_CHARS): PgNode {
  if (!parse) throw new Error('the SQL parser is not loaded: await loadSqlParser() first');
  if (text.trim() === '') return { stmts: [] };
  const shrunk = minBodyChars === false ? null : shrinkBodies(text, findDollarBodies(text, minBodyChars));
  if (shrunk) {
    try {
      const tree = parse(shrunk.text);
      if (shrunk.restore(tree)) return tree;
    } catch {
      // Parsed whole below: a syntax error is then reported at its place in the real text.
    }
  }
  return parse(text);
}

/**
 * libpg-query's tree for `text` (`{ version, stmts }`), memoized: the same text parsed twice in a process gives
 * the same object, which callers must not modify. Throws SqlSyntaxError when the text does not parse.
 */
export function parseTree(text: string): PgNode {
  const hit = memo.get(text);
  if (hit !== undefined) return hit;
  const tree = freezeTrees ? deepFreeze(parseUncached(text)) : parseUncached(text);
  if (text.length <= MEMO_MAX_CHARS / 4) {
    memo.set(text, tree);
    memoChars += text.length;
    for (const [key] of memo) {
      if (memoChars <= MEMO_MAX_CHARS) break;
      memo.delete(key);
      memoChars -= key.length;
    }
  }
  return tree;
}

/** Forgets the memoized trees (a long-lived process calls this when it is done with a batch of files). */
export function clearParseMemo(): void {
  memo.clear();
  memoChars = 0;
}

export interface ParsedStatement {
  /** `CreateStmt`, `AlterTableStmt`, … */
  kind: string;
  /** The statement node (the value under `kind`). */
  node: PgNode;
  /** 1-based position of the statement's first token in the file. */
  line: number;
  column: number;
  /** Text of the statement, without the trailing semicolon. */
  text: string;
}

export interface SqlProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'note';
}

export interface ParseResult {
  statements: ParsedStatement[];
  problems: SqlProblem[];
  /** Line and column in the file of a parse-tree `location` (a UTF-8 byte offset into the parsed text). */
  at(location: number): { line: number; column: number };
}

/**
 * UTF-8 byte offset (what libpg-query reports) → string index in `text`, clamped to the text. ASCII text (nearly
 * every migration) needs no table: its byte offsets are its string indexes.
 */
export function utf8ToIndex(text: string): (byte: number) => number {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes === text.length) return (b) => Math.max(0, Math.min(b, bytes));
  // Only the non-ASCII characters move the mapping (most SQL has a few, in comments): for each, its first byte,
  // its string index, and where the next character starts in bytes and in the string. Between two of them the
  // text is ASCII, one byte per index. A table of every byte cost 0.36 s on a real 5 MB history.
  const firstByte: number[] = [];
  const index: number[] = [];
  const nextByte: number[] = [];
  const nextIndex: number[] = [];
  let shift = 0; // bytes minus string indexes before the current character
  for (const m of text.matchAll(/[^\x00-\x7f]/gu)) {
    const i = m.index;
    const code = m[0].codePointAt(0) ?? 0;
    const width = code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    firstByte.push(i + shift);
    index.push(i);
    nextByte.push(i + shift + width);
    nextIndex.push(i + m[0].length);
    shift += width - m[0].length;
  }
  return (byte) => {
    const b = Math.max(0, Math.min(byte, bytes));
    // The last non-ASCII character starting at or before b.
    let lo = 0;
    let hi = firstByte.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((firstByte[mid] as number) <= b) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (k < 0) return b;
    if (b < (nextByte[k] as number)) return index[k] as number;
    return (nextIndex[k] as number) + b - (nextByte[k] as number);
  };
}

/** Maps libpg-query's byte offsets to string indexes and to line/column. */
class Positions {
  readonly index: (byteOffset: number) => number;
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    private readonly firstLine: number,
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    this.index = utf8ToIndex(text);
  }

  /** String index of the `n`th code point (Postgres reports a syntax error's position in characters). */
  codePointIndex(n: number): number {
    let i = 0;
    for (let k = 0; k < n && i < this.text.length; k++)
      i += (this.text.codePointAt(i) ?? 0) >= 0x10000 ? 2 : 1;
    return i;
  }

  lineColumn(index: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: this.firstLine + lo, column: index - (this.lineStarts[lo] ?? 0) + 1 };
  }
}

/** Index of the first character at or after `i` that is not whitespace or a comment. */
function skipTrivia(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (text.startsWith('/*', i)) {
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        if (text.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (text.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      }
    } else return i;
  }
}

/**
 * Blanks psql meta-command lines (`\set`, `\i file`, `\echo`) so that positions stay where they were, and
 * returns a note for each: they are instructions to psql, not SQL, and the server never sees them.
 */
function blankMetaCommands(
  sql: string,
  file: string,
  firstLine: number,
): { sql: string; notes: SqlProblem[] } {
  const notes: SqlProblem[] = [];
  if (!sql.includes('\\') || !/^[ \t]*\\/m.test(sql)) return { sql, notes };
  const lines = sql.split('\n');
  lines.forEach((text, i) => {
    const m = /^(\s*)\\(\S*)/.exec(text);
    if (!m) return;
    notes.push({
      file,
      line: firstLine + i,
      column: (m[1]?.length ?? 0) + 1,
      message: `psql meta-command \\${m[2] ?? ''} skipped: it is an instruction to psql, not SQL the server runs`,
      severity: 'note',
    });
    lines[i] = text.replace(/[^\r]/g, ' ');
  });
  return { sql: notes.length ? lines.join('\n') : sql, notes };
}

/**
 * `text` without a final `;` and the blanks after it (what `.replace(/;\s*$/, '')` does, without trying the
 * pattern at every semicolon of a long function body).
 */
function withoutFinalSemicolon(text: string): string {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1] as string)) end--;
  return end > 0 && text.charCodeAt(end - 1) === 59 ? text.slice(0, end - 1) : text;
}

/**
 * Parses a file's SQL into statements with positions. A syntax error is one problem at the offending token's
 * line and column (no statements are returned for that file: the parser gives up on the whole text).
 * `firstLine` is the line in `file` where `sql` starts (for SQL embedded in a document or a migration section).
 */
export function parseSql(sql: string, file: string, firstLine = 1): ParseResult {
  const { sql: text, notes } = blankMetaCommands(sql, file, firstLine);
  const pos = new Positions(text, firstLine);
  let tree: PgNode;
  try {
    tree = parseTree(text);
  } catch (e) {
    if (!(e instanceof SqlSyntaxError)) throw e;
    const at = pos.lineColumn(pos.codePointIndex(e.sqlDetails.cursorPosition));
    return {
      statements: [],
      problems: [...notes, { file, ...at, message: e.message, severity: 'error' }],
      at: (location) => pos.lineColumn(pos.index(location)),
    };
  }
  const statements: ParsedStatement[] = [];
  for (const raw of (tree.stmts ?? []) as PgNode[]) {
    const startByte: number = raw.stmt_location ?? 0;
    const start = pos.index(startByte);
    const end = raw.stmt_len ? pos.index(startByte + raw.stmt_len) : text.length;
    const first = skipTrivia(text, start);
    const kind = Object.keys(raw.stmt)[0] ?? 'Unknown';
    statements.push({
      kind,
      node: raw.stmt[kind],
      ...pos.lineColumn(first),
      text: withoutFinalSemicolon(text.slice(first, end)),
    });
  }
  return { statements, problems: notes, at: (location) => pos.lineColumn(pos.index(location)) };
}

/** Parses one SQL expression (as `select <expr>`); returns its node, or throws the parser's error. */
export function parseExpression(expr: string): PgNode {
  const tree = parseTree(`select ${expr}`);
  return tree.stmts?.[0]?.stmt?.SelectStmt?.targetList?.[0]?.ResTarget?.val;
}
