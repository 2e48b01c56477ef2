/**
 * The migration files on disk: versioned migrations (from the config's `migrations` dirs, as the project's
 * runner reads them: src/migrate/history.ts) and repeatables (from its `repeatables` dirs), each with the SHA-256
 * of its bytes.
 */

import path from 'node:path';
import type { DbcanonConfig, MigrationRunnerId } from '../config/schema.js';
import { DbcanonError } from '../errors.js';
import type { FileTexts } from '../io/file-texts.js';
import {
  type MigrationFile,
  type MigrationHistory,
  readMigrationHistory,
  type SkippedMigration,
} from './history.js';
import type { MigrationRunner } from './runners/runner.js';
import { readSqlFile, type SqlFile, sqlFileNames } from './sql-file.js';

export type { MigrationFile } from './history.js';
export { compareMigrationNames } from './runners/node-pg-migrate.js';
export { type SqlFile, sha256 } from './sql-file.js';

/** A file of a migrations dir that has no place in the runner's order (for the `migration-name` rule). */
export type MisnamedMigration = SkippedMigration;

/** Refuses a history with files its runner passes over: a run without them would not be the project's history. */
function refuseSkipped(history: MigrationHistory): void {
  const first = history.skipped[0];
  if (!first) return;
  const { runner } = history;
  const fileName = path.posix.basename(first.file);
  throw new DbcanonError(
    'MIGRATE_NAME',
    first.reason === 'duplicate-name'
      ? `migration '${fileName.replace(/\.sql$/, '')}' exists twice (also ${first.other})`
      : `'${fileName}' does not match ${runner.pattern}, so it has no place in ${runner.title}'s order`,
    {
      location: { file: first.file },
      details: history.skipped.slice(1).map((s) => `${s.file}: also left out`),
      hint:
        first.reason === 'duplicate-name'
          ? 'migrations are recorded by name, so each name may appear in only one migrations dir'
          : runner.id === 'node-pg-migrate'
            ? 'name migrations YYYYMMDDHHMMSS_snake_name.sql (`dbcanon migrate new NAME` does it for you)'
            : `rename it to ${runner.pattern}, or move it out of the migrations folder`,
    },
  );
}

/**
 * Versioned migration files of every `migrations` dir, in the order the runner applies them. A file the runner
 * would pass over is an error (`MIGRATE_NAME`) for `dbcanon migrate`, which would otherwise run a history without
 * it; given `misnamed`, it is left out and reported there instead, so that `dbcanon check` reads everything else
 * and turns it into a finding.
 */
export async function listMigrationFiles(
  root: string,
  config: DbcanonConfig,
  texts?: FileTexts,
  misnamed?: MisnamedMigration[],
): Promise<MigrationFile[]> {
  const history = await readMigrationHistory(root, config, texts);
  if (misnamed) misnamed.push(...history.skipped);
  else refuseSkipped(history);
  return history.files;
}

/**
 * The runners whose files `dbcanon migrate` applies itself: their Up parts are plain SQL, which it runs in its own
 * transactions and records in node-pg-migrate's table. The others have bookkeeping of their own that a second
 * runner would contradict.
 */
const APPLIED_BY_DBCANON: ReadonlySet<MigrationRunnerId> = new Set(['node-pg-migrate', 'supabase']);

export interface RunnableMigrations {
  /** In the order the project's runner applies them: the history `check` replays. */
  files: MigrationFile[];
  /** The runner's order of two migration names, for applied migrations whose file is gone. */
  compareNames(a: string, b: string): number;
  /** The runner: whose history table records the run (src/migrate/bookkeeping.ts), whose files have Down parts. */
  runner: MigrationRunner;
}

/** What `dbcanon migrate up`, `down` and `status` work on: the history `check` reads, in the same order. */
export async function listRunnableMigrations(
  root: string,
  config: DbcanonConfig,
): Promise<RunnableMigrations> {
  const history = await readMigrationHistory(root, config);
  const { runner } = history;
  if (!APPLIED_BY_DBCANON.has(runner.id)) {
    throw new DbcanonError(
      'CONFIG_INVALID',
      `\`dbcanon migrate\` applies migrations in node-pg-migrate's and the Supabase CLI's formats, and this project's are ${runner.title}'s (${history.because})`,
      {
        hint: `apply them with ${runner.title} (\`dbcanon check\` reads them as it does), or set "migrationRunner" if the detection is wrong`,
      },
    );
  }
  refuseSkipped(history);
  const key = (name: string) => ({ name, version: /^\d*/.exec(name)?.[0] ?? '', fileName: `${name}.sql` });
  return { files: history.files, compareNames: (a, b) => runner.compare(key(a), key(b)), runner };
}

/** Repeatable files: each `repeatables` dir in config order, its files in file-name order. */
export async function listRepeatableFiles(
  root: string,
  config: DbcanonConfig,
  texts?: FileTexts,
): Promise<SqlFile[]> {
  const found: SqlFile[] = [];
  for (const dir of config.repeatables) {
    const abs = path.resolve(root, dir);
    const names = (await sqlFileNames(abs)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    found.push(...names.map((fileName) => readSqlFile(root, path.join(abs, fileName), texts)));
  }
  return found;
}
