/**
 * The statements of a section, split with the real Postgres parser; and which of them raised an error that
 * carries no position (`relation "x" already exists`, a constraint violation, a division by zero: the server
 * says what, not where).
 *
 * To find that one, the statements are run again one at a time inside a savepoint that is always rolled back;
 * the first that fails with the same SQLSTATE is the culprit. This runs only after a failure, in the run's
 * transaction rolled back to the state just before the failed step, so the replay sees what the step saw and
 * leaves nothing behind. A statement that ends or opens transactions (`COMMIT`) or that cannot run inside one is
 * never replayed: a COMMIT would end the run's transaction and make what the replay did permanent.
 */

import type { Queryable } from '../db/session.js';
import { type ParsedStatement, parseTree } from '../sql/parser.js';
import { classifyStatement, type TransactionControlKind } from './transaction-control.js';

export interface Statement {
  /** UTF-16 offset of the statement's first token in the section. */
  start: number;
  /** UTF-16 offset in the section at which `text` starts (comments and blanks before `start` belong to it). */
  textStart: number;
  text: string;
  /** Set when the statement opens or ends transactions, or runs only outside one. */
  control: { kind: TransactionControlKind; statement: string } | null;
}

/** Skips whitespace and comments, which the parser counts as part of the following statement. */
function firstToken(sql: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i] ?? '')) i++;
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else {
      return i;
    }
  }
}

/**
 * The section's statements in order, or null when it does not parse. The SQL parser must be loaded
 * (`loadSqlParser()`).
 */
export function splitStatements(sql: string): Statement[] | null {
  let tree: { stmts?: { stmt: Record<string, unknown>; stmt_location?: number; stmt_len?: number }[] };
  try {
    tree = parseTree(sql);
  } catch {
    return null;
  }
  const bytes = Buffer.from(sql, 'utf8');
  return (tree.stmts ?? []).map((s) => {
    const from = s.stmt_location ?? 0;
    const to = s.stmt_len === undefined || s.stmt_len === 0 ? bytes.length : from + s.stmt_len;
    const unitFrom = bytes.subarray(0, from).toString('utf8').length;
    const text = bytes.subarray(from, to).toString('utf8');
    const kind = Object.keys(s.stmt)[0] ?? 'Unknown';
    const control = classifyStatement({ kind, node: s.stmt[kind] } as ParsedStatement);
    return { start: firstToken(sql, unitFrom), textStart: unitFrom, text, control };
  });
}

const SAVEPOINT = 'dbcanon_locate';

/**
 * Offset (UTF-16 units, in `section`) of the statement that fails with `code`, or null if none can be found.
 * The replay runs in a savepoint of the transaction `db` is in (`inTransaction`), else in a transaction of its
 * own on `db`, which must then be one session (a pool of one). The SQL parser must be loaded.
 */
export async function findFailingStatement(
  db: Queryable,
  section: string,
  code: string | undefined,
  { inTransaction = false }: { inTransaction?: boolean } = {},
): Promise<number | null> {
  const statements = splitStatements(section);
  if (!statements || statements.length === 0) return null;
  if (statements.length === 1) return statements[0]?.start ?? null;
  let found: number | null = null;
  await db.unsafe(inTransaction ? `savepoint ${SAVEPOINT}` : 'begin');
  try {
    for (const s of statements) {
      if (s.control) break;
      try {
        await db.unsafe(s.text);
      } catch (e) {
        if ((e as { code?: string }).code === code) found = s.start;
        break;
      }
    }
  } finally {
    await db.unsafe(inTransaction ? `rollback to savepoint ${SAVEPOINT}` : 'rollback');
  }
  return found;
}
