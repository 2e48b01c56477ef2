/**
 * `migrate up` and `migrate down`: the checks dbcanon adds (checksums, order, missing files), the lock, and
 * node-pg-migrate's runner doing the versioned migrations, then the repeatables.
 *
 * Everything runs on one dedicated connection (postgres.js, max 1): it holds the advisory lock for the whole
 * run and node-pg-migrate gets it as its `dbClient`, so no second connection (and no `pg` pool) is opened.
 */
import path from 'node:path';
import type { DbcanonConfig } from '../config/schema.js';
import { connect, redactUrl, type Sql } from '../db/connect.js';
import { DbcanonError } from '../errors.js';
import {
  ensureBookkeeping,
  forgetChecksumSql,
  forgetRepeatablesSql,
  readRecords,
  recordChecksumSql,
  recordRepeatableSql,
} from './bookkeeping.js';
import { listMigrationFiles, listRepeatableFiles, type MigrationFile, type SqlFile } from './files.js';
import { findFailingStatement } from './locate-statement.js';
import { acquireLock, releaseLock } from './lock.js';
import { pipelinedClient } from './pipelined-client.js';
import { type MigrationSection, splitMigration } from './sections.js';
import { fileOffsetOfPosition, isServerError, type SqlOrigin, sqlFailure } from './sql-error.js';
import { computeStatus, type MigrationStatus, type MigrationStatusEntry } from './status.js';

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
}

/** Opens the run's connection, takes the lock, runs `fn`, and always releases both. */
async function underLock<T>(options: RunOptions, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const sql = connect(options.databaseUrl, { max: 1, applicationName: 'dbcanon migrate', fetchTypes: false });
  try {
    try {
      await acquireLock(sql, options.wait !== false, options.log);
    } catch (e) {
      if (e instanceof DbcanonError) throw e;
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
      return await fn(sql);
    } finally {
      await releaseLock(sql).catch(() => {});
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Where a missing migration's file was (the first migrations dir: the file itself is gone). */
function missingFile(config: DbcanonConfig, name: string): string {
  return `${config.migrations[0] ?? 'migrations'}/${name}.sql`;
}

/**
 * Runs `fn` (which commits one transaction per migration or repeatable) with asynchronous commit, then makes
 * all of it durable with one synchronous commit. A synchronous commit waits for a WAL flush (8 ms on this
 * kind of disk), which for 200 small migrations costs more than their DDL; each transaction stays atomic
 * either way, and the closing commit flushes the WAL of every one before it, so when the run returns
 * successfully (or with an error) all it committed is on disk.
 */
async function durably<T>(sql: Sql, fn: () => Promise<T>): Promise<T> {
  await sql.unsafe('set synchronous_commit = off');
  const flush = async () => {
    await sql.unsafe('reset synchronous_commit');
    // Taking an xid makes this transaction write a commit record, so its synchronous commit flushes the WAL.
    await sql.begin((tx) => tx.unsafe('select pg_current_xact_id()'));
  };
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    // The run's own error is the one to report; a flush failing after it (a lost connection) says less.
    await flush().catch(() => {});
    throw e;
  }
  await flush();
  return result;
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

interface Job {
  migration: MigrationFile;
  section: MigrationSection;
  bookkeeping: string;
}

interface Failure {
  job: Job;
  error: unknown;
  /** The statement text that failed: the section, or one of the bookkeeping statements around it. */
  text: string;
}

/**
 * Runs the versioned migrations through node-pg-migrate, each in its own transaction with its checksum
 * recorded inside that same transaction. Reports a failure as a located DbcanonError.
 */
async function runVersioned(
  sql: Sql,
  options: RunOptions,
  direction: 'up' | 'down',
  files: MigrationFile[],
  count: number,
  done: (step: StepResult) => void,
): Promise<void> {
  const { runner } = await import('node-pg-migrate');
  const { config, root } = options;
  const byPath = new Map(files.map((f) => [f.path, f]));

  let current: Job | null = null;
  let started = 0;
  let failure: Failure | null = null;

  const jobFor = (m: MigrationFile, section: MigrationSection): Job => ({
    migration: m,
    section,
    bookkeeping:
      direction === 'up' ? recordChecksumSql(config, m.name, m.checksum) : forgetChecksumSql(config, m.name),
  });

  // node-pg-migrate calls an action once per migration it applies, right before sending its SQL.
  const action = (m: MigrationFile, section: MigrationSection | null) => {
    if (!section) return false as const;
    return (pgm: { sql: (s: string) => void }) => {
      current = jobFor(m, section);
      started = performance.now();
      pgm.sql(section.sql);
      pgm.sql(current.bookkeeping);
    };
  };

  const loader = async (filePaths: string[]) =>
    filePaths.map((p) => {
      const m = byPath.get(p);
      if (!m)
        throw new DbcanonError('IO_READ', `migration file appeared during the run`, {
          location: { file: p },
        });
      const sections = splitMigration(m.text);
      return {
        id: p,
        filePaths: [p],
        actions: { up: action(m, sections.up), down: action(m, sections.down) },
      };
    });

  const client = pipelinedClient(sql, {
    inMigration: () => current !== null,
    committed: () => {
      const job = current as Job;
      done({
        kind: 'migration',
        direction,
        name: job.migration.name,
        file: job.migration.file,
        ms: performance.now() - started,
      });
      current = null;
    },
    failed: (text, error) => {
      failure ??= { job: current as Job, error, text };
    },
  });

  const dirs = config.migrations.map((d) => path.resolve(root, d));
  const noop = () => {};
  try {
    await runner({
      dbClient: client as never,
      ...(dirs.length === 1
        ? { dir: dirs[0] as string, ignorePattern: '(?:\\..*|(?!.*\\.sql$).*)' }
        : { dir: dirs.map((d) => `${d}/*.sql`), useGlob: true }),
      migrationsTable: config.migrationsTable,
      migrationsSchema: config.migrationsSchema,
      direction,
      count,
      checkOrder: false,
      noLock: true,
      singleTransaction: false,
      migrationLoaderStrategies: [{ extensions: ['.sql'], loader }],
      logger: { info: noop, warn: noop, error: noop } as never,
    });
  } catch (error) {
    await sql.unsafe('rollback').catch(() => {});
    const f = failure as Failure | null;
    if (f === null || !isServerError(f.error)) {
      if (error instanceof DbcanonError) throw error;
      throw new DbcanonError('MIGRATE_FAILED', `node-pg-migrate failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const { job } = f;
    const origin: SqlOrigin = {
      file: job.migration.file,
      text: job.migration.text,
      offset: job.section.offset,
    };
    // node-pg-migrate sends the section as it is, with a `;` appended when it does not end in one.
    const inSection = f.text === job.section.sql || f.text === `${job.section.sql};`;
    let offset = inSection ? fileOffsetOfPosition(origin, job.section.sql.length, f.error.position) : null;
    if (offset === null && inSection) {
      const within = await findFailingStatement(sql, job.section.sql, f.error.code);
      offset = within === null ? null : job.section.offset + within;
    }
    const what = `${direction === 'up' ? 'migration' : 'reverting'} ${job.migration.name}`;
    throw sqlFailure(what, origin, f.error, offset);
  }
}

/** Applies each repeatable whose content differs from what was last applied, each in its own transaction. */
async function runRepeatables(
  sql: Sql,
  config: DbcanonConfig,
  files: SqlFile[],
  done: (step: StepResult) => void,
): Promise<void> {
  for (const f of files) {
    const started = performance.now();
    try {
      await sql.begin(async (tx) => {
        if (f.text.trim() !== '') await tx.unsafe(f.text);
        await tx.unsafe(recordRepeatableSql(config, f.file, f.checksum));
      });
    } catch (error) {
      if (!isServerError(error)) throw error;
      const origin: SqlOrigin = { file: f.file, text: f.text, offset: 0 };
      const offset =
        fileOffsetOfPosition(origin, f.text.length, error.position) ??
        (await findFailingStatement(sql, f.text, error.code));
      throw sqlFailure(`repeatable ${f.file}`, origin, error, offset);
    }
    done({
      kind: 'repeatable',
      direction: 'up',
      name: f.file,
      file: f.file,
      ms: performance.now() - started,
    });
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

/** Applies pending migrations (at most `count`), then changed repeatables. */
export async function runUp(options: RunOptions): Promise<MigrateResult> {
  const { config, root } = options;
  const [files, repeatableFiles] = await Promise.all([
    listMigrationFiles(root, config),
    listRepeatableFiles(root, config),
  ]);
  return underLock(options, async (sql) => {
    const records = await readRecords(sql, config);
    const status = computeStatus(files, repeatableFiles, records);
    refuseDrift(config, status.migrations, options.allowChanged === true);
    refuseOutOfOrder(status);

    const pending = status.migrations.filter((m) => m.state === 'pending');
    const toRun = pending.slice(0, options.count ?? pending.length);
    const byName = new Map(files.map((f) => [f.name, f]));
    const repeatablesToRun = repeatableFiles.filter((f) => records.repeatables.get(f.file) !== f.checksum);

    if (options.dryRun) {
      const planned: PlannedStep[] = [
        ...toRun.map((m) => {
          const f = byName.get(m.name) as MigrationFile;
          return {
            kind: 'migration' as const,
            direction: 'up' as const,
            name: f.name,
            file: f.file,
            sql: splitMigration(f.text).up.sql,
          };
        }),
        ...repeatablesToRun.map((f) => ({
          kind: 'repeatable' as const,
          direction: 'up' as const,
          name: f.file,
          file: f.file,
          sql: f.text,
        })),
      ];
      return { applied: [], planned, adopted: [], dryRun: true };
    }

    await ensureBookkeeping(sql, config);
    const adopted = status.migrations.filter(
      (m) => m.state === 'applied' && m.recordedChecksum === null && m.file,
    );
    for (const m of adopted) {
      await sql.unsafe(recordChecksumSql(config, m.name, m.currentChecksum as string));
      options.log?.(`recorded the checksum of ${m.name} (applied before dbcanon tracked checksums)`);
    }

    const applied: StepResult[] = [];
    const done = progress(options, applied);
    if (toRun.length > 0 || repeatablesToRun.length > 0) {
      await durably(sql, async () => {
        if (toRun.length > 0) await runVersioned(sql, options, 'up', files, toRun.length, done);
        await runRepeatables(sql, config, repeatablesToRun, done);
      });
    }
    return { applied, planned: [], adopted: adopted.map((m) => m.name), dryRun: false };
  });
}

/** Reverts the `count` (default 1) most recently applied migrations, newest first. */
export async function runDown(options: RunOptions): Promise<MigrateResult> {
  const { config, root } = options;
  const files = await listMigrationFiles(root, config);
  return underLock(options, async (sql) => {
    const records = await readRecords(sql, config);
    const status = computeStatus(files, [], records);
    const byName = new Map(status.migrations.map((m) => [m.name, m]));
    const toRevert = records.applied
      .slice(-(options.count ?? 1))
      .reverse()
      .map((a) => byName.get(a.name) as MigrationStatusEntry);
    refuseDrift(config, toRevert, options.allowChanged === true);
    const fileByName = new Map(files.map((f) => [f.name, f]));
    const planned: PlannedStep[] = [];
    for (const m of toRevert) {
      const f = fileByName.get(m.name);
      // --allow-changed lets a changed file through, but a missing one has no Down section to run.
      if (!f) {
        throw new DbcanonError('MIGRATE_MISSING', `cannot revert ${m.name}: its file is gone`, {
          location: { file: missingFile(config, m.name) },
          hint: 'restore the file from version control to revert it',
        });
      }
      const down = splitMigration(f.text).down;
      if (!down) {
        throw new DbcanonError(
          'MIGRATE_FAILED',
          `cannot revert ${m.name}: it has no -- Down Migration section`,
          {
            location: { file: f.file },
            hint: 'add a `-- Down Migration` section that undoes the Up section',
          },
        );
      }
      planned.push({ kind: 'migration', direction: 'down', name: f.name, file: f.file, sql: down.sql });
    }
    if (options.dryRun) return { applied: [], planned, adopted: [], dryRun: true };

    const applied: StepResult[] = [];
    if (toRevert.length > 0) {
      await ensureBookkeeping(sql, config);
      await durably(sql, async () => {
        await runVersioned(sql, options, 'down', files, toRevert.length, progress(options, applied));
        // A revert may drop what repeatables created (a dropped table takes its triggers and policies with it),
        // and their unchanged checksums would keep the next `up` from putting it back: forget them all, so it
        // re-applies every repeatable. They are written to be re-run (CREATE OR REPLACE, DROP ... IF EXISTS).
        await sql.unsafe(forgetRepeatablesSql(config));
      });
      options.log?.('every repeatable will be applied again by the next `migrate up`');
    }
    return { applied, planned: [], adopted: [], dryRun: false };
  });
}
