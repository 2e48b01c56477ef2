/**
 * The migration runner's public API. Implemented in this directory (runner, repeatables, checksums, lock);
 * the CLI (`dbcanon migrate`) and the test harness call only what is exported here.
 */
import { DbcanonError } from '../errors.js';

export interface MigrateOptions {
  databaseUrl: string;
  /** Absolute project root (migrations/, schema/, policies/ are resolved against it via the config). */
  root: string;
  /** Apply at most this many versioned migrations (repeatables still run after them). */
  count?: number;
  dryRun?: boolean;
  /** Apply even when an applied file changed or disappeared. */
  allowChanged?: boolean;
  /** Wait for another run's lock (default) or fail at once. */
  wait?: boolean;
  /** One line per migration as it completes. */
  log?: (line: string) => void;
}

export async function migrateUp(_options: MigrateOptions): Promise<unknown> {
  throw new DbcanonError('MIGRATE_FAILED', 'the migration runner is not part of this build yet');
}
