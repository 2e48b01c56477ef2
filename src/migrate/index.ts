/**
 * The migration runner's public API. The CLI (`dbcanon migrate`), the test harness, `check --db` and the docs
 * commands call only what is exported here. The runner (and the SQL parser it checks sections with) is loaded
 * only by `migrateUp`/`migrateDown`, so `migrationStatus` and `readAppliedMigrations` stay light.
 */
import { loadConfigLazily } from '../config/defaults.js';
import type { DbcanonConfig } from '../config/schema.js';
import { withConnection } from '../db/connect.js';
import type { MigrationRecord } from '../lint/types.js';
import { historyFormat, readRecords } from './bookkeeping.js';
import { listMigrationFiles, listRepeatableFiles, listRunnableMigrations } from './files.js';
import { chooseRunner } from './runners/index.js';
import { computeStatus, type MigrationStatus, migrationRecords } from './status.js';

export type { MigrationFile, SqlFile } from './files.js';
export { MIGRATION_TEMPLATE, type NewMigrationOptions, newMigration } from './new-migration.js';
export type { MigrateResult, PlannedStep, StepResult } from './run.js';
export { type MigrationSection, type MigrationSections, splitMigration } from './sections.js';
export type {
  MigrationState,
  MigrationStatus,
  MigrationStatusEntry,
  OrderProblem,
  RepeatableState,
  RepeatableStatusEntry,
} from './status.js';
export { migrationRecords } from './status.js';

export interface MigrateOptions {
  databaseUrl: string;
  /** Absolute project root (migrations/, schema/, policies/ are resolved against it via the config). */
  root: string;
  /** The project's config; read from `root` when not given. */
  config?: DbcanonConfig;
  /** Apply (up) or revert (down, default 1) at most this many versioned migrations. Repeatables still run after `up`. */
  count?: number;
  dryRun?: boolean;
  /** Apply even when an applied file changed or disappeared. */
  allowChanged?: boolean;
  /** Wait for another run's lock (default) or fail at once. */
  wait?: boolean;
  /** One line per migration as it completes (and a line when waiting for the lock). */
  log?: (line: string) => void;
}

/** Whose history table the project's runner keeps (the Supabase CLI's or node-pg-migrate's). */
export function formatOf(root: string, config: DbcanonConfig) {
  return historyFormat(chooseRunner(root, config).runner.id);
}

async function resolved(options: { root: string; config?: DbcanonConfig }): Promise<DbcanonConfig> {
  return options.config ?? (await loadConfigLazily(options.root)).config;
}

/** Applies pending migrations (refusing changed, missing or out-of-order files), then changed repeatables. */
export async function migrateUp(options: MigrateOptions) {
  const { runUp } = await import('./run.js');
  return runUp({ ...options, config: await resolved(options) });
}

/** Reverts the most recently applied migrations (`count`, default 1), newest first. */
export async function migrateDown(options: MigrateOptions) {
  const { runDown } = await import('./run.js');
  return runDown({ ...options, config: await resolved(options) });
}

/** Applied, pending, changed and missing migrations and the state of each repeatable. Takes no lock. */
export async function migrationStatus(options: {
  databaseUrl: string;
  root: string;
  config?: DbcanonConfig;
}): Promise<MigrationStatus> {
  const config = await resolved(options);
  const [{ files, compareNames }, repeatables, records] = await Promise.all([
    listRunnableMigrations(options.root, config),
    listRepeatableFiles(options.root, config),
    withConnection(options.databaseUrl, (sql) => readRecords(sql, config, formatOf(options.root, config)), {
      max: 1,
      fetchTypes: false,
    }),
  ]);
  return computeStatus(files, repeatables, records, compareNames);
}

/** Applied migrations in the order they ran, with the recorded and the current checksum of each file. */
export async function readAppliedMigrations(
  databaseUrl: string,
  root: string,
  config: DbcanonConfig,
): Promise<MigrationRecord[]> {
  const [files, records] = await Promise.all([
    listMigrationFiles(root, config),
    withConnection(databaseUrl, (sql) => readRecords(sql, config, formatOf(root, config)), {
      max: 1,
      fetchTypes: false,
    }),
  ]);
  return migrationRecords(files, records);
}
