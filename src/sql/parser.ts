/**
 * The one door to libpg-query (the real Postgres parser, as WebAssembly). It is loaded on first use, never at
 * import time, so commands that do not read SQL do not pay for it. Everything here speaks in file positions:
 * statements carry the 1-based line and column where they start, and a syntax error carries the line and
 * column of the token the parser choked on.
 */

/** A node of libpg-query's JSON parse tree: `{ CreateStmt: {...} }` and the like. */
// biome-ignore lint/suspicious/noExplicitAny: the parse tree is libpg-query's untyped JSON
export type PgNode = any;

type LibPgQuery = typeof import('libpg-query');
let loaded: Promise<LibPgQuery> | undefined;

/** Loads the parser (once per process). Every other function here needs it loaded first. */
export function loadSqlParser(): Promise<LibPgQuery> {
  loaded ??= (async () => {
    const mod = await import('libpg-query');
    await mod.loadModule();
    return mod;
  })();
  return loaded;
}

let syncParser: LibPgQuery | undefined;

function parser(): LibPgQuery {
  if (!syncParser) throw new Error('the SQL parser is not loaded: await loadSqlParser() first');
  return syncParser;
}

/** Same as loadSqlParser, and makes the synchronous functions of this module usable. */
export async function ensureSqlParser(): Promise<void> {
  syncParser = await loadSqlParser();
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

/** Maps UTF-8 byte offsets (what libpg-query reports) to string indexes and to line/column. */
class Positions {
  private readonly byteToIndex: Int32Array;
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    private readonly firstLine: number,
  ) {
    const bytes = Buffer.byteLength(text, 'utf8');
    this.byteToIndex = new Int32Array(bytes + 1);
    let b = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.codePointAt(i) ?? 0;
      const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let k = 0; k < width; k++) this.byteToIndex[b + k] = i;
      b += width;
      if (code >= 0x10000) i++;
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
    this.byteToIndex[bytes] = text.length;
  }

  index(byteOffset: number): number {
    const clamped = Math.max(0, Math.min(byteOffset, this.byteToIndex.length - 1));
    return this.byteToIndex[clamped] ?? this.text.length;
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
 * Parses a file's SQL into statements with positions. A syntax error is one problem at the offending token's
 * line and column (no statements are returned for that file: the parser gives up on the whole text).
 * `firstLine` is the line in `file` where `sql` starts (for SQL embedded in a document or a migration section).
 */
export function parseSql(sql: string, file: string, firstLine = 1): ParseResult {
  const { sql: text, notes } = blankMetaCommands(sql, file, firstLine);
  const pos = new Positions(text, firstLine);
  let tree: PgNode;
  try {
    tree = parser().parseSync(text);
  } catch (e) {
    const err = e as Error & { sqlDetails?: { cursorPosition?: number } };
    const at = pos.lineColumn(pos.codePointIndex(err.sqlDetails?.cursorPosition ?? 0));
    return {
      statements: [],
      problems: [...notes, { file, ...at, message: err.message, severity: 'error' }],
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
      text: text.slice(first, end).replace(/;\s*$/, ''),
    });
  }
  return { statements, problems: notes, at: (location) => pos.lineColumn(pos.index(location)) };
}

/** Parses one SQL expression (as `select <expr>`); returns its node, or throws the parser's error. */
export function parseExpression(expr: string): PgNode {
  const tree = parser().parseSync(`select ${expr}`);
  return tree.stmts?.[0]?.stmt?.SelectStmt?.targetList?.[0]?.ResTarget?.val;
}
