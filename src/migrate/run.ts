/**
 * `migrate up` and `migrate down`: the checks dbcanon adds (checksums, order, missing files, statements that
 * would take the transaction out of the runner's hands), the lock, and the run.
 *
 * A run is one transaction: its pending migrations and its changed repeatables, each with its bookkeeping rows,
 * commit together or not at all. So a table is never visible, committed, without the row-level security,
 * policies and triggers that the repeatables give it, and a run that fails or is cut off leaves nothing of itself
 * behind. Only a section marked `-- dbcanon:no-transaction` breaks the run up: what ran before it commits, its
 * statements run one at a time, each committed as it goes, then its bookkeeping; the rest of the run is a new
 * transaction.
 *
 * Everything runs on one session (session.ts) that holds the advisory lock for the whole run and never
 * reconnects. The history goes into node-pg-migrate's table exactly as node-pg-migrate writes it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DbcanonConfig } from '../config/schema.js';
import { redactUrl } from '../db/connect.js';
import { ConnectionLost, isConnectionError, openSession, type RunSession } from '../db/session.js';
import { DbcanonError } from '../errors.js';
import { decodeUtf8Strict } from '../io/utf8.js';
import {
  adoptLegacyRecords,
  ensureBookkeeping,
  forgetChecksumSql,
  forgetRepeatablesSql,
  historyFormat,
  markRunSql,
  readRecords,
  recordChecksumSql,
  recordRepeatableSql,
  type TableNames,
  tableNames,
  unmarkRunSql,
} from './bookkeeping.js';
import { listRepeatableFiles, listRunnableMigrations, type MigrationFile, type SqlFile } from './files.js';
import { findFailingStatement, type Statement, splitStatements } from './locate-statement.js';
import { acquireLock, releaseLock } from './lock.js';
import {
  fileOffsetOfPosition,
  isServerError,
  locationAt,
  ROLLED_BACK_HINT,
  type SqlOrigin,
  snippet,
  sqlFailure,
} from './sql-error.js';
import { computeStatus, type MigrationStatus, type MigrationStatusEntry } from './status.js';
import { findTransactionControl, noTransactionMarker } from './transaction-control.js';

export interface RunOptions {
  databaseUrl: string;
  root: string;
  config: DbcanonConfig;
  count?: number;
  dryRun?: boolean;
  allowChanged?: boolean;
  wait?: boolean;
  log?: (line: string) => void;
}

export interface StepResult {
  kind: 'migration' | 'repeatable';
  direction: 'up' | 'down';
  /** Migration name, or the repeatable's relative path. */
  name: string;
  file: string;
  ms: number;
}

export interface PlannedStep {
  kind: 'migration' | 'repeatable';
  direction: 'up' | 'down';
  name: string;
  file: string;
  /** The SQL that would run (the section of the file, or the whole repeatable). */
  sql: string;
}

export interface MigrateResult {
  /** What ran, in order (empty for a dry run). */
  applied: StepResult[];
  /** What would run, in order (only for a dry run). */
  planned: PlannedStep[];
  /** Applied migrations whose checksum was recorded for the first time (they ran before dbcanon tracked them). */
  adopted: string[];
  dryRun: boolean;
  /** Configured `migrations` folders that do not exist (as configured): no migration was looked for there. */
  missingMigrationDirs: string[];
}

/** The configured migrations folders that do not exist. A typo there would otherwise read as "all applied". */
function missingMigrationDirs(root: string, config: DbcanonConfig): string[] {
  return config.migrations.filter((d) => !existsSync(path.resolve(root, d)));
}

/** What a run has done so far, for the message when its connection is lost. */
interface RunState {
  /** Set once the first step was sent. */
  started: boolean;
  /** Steps whose work is committed: only a no-transaction section and what ran before it commit early. */
  committed: string[];
  /** Set while a COMMIT is in flight: if the connection goes then, whether it committed is unknown. */
  committing: boolean;
  /** The no-transaction section in progress and how many of its statements committed. */
  outside: { step: Step; done: number } | null;
}

/** Opens the run's session, takes the lock, runs `fn`, and always releases both. */
async function underLock<T>(
  options: RunOptions,
  fn: (db: RunSession, state: RunState) => Promise<T>,
): Promise<T> {
  const db = openSession(options.databaseUrl, 'dbcanon migrate');
  const state: RunState = { started: false, committed: [], committing: false, outside: null };
  try {
    try {
      await acquireLock(db, options.wait !== false, options.log);
    } catch (e) {
      if (e instanceof DbcanonError) throw e;
      if (e instanceof ConnectionLost) throw connectionLost(options.databaseUrl, e, state);
      // Ended by the server after it accepted us (a terminated backend before the lock's first answer) is a
      // lost connection too; a refused or timed-out attempt is not (postgres.js codes those otherwise).
      if (isConnectionError(e)) throw connectionLost(options.databaseUrl, new ConnectionLost(e), state);
      throw new DbcanonError(
        'DB_CONNECT',
        `cannot connect to ${redactUrl(options.databaseUrl)}: ${(e as Error).message}`,
        {
          hint: 'is the server running? `dbcanon db start` starts a local one',
          cause: e,
        },
      );
    }
    try {
      return await fn(db, state);
    } catch (e) {
      if (e instanceof ConnectionLost) throw connectionLost(options.databaseUrl, e, state);
      throw e;
    } finally {
      // A lost session took the lock with it; nothing is sent on another connection to release it.
      if (!db.lost()) await releaseLock(db).catch(() => {});
    }
  } finally {
    await db.end();
  }
}

/** The one error of a run whose connection went away: what was committed, and what to do. */
function connectionLost(url: string, e: ConnectionLost, state: RunState): DbcanonError {
  const parts: string[] = [];
  if (state.committing) {
    parts.push(
      'it went while the run was committing, so whether that commit went through is unknown (`dbcanon migrate status` tells)',
    );
  }
  if (state.committed.length === 0 && state.outside === null) {
    if (!state.committing) {
      parts.push(
        state.started
          ? 'nothing of this run was committed: it ran in one transaction, which the server rolled back'
          : 'nothing of this run was committed: it had not started applying anything',
      );
    }
  } else {
    if (state.committed.length > 0) {
      parts.push(`committed before the loss: ${state.committed.join(', ')}`);
    }
    if (state.outside) {
      const { step, done } = state.outside;
      parts.push(
        `${step.file} runs without a transaction: ${done} of its statements committed (the one running when the connection went may have too), and it is not recorded as applied`,
      );
    }
    if (!state.committing) parts.push('the rest of the run was rolled back');
  }
  return new DbcanonError(
    'DB_CONNECT',
    `the connection to ${redactUrl(url)} was lost during the migration run (${e.message}); ${parts.join('; ')}`,
    {
      hint: 'run the command again once the server answers: it takes the lock again and applies what is still pending',
      cause: e,
    },
  );
}

/** `count` from code (the CLI checks its flag): a negative one would make a slice take from the other end. */
function checkedCount(count: number): number {
  if (!Number.isInteger(count) || count < 0) {
    throw new DbcanonError('INPUT_INVALID', `count must be a whole number of 0 or more, not ${count}`);
  }
  return count;
}

/** Where a missing migration's file was (the first migrations dir: the file itself is gone). */
function missingFile(config: DbcanonConfig, name: string): string {
  return `${config.migrations[0] ?? 'migrations'}/${name}.sql`;
}

function refuseDrift(config: DbcanonConfig, entries: MigrationStatusEntry[], allowChanged: boolean): void {
  if (allowChanged) return;
  const changed = entries.filter((m) => m.state === 'changed');
  const missing = entries.filter((m) => m.state === 'missing');
  const first = changed[0];
  if (first) {
    throw new DbcanonError('MIGRATE_CHANGED', `applied migration ${first.name} was edited after it ran`, {
      location: { file: first.file ?? first.name },
      details: changed.map(
        (m) =>
          `${m.file}: ran with sha256 ${m.recordedChecksum?.slice(0, 12)}…, now ${m.currentChecksum?.slice(0, 12)}…`,
      ),
      hint: 'restore the file as it ran and put the change in a new migration (`dbcanon migrate new NAME`), or pass --allow-changed',
    });
  }
  const gone = missing[0];
  if (gone) {
    throw new DbcanonError('MIGRATE_MISSING', `applied migration ${gone.name} has no file any more`, {
      location: { file: missingFile(config, gone.name) },
      details: missing.map(
        (m) => `${missingFile(config, m.name)}: applied ${m.appliedAt?.toISOString() ?? ''}, file not found`,
      ),
      hint: 'restore the file from version control (the database still has what it did), or pass --allow-changed',
    });
  }
}

function refuseOutOfOrder(status: MigrationStatus): void {
  const problem = status.outOfOrder[0];
  if (!problem) return;
  const newest = problem.newestApplied.file ?? `${problem.newestApplied.name}.sql`;
  throw new DbcanonError(
    'MIGRATE_ORDER',
    `pending migration ${problem.pending.file} is older than the applied ${newest}, so it would run out of order`,
    {
      location: { file: problem.pending.file ?? problem.pending.name },
      details: status.outOfOrder.map((p) => `${p.pending.file} sorts before ${newest}`),
      hint: 'give it a timestamp after the newest applied migration (rename the file), or revert that one first',
    },
  );
}

/** One migration section or repeatable file to run, with the statements that record it. */
interface Step {
  kind: 'migration' | 'repeatable';
  direction: 'up' | 'down';
  /** Migration name, or the repeatable's relative path. */
  name: string;
  file: string;
  /** Absolute path of the file. */
  path: string;
  /** The whole file, and the offset in it at which `sql` starts. */
  origin: SqlOrigin;
  sql: string;
  /** 1-based line of the file on which `sql` starts. */
  line: number;
  /** Records (or forgets) the step; runs with it, in its transaction. */
  record: string;
  /** Line of the section's `-- dbcanon:no-transaction`, or null: it then runs in the run's transaction. */
  noTransaction: number | null;
  /** The statements of a no-transaction step, which run one at a time (filled in by `checkSteps`). */
  statements: Statement[];
}

function migrationStep(t: TableNames, f: MigrationFile, direction: 'up' | 'down'): Step {
  const section = direction === 'up' ? f.parts.up : f.parts.down;
  if (!section) throw new Error(`${f.file} has no ${direction} section`); // the callers check first
  return {
    kind: 'migration',
    direction,
    name: f.name,
    file: f.file,
    path: f.path,
    origin: { file: f.file, text: f.text, offset: section.offset },
    sql: section.sql,
    line: section.line,
    // Down: a revert may drop what repeatables created (a dropped table takes its triggers and policies with
    // it), and their unchanged checksums would keep the next `up` from putting it back. Forget them all with the
    // revert, so that the next `up` re-applies every repeatable; they are written to be re-run.
    record:
      direction === 'up'
        ? // The Supabase CLI's row keeps the statements it ran; the section whole is one (joined, they are the file).
          `${recordChecksumSql(t, f.name, f.checksum)}\n${markRunSql(t, f.name, [section.sql])}`
        : `${forgetChecksumSql(t, f.name)}\n${unmarkRunSql(t, f.name)}\n${forgetRepeatablesSql(t)}`,
    noTransaction: noTransactionMarker(section.sql, section.line),
    statements: [],
  };
}

function repeatableStep(t: TableNames, f: SqlFile): Step {
  return {
    kind: 'repeatable',
    direction: 'up',
    name: f.file,
    file: f.file,
    path: f.path,
    origin: { file: f.file, text: f.text, offset: 0 },
    sql: f.text,
    line: 1,
    record: recordRepeatableSql(t, f.file, f.checksum),
    noTransaction: noTransactionMarker(f.text),
    statements: [],
  };
}

/** A dry run's result: the steps with their SQL, nothing applied. */
function dryRun(steps: Step[], missingMigrationDirs: string[]): MigrateResult {
  const planned: PlannedStep[] = steps.map((s) => ({
    kind: s.kind,
    direction: s.direction,
    name: s.name,
    file: s.file,
    sql: s.sql,
  }));
  return { applied: [], planned, adopted: [], dryRun: true, missingMigrationDirs };
}

function describeStep(step: Step): string {
  if (step.kind === 'repeatable') return `repeatable ${step.file}`;
  return `${step.direction === 'up' ? 'migration' : 'reverting'} ${step.name}`;
}

const NO_TRANSACTION_HINT =
  'for statements that Postgres runs only outside a transaction, put a line `-- dbcanon:no-transaction` in the section: it then runs statement by statement, each committed on its own';

/**
 * Refuses, before anything of the run is sent, a step whose SQL would take the transaction out of the runner's
 * hands: a COMMIT (what came before it would stay while the rest failed, and the bookkeeping would lie), or a
 * statement that runs only outside a transaction in a section without the no-transaction marker. Also splits
 * each no-transaction section into its statements.
 */
async function checkSteps(steps: Step[]): Promise<void> {
  if (steps.length === 0) return;
  const { loadSqlParser, parseSql } = await import('../sql/parser.js');
  await loadSqlParser();
  for (const step of steps) {
    // Text read from bytes that are not UTF-8 holds U+FFFD where they were: it would run and be recorded as
    // what the file said. (A U+FFFD the file really holds is valid UTF-8 and passes.)
    if (step.origin.text.includes('\uFFFD')) decodeUtf8Strict(readFileSync(step.path), step.file);
    const found = findTransactionControl(step.sql, step.file, step.line);
    const first = found[0];
    if (first) {
      const where = (c: { line: number; column: number }) => `${step.file}:${c.line}:${c.column}`;
      const message =
        first.kind === 'transaction-statement'
          ? `${describeStep(step)} contains ${first.statement}, which would end the transaction the runner applies it in; nothing was run`
          : `${describeStep(step)} contains ${first.statement}, which Postgres runs only outside a transaction, and the section has no \`-- dbcanon:no-transaction\` line; nothing was run`;
      throw new DbcanonError('MIGRATE_TRANSACTION_CONTROL', message, {
        location: { file: step.file, line: first.line, column: first.column },
        details: [
          ...snippet(step.origin.text, first),
          ...(found.length > 1 ? found.map((c) => `${where(c)}: ${c.statement}`) : []),
        ],
        hint:
          first.kind === 'transaction-statement'
            ? `remove it: dbcanon opens and commits the transactions (a whole run is one); ${NO_TRANSACTION_HINT}`
            : NO_TRANSACTION_HINT,
      });
    }
    if (step.noTransaction === null) continue;
    const statements = splitStatements(step.sql);
    if (statements === null) {
      const problem = parseSql(step.sql, step.file, step.line).problems.find((p) => p.severity === 'error');
      throw new DbcanonError(
        'MIGRATE_FAILED',
        `${describeStep(step)} does not parse, so its no-transaction section cannot be split into statements: ${problem?.message ?? 'syntax error'}; nothing was run`,
        {
          location: problem
            ? { file: step.file, line: problem.line, column: problem.column }
            : { file: step.file },
          ...(problem ? { details: snippet(step.origin.text, problem) } : {}),
        },
      );
    }
    step.statements = statements;
  }
}

const STEP_SAVEPOINT = 'dbcanon_step';

/**
 * Runs one step inside the run's open transaction, in a savepoint, its statements pipelined with its bookkeeping
 * (one round trip). On failure the savepoint is rolled back, so the statement that failed can be found in the
 * state the step saw, then the error is thrown located in the file.
 */
async function runInTransaction(db: RunSession, step: Step, hint: () => string): Promise<void> {
  const texts = [
    `savepoint ${STEP_SAVEPOINT}`,
    ...(step.sql.trim() === '' ? [] : [step.sql]),
    step.record,
    `release savepoint ${STEP_SAVEPOINT}`,
  ];
  const settled = await Promise.allSettled(texts.map((t) => db.unsafe(t)));
  const failed = settled.findIndex((r) => r.status === 'rejected');
  if (failed === -1) return;
  const error = (settled[failed] as PromiseRejectedResult).reason;
  const lost = db.lost();
  if (lost) throw lost;
  await db.unsafe(`rollback to savepoint ${STEP_SAVEPOINT}`);
  if (texts[failed] !== step.sql || !isServerError(error)) {
    // Not the section's SQL (its bookkeeping): there is no line to point at.
    throw new DbcanonError('MIGRATE_FAILED', `${describeStep(step)} failed: ${(error as Error).message}`, {
      location: { file: step.file },
      hint: hint(),
      cause: error,
    });
  }
  let offset = fileOffsetOfPosition(step.origin, step.sql.length, error.position);
  if (offset === null) {
    const within = await findFailingStatement(db, step.sql, error.code, { inTransaction: true });
    offset = within === null ? null : step.origin.offset + within;
  }
  throw sqlFailure(describeStep(step), step.origin, error, offset, hint());
}

/**
 * Runs a no-transaction step: each statement on its own (so each commits as it completes), then its bookkeeping,
 * whose statements are sent as one query and so commit together. A failure says which statements committed.
 */
async function runOutsideTransaction(db: RunSession, step: Step, state: RunState): Promise<void> {
  state.outside = { step, done: 0 };
  for (const [i, s] of step.statements.entries()) {
    try {
      await db.unsafe(s.text);
    } catch (error) {
      if (error instanceof ConnectionLost || !isServerError(error)) throw error;
      const origin: SqlOrigin = { ...step.origin, offset: step.origin.offset + s.textStart };
      const offset =
        fileOffsetOfPosition(origin, s.text.length, error.position) ?? step.origin.offset + s.start;
      const before = step.statements.slice(0, i).map((c) => {
        const at = locationAt(step.origin.text, step.origin.offset + c.start);
        return `${step.file}:${at.line}:${at.column}`;
      });
      throw sqlFailure(
        describeStep(step),
        step.origin,
        error,
        offset,
        `the section runs without a transaction (\`-- dbcanon:no-transaction\`, line ${step.noTransaction}), so ${
          before.length === 0
            ? 'none of its statements committed'
            : `its ${before.length} statement(s) before the failing one committed and stay (${before.join(', ')})`
        }, and it is not recorded as applied: fix the failing statement, make the committed ones re-runnable (IF NOT EXISTS) or undo them, and run it again${
          state.committed.length > 0 ? `; committed earlier in this run: ${state.committed.join(', ')}` : ''
        }`,
      );
    }
    state.outside.done = i + 1;
  }
  await db.unsafe(step.record);
  state.outside = null;
}

/**
 * Runs the steps: one transaction, broken only around no-transaction steps. Reports each step through `done`
 * as it completes (before the commit: a later failure rolls it back, and the error says so).
 */
async function execute(
  db: RunSession,
  steps: Step[],
  state: RunState,
  done: (step: StepResult) => void,
): Promise<void> {
  let open: Step[] | null = null; // steps run in the open transaction, or null when none is open
  const commit = async () => {
    if (open === null) return;
    state.committing = true;
    await db.unsafe('commit');
    state.committing = false;
    state.committed.push(...open.map((s) => s.name));
    open = null;
  };
  const hint = () =>
    state.committed.length === 0
      ? ROLLED_BACK_HINT
      : `the run's transaction since its last no-transaction section was rolled back; committed before that and still applied: ${state.committed.join(', ')}. Fix the SQL and run it again`;
  try {
    for (const step of steps) {
      const started = performance.now();
      state.started = true;
      if (step.noTransaction === null) {
        if (open === null) {
          await db.unsafe('begin');
          open = [];
        }
        await runInTransaction(db, step, hint);
        open.push(step);
      } else {
        await commit();
        await runOutsideTransaction(db, step, state);
        state.committed.push(step.name);
      }
      done({
        kind: step.kind,
        direction: step.direction,
        name: step.name,
        file: step.file,
        ms: performance.now() - started,
      });
    }
    await commit();
  } catch (e) {
    if (open !== null && !db.lost() && !state.committing) await db.unsafe('rollback').catch(() => {});
    if (state.committing && !(e instanceof ConnectionLost) && isServerError(e)) {
      // A deferred constraint is checked at COMMIT, after every step ran: the file is known only when the
      // transaction held one step.
      const held: Step[] = open ?? [];
      const only = held.length === 1 ? held[0] : undefined;
      throw new DbcanonError('MIGRATE_FAILED', `committing the run failed: ${e.message}`, {
        ...(only ? { location: { file: only.file } } : {}),
        details: [
          ...(e.code ? [`SQLSTATE ${e.code}`] : []),
          ...(e.detail ? [`detail: ${e.detail}`] : []),
          ...(only ? [] : [`the transaction held: ${held.map((s) => s.name).join(', ')}`]),
        ],
        hint: `${hint()} (a constraint declared DEFERRABLE INITIALLY DEFERRED is checked only when the run commits)`,
        cause: e,
      });
    }
    throw e;
  }
}

function progress(options: RunOptions, applied: StepResult[]) {
  return (step: StepResult) => {
    applied.push(step);
    const verb = step.direction === 'down' ? 'reverted' : 'applied';
    const what = step.kind === 'repeatable' ? `repeatable ${step.file}` : step.name;
    options.log?.(`${verb} ${what} (${step.ms.toFixed(0)} ms)`);
  };
}

/** Applies pending migrations (at most `count`), then changed repeatables, in one transaction. */
export async function runUp(options: RunOptions): Promise<MigrateResult> {
  const { config, root } = options;
  const missing = missingMigrationDirs(root, config);
  const [{ files, compareNames, runner }, repeatableFiles] = await Promise.all([
    listRunnableMigrations(root, config),
    listRepeatableFiles(root, config),
  ]);
  const format = historyFormat(runner.id);
  const t = tableNames(config, format);
  return underLock(options, async (db, state) => {
    const records = await readRecords(db, config, format);
    const status = computeStatus(files, repeatableFiles, records, compareNames);
    refuseDrift(config, status.migrations, options.allowChanged === true);
    refuseOutOfOrder(status);

    const pending = status.migrations.filter((m) => m.state === 'pending');
    const toRun = pending.slice(0, checkedCount(options.count ?? pending.length));
    const byName = new Map(files.map((f) => [f.name, f]));
    const repeatablesToRun = repeatableFiles.filter((f) => records.repeatables.get(f.file) !== f.checksum);
    const steps = [
      ...toRun.map((m) => migrationStep(t, byName.get(m.name) as MigrationFile, 'up')),
      ...repeatablesToRun.map((f) => repeatableStep(t, f)),
    ];
    await checkSteps(steps);

    if (options.dryRun) return dryRun(steps, missing);

    await ensureBookkeeping(db, config, format);
    if (records.legacy) for (const line of await adoptLegacyRecords(db, config)) options.log?.(line);
    const adopted = status.migrations.filter(
      (m) => m.state === 'applied' && m.recordedChecksum === null && m.file,
    );
    for (const m of adopted) {
      await db.unsafe(recordChecksumSql(t, m.name, m.currentChecksum as string));
      options.log?.(`recorded the checksum of ${m.name} (applied before dbcanon tracked checksums)`);
    }

    const applied: StepResult[] = [];
    await execute(db, steps, state, progress(options, applied));
    return {
      applied,
      planned: [],
      adopted: adopted.map((m) => m.name),
      dryRun: false,
      missingMigrationDirs: missing,
    };
  });
}

/** Reverts the `count` (default 1) most recently applied migrations, newest first, in one transaction. */
export async function runDown(options: RunOptions): Promise<MigrateResult> {
  const { config, root } = options;
  const missing = missingMigrationDirs(root, config);
  const { files, compareNames, runner } = await listRunnableMigrations(root, config);
  const format = historyFormat(runner.id);
  const t = tableNames(config, format);
  return underLock(options, async (db, state) => {
    const records = await readRecords(db, config, format);
    const status = computeStatus(files, [], records, compareNames);
    const byName = new Map(status.migrations.map((m) => [m.name, m]));
    const count = checkedCount(options.count ?? 1);
    const toRevert = records.applied
      .slice(Math.max(0, records.applied.length - count))
      .reverse()
      .map((a) => byName.get(a.name) as MigrationStatusEntry);
    refuseDrift(config, toRevert, options.allowChanged === true);
    const fileByName = new Map(files.map((f) => [f.name, f]));
    const steps: Step[] = [];
    for (const m of toRevert) {
      const f = fileByName.get(m.name);
      // --allow-changed lets a changed file through, but a missing one has no Down section to run.
      if (!f) {
        throw new DbcanonError('MIGRATE_MISSING', `cannot revert ${m.name}: its file is gone`, {
          location: { file: missingFile(config, m.name) },
          hint: 'restore the file from version control to revert it',
        });
      }
      if (!f.parts.down) {
        throw new DbcanonError(
          'MIGRATE_FAILED',
          runner.id === 'supabase'
            ? `cannot revert ${m.name}: Supabase migrations are up-only (the whole file is the migration, with no Down part)`
            : `cannot revert ${m.name}: it has no -- Down Migration section`,
          {
            location: { file: f.file },
            hint:
              runner.id === 'supabase'
                ? 'write a new migration that undoes it (`dbcanon migrate new`), or reset a local database with `supabase db reset`'
                : 'add a `-- Down Migration` section that undoes the Up section',
          },
        );
      }
      steps.push(migrationStep(t, f, 'down'));
    }
    await checkSteps(steps);
    if (options.dryRun) return dryRun(steps, missing);

    const applied: StepResult[] = [];
    if (steps.length > 0) {
      await ensureBookkeeping(db, config, format);
      if (records.legacy) for (const line of await adoptLegacyRecords(db, config)) options.log?.(line);
      await execute(db, steps, state, progress(options, applied));
      // Each revert forgot the repeatables' checksums with it (see migrationStep).
      options.log?.('every repeatable will be applied again by the next `migrate up`');
    }
    return { applied, planned: [], adopted: [], dryRun: false, missingMigrationDirs: missing };
  });
}
