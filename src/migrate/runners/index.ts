/**
 * The runners by id, and `auto`: which one a project's layout says applies its migrations folders.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DbcanonConfig, MigrationRunnerId } from '../../config/schema.js';
import { dbmate } from './dbmate.js';
import { drizzle } from './drizzle.js';
import { flyway } from './flyway.js';
import { golangMigrate } from './golang-migrate.js';
import { goose } from './goose.js';
import { nodePgMigrate } from './node-pg-migrate.js';
import { prisma } from './prisma.js';
import type { MigrationRunner } from './runner.js';
import { supabase } from './supabase.js';

export type { MigrationRunner } from './runner.js';

export const RUNNERS: Readonly<Record<MigrationRunnerId, MigrationRunner>> = {
  dbmate,
  drizzle,
  flyway,
  'golang-migrate': golangMigrate,
  goose,
  'node-pg-migrate': nodePgMigrate,
  prisma,
  supabase,
};

export interface ChosenRunner {
  runner: MigrationRunner;
  /** Why: `config` when the config names it, else the layout that decided (for messages and `--verbose`). */
  because: string;
  /**
   * The one folder the runner reads, when `auto` chose it by that folder (`supabase/migrations`: the Supabase CLI
   * reads no other). The other folders' files still join the history in the runner's order, but the runner's
   * record of versions (and so its duplicate-version failure) covers this folder alone. Absent: every folder.
   */
  folder?: string;
}

function entries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** How many `.sql` files of a folder are read for dbmate's and goose's markers: the first few decide. */
const PEEK = 5;

/** The runner one folder's contents point to, or null when they name none. */
function fromContents(dir: string): { id: MigrationRunnerId; because: string } | null {
  const list = entries(dir);
  const sql = list.filter((e) => !e.isDirectory() && e.name.endsWith('.sql')).map((e) => e.name);
  if (existsSync(path.join(dir, 'meta', '_journal.json')))
    return { id: 'drizzle', because: 'meta/_journal.json' };
  if (
    list.some((e) => e.name === 'migration_lock.toml') ||
    list.some((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'migration.sql')))
  ) {
    return { id: 'prisma', because: '<name>/migration.sql folders' };
  }
  if (sql.some((n) => /^\d+_.*\.(up|down)\.sql$/.test(n)))
    return { id: 'golang-migrate', because: '*.up.sql files' };
  if (sql.some((n) => /^V\d+(?:[._]\d+)*__/.test(n)))
    return { id: 'flyway', because: 'V<version>__*.sql files' };
  for (const name of sql.sort().slice(0, PEEK)) {
    let text = '';
    try {
      text = readFileSync(path.join(dir, name), 'utf8');
    } catch {
      continue;
    }
    if (/^--[ \t]*migrate:up\b/m.test(text)) return { id: 'dbmate', because: '`-- migrate:up` markers' };
    if (/^[ \t]*--[ \t]*\+goose[ \t]+up\b/im.test(text))
      return { id: 'goose', because: '`-- +goose Up` markers' };
  }
  return null;
}

/**
 * The project's runner: the config's `migrationRunner`, or with `auto` the first of: a migrations folder that is
 * `supabase/migrations`; a folder's layout (drizzle's journal, prisma's folders, golang-migrate's `.up.sql`,
 * Flyway's `V1__`, dbmate's or goose's markers); a `supabase/config.toml`; else node-pg-migrate's format, this
 * repository's own.
 */
export function chooseRunner(root: string, config: DbcanonConfig): ChosenRunner {
  if (config.migrationRunner !== 'auto') {
    return { runner: RUNNERS[config.migrationRunner], because: 'config "migrationRunner"' };
  }
  const dirs = config.migrations.map((d) => path.resolve(root, d));
  const supabaseDir = config.migrations.find((d) =>
    /(^|\/)supabase\/migrations$/.test(path.normalize(d).split(path.sep).join('/').replace(/\/$/, '')),
  );
  if (supabaseDir) {
    const only = config.migrations.length > 1 ? { folder: supabaseDir } : {};
    return { runner: supabase, because: `the folder ${supabaseDir}`, ...only };
  }
  for (const dir of dirs) {
    const found = fromContents(dir);
    if (found) return { runner: RUNNERS[found.id], because: found.because };
  }
  if (existsSync(path.join(root, 'supabase', 'config.toml'))) {
    return { runner: supabase, because: 'supabase/config.toml' };
  }
  return { runner: nodePgMigrate, because: 'no other runner’s layout' };
}
