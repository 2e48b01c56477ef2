/**
 * Statements of a migration section that take transactions out of the runner's hands.
 *
 * The runner applies each section inside a transaction it owns and records the migration in that same
 * transaction. A `COMMIT` in the section ends that transaction early: what came before it stays, the error after
 * it rolls back only the rest, and the bookkeeping no longer tells the truth. Statements that Postgres refuses
 * inside a transaction block (`VACUUM`, `CREATE INDEX CONCURRENTLY`, ...) fail there with a message that does not
 * say why the author wrote them. Both kinds are found here from the real parser's tree, so the runner refuses
 * them before anything runs and `dbcanon check` (rule `migration-transaction-control`) reports them offline.
 *
 * A section may opt out of the runner's transaction with a line of its own reading `-- dbcanon:no-transaction`
 * (graphile-migrate's `--! no-transaction` and Flyway's `executeInTransaction=false` are the precedents). Its
 * statements then run one at a time in autocommit, so the statements that need that are allowed; statements that
 * open or end transactions are never allowed, with or without the marker: the runner owns the transactions.
 *
 * Pure: the SQL parser must have been loaded (`loadSqlParser()`) before these functions are called.
 */
import { type ParsedStatement, parseSql } from '../sql/parser.js';

export type TransactionControlKind =
  /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT, PREPARE TRANSACTION, ...: never allowed in a section. */
  | 'transaction-statement'
  /** VACUUM, CREATE INDEX CONCURRENTLY, CREATE DATABASE, ...: allowed only in a `no-transaction` section. */
  | 'outside-transaction-only';

export interface TransactionControl {
  kind: TransactionControlKind;
  /** 1-based position of the statement in the file (the caller's `firstLine` counts). */
  line: number;
  column: number;
  /** How the statement reads, in upper case: `COMMIT`, `CREATE INDEX CONCURRENTLY`, `VACUUM`. */
  statement: string;
}

const TRANSACTION_KINDS: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN',
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT',
  TRANS_STMT_RELEASE: 'RELEASE SAVEPOINT',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
  TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

const hasConcurrently = (params: unknown): boolean =>
  Array.isArray(params) &&
  params.some((p: { DefElem?: { defname?: string } }) => p?.DefElem?.defname === 'concurrently');

/** What a statement that Postgres runs only outside a transaction block is called, or null for any other. */
function outsideOnly(s: ParsedStatement): string | null {
  const n = s.node;
  switch (s.kind) {
    case 'VacuumStmt':
      return n.is_vacuumcmd ? 'VACUUM' : null; // ANALYZE alone runs inside a transaction
    case 'IndexStmt':
      return n.concurrent ? 'CREATE INDEX CONCURRENTLY' : null;
    case 'DropStmt':
      return n.concurrent ? 'DROP INDEX CONCURRENTLY' : null;
    case 'ReindexStmt':
      return hasConcurrently(n.params) ? 'REINDEX CONCURRENTLY' : null;
    case 'AlterTableStmt':
      return (n.cmds ?? []).some(
        (c: { AlterTableCmd?: { subtype?: string; def?: { PartitionCmd?: { concurrent?: boolean } } } }) =>
          c.AlterTableCmd?.subtype === 'AT_DetachPartition' && c.AlterTableCmd.def?.PartitionCmd?.concurrent,
      )
        ? 'DETACH PARTITION CONCURRENTLY'
        : null;
    case 'CreatedbStmt':
      return 'CREATE DATABASE';
    case 'DropdbStmt':
      return 'DROP DATABASE';
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM';
    case 'CreateTableSpaceStmt':
      return 'CREATE TABLESPACE';
    case 'DropTableSpaceStmt':
      return 'DROP TABLESPACE';
    case 'ClusterStmt':
      return n.relation ? null : 'CLUSTER (every table)';
    default:
      return null;
  }
}

/** The statement's transaction-control kind and name, or null when it is an ordinary statement. */
export function classifyStatement(
  s: ParsedStatement,
): { kind: TransactionControlKind; statement: string } | null {
  if (s.kind === 'TransactionStmt') {
    return {
      kind: 'transaction-statement',
      statement: TRANSACTION_KINDS[s.node.kind] ?? 'transaction control',
    };
  }
  const name = outsideOnly(s);
  return name ? { kind: 'outside-transaction-only', statement: name } : null;
}

const MARKER = /^[ \t]*--[ \t]*dbcanon[ \t]*:[ \t]*no-transaction[ \t]*$/im;

/** 1-based line (in the file, counting from `firstLine`) of the section's `-- dbcanon:no-transaction`, or null. */
export function noTransactionMarker(section: string, firstLine = 1): number | null {
  const m = MARKER.exec(section);
  if (!m) return null;
  let line = firstLine;
  for (let i = 0; i < m.index; i++) if (section.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The statements of a section that the runner cannot run in its transaction: every transaction statement, and,
 * unless the section carries the no-transaction marker, every statement that needs autocommit. A section the
 * parser rejects gives none (its syntax error is reported elsewhere).
 */
export function findTransactionControl(section: string, file: string, firstLine = 1): TransactionControl[] {
  const allowOutside = noTransactionMarker(section, firstLine) !== null;
  const found: TransactionControl[] = [];
  for (const s of parseSql(section, file, firstLine).statements) {
    const c = classifyStatement(s);
    if (!c || (c.kind === 'outside-transaction-only' && allowOutside)) continue;
    found.push({ ...c, line: s.line, column: s.column });
  }
  return found;
}
