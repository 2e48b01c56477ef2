/**
 * Finds which statement of a failed section raised an error that carries no position (`relation "x" already
 * exists`, a constraint violation, a division by zero: the server says what, not where).
 *
 * The section is split with the real Postgres parser and its statements are run again one at a time inside a
 * transaction that is always rolled back; the first that fails with the same SQLSTATE is the culprit. This runs
 * only after a failure, whose own transaction was already rolled back, so the replay leaves nothing behind either.
 */
import type { Sql } from '../db/connect.js';

interface Statement {
  /** UTF-16 offset of the statement's first token in the section. */
  start: number;
  text: string;
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

async function splitStatements(sql: string): Promise<Statement[] | null> {
  const { loadSqlParser, parseTree } = await import('../sql/parser.js');
  await loadSqlParser();
  let tree: { stmts?: { stmt_location?: number; stmt_len?: number }[] };
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
    return { start: firstToken(sql, unitFrom), text };
  });
}

class Rollback extends Error {}

/** Offset (UTF-16 units, in `section`) of the statement that fails with `code`, or null if none can be found. */
export async function findFailingStatement(
  sql: Sql,
  section: string,
  code: string | undefined,
): Promise<number | null> {
  const statements = await splitStatements(section);
  if (!statements || statements.length === 0) return null;
  if (statements.length === 1) return statements[0]?.start ?? null;
  let found: number | null = null;
  try {
    await sql.begin(async (tx) => {
      for (const s of statements) {
        try {
          await tx.unsafe(s.text);
        } catch (e) {
          if ((e as { code?: string }).code === code) found = s.start;
          break;
        }
      }
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) return found;
  }
  return found;
}
