/**
 * What a migration tool makes of a migrations folder: which entries are migrations, what they are called, in which
 * order it applies them, which part of a file it runs, and how it wraps that part in transactions. One file per
 * tool in this folder holds its facts, with the source they were read from; src/migrate/history.ts turns a
 * project's folders into one history with them.
 */
import type { MigrationRunnerId } from '../../config/schema.js';
import type { MigrationSection } from '../sections.js';

/** One entry of a migrations folder. */
export interface FolderEntry {
  name: string;
  directory: boolean;
}

/** Why a runner passes over a `.sql` file of its folder (src/lint/rules/migration-name.ts words it). */
export type SkipReason =
  /** The name does not match the runner's pattern. */
  | 'pattern'
  /** Supabase: a first file `<timestamp>_init.sql` older than 2021-12-09, skipped for compatibility. */
  | 'legacy-init'
  /** drizzle: a `.sql` file that no entry of meta/_journal.json names. */
  | 'not-in-journal';

export type ListedEntry =
  | {
      kind: 'migration';
      /** The SQL file, relative to the folder, with `/` separators (`0001_x.sql`, `20240101_init/migration.sql`). */
      path: string;
      /** What the runner calls the migration (file name without `.sql`, prisma's folder name, drizzle's tag). */
      name: string;
      /** What the runner orders and records by: the numeric prefix, flyway's version, drizzle's tag. */
      version: string;
      /** drizzle: the entry's place in the journal, which is the order. */
      position?: number;
      /** drizzle: the entry's `when`, which decides whether it is pending. */
      when?: number;
      /** flyway: the script's `.conf` says `executeInTransaction=false`. */
      noTransaction?: boolean;
    }
  | { kind: 'skipped'; path: string; reason: SkipReason };

/** The parts of a migration's text the runner runs, and whether each opts out of the runner's transaction. */
export interface MigrationParts {
  up: MigrationSection;
  /** Null when the file has no Down part (or the runner keeps it in another file). */
  down: MigrationSection | null;
  upNoTransaction: boolean;
  downNoTransaction: boolean;
}

/** What `compare` sees of a migration. */
export interface OrderKey {
  name: string;
  version: string;
  /** The SQL file's name (prisma: its folder's), as a directory listing shows it. */
  fileName: string;
  position?: number;
}

/**
 * How the runner applies one migration's part:
 * - `migration`: in a transaction it opens and commits around the part (and its bookkeeping), unless the part
 *   opts out (`optOut`);
 * - `implicit`: the part is sent as one multi-statement batch or query, which Postgres runs as one implicit
 *   transaction; a single statement runs outside any transaction block;
 * - `run`: every pending migration of a run in one transaction, with no way out.
 */
export type TransactionScope = 'migration' | 'implicit' | 'run';

export interface MigrationRunner {
  id: MigrationRunnerId;
  /** As messages name it: `the Supabase CLI`. */
  title: string;
  /** The migration file name it expects, as users read it: `<digits>_<name>.sql`. */
  pattern: string;
  /** Reads one folder's entries (the folder's absolute path, for the files some runners read to list it). */
  list(dir: string, entries: readonly FolderEntry[]): ListedEntry[];
  /** The runner's order of two migrations (ties across folders are broken by folder order). */
  compare(a: OrderKey, b: OrderKey): number;
  /** The runner's reading of a migration file's text. */
  parts(text: string): MigrationParts;
  transaction: TransactionScope;
  /** How a migration leaves the runner's transaction, for messages ("a migration of its own with …"); null when it cannot. */
  optOut: string | null;
  /**
   * What the runner records an applied migration by, so what must be unique: its `name` (a second file of the
   * same name is left out), or its `version` (two files of one version clash when the second is recorded).
   */
  key: 'name' | 'version';
  /** Versions are numbers: `20250101_x` (8 digits) runs before `20240101000000_y` (14). */
  numericVersions: boolean;
}

/**
 * The `.sql` files of a flat folder (the layout of most runners): each one `pattern` matches is a migration, named
 * by `read` (or a file the runner keeps for another purpose when it returns null, like golang-migrate's
 * `.down.sql`); each other one is skipped by its name.
 */
export function listSqlFiles(
  entries: readonly FolderEntry[],
  pattern: RegExp,
  read: (match: RegExpExecArray, fileName: string) => { name: string; version: string } | null = (m, f) => ({
    name: f.slice(0, -'.sql'.length),
    version: m[1] ?? '',
  }),
): ListedEntry[] {
  const out: ListedEntry[] = [];
  for (const e of entries) {
    if (e.directory || !e.name.endsWith('.sql')) continue;
    const m = pattern.exec(e.name);
    const migration = m ? read(m, e.name) : null;
    if (!m) out.push({ kind: 'skipped', path: e.name, reason: 'pattern' });
    else if (migration) out.push({ kind: 'migration', path: e.name, ...migration });
  }
  return out;
}

/** The whole file is the Up part; the runner keeps no Down part in it. */
export function wholeFile(text: string, noTransaction = false): MigrationParts {
  return {
    up: { sql: text, line: 1, offset: 0 },
    down: null,
    upNoTransaction: noTransaction,
    downNoTransaction: false,
  };
}

/** Code-unit order, which is Go's byte order of UTF-8 names for every name without astral characters. */
export function compareFileNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const byFileName = (a: OrderKey, b: OrderKey): number => compareFileNames(a.fileName, b.fileName);

/** Numeric order of decimal versions (any length, so no precision is lost), then file name. */
export function byNumericVersion(a: OrderKey, b: OrderKey): number {
  return compareDecimal(a.version, b.version) || byFileName(a, b);
}

/** Compares two strings of digits as the numbers they spell. */
export function compareDecimal(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}
