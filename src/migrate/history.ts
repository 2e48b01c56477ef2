/**
 * The migration history as the project's runner sees it: the migrations of every `migrations` folder in the order
 * the runner applies them, the files it passes over, and what in its order would go wrong. `check` (the replay and
 * the migration rules), `migrate up`/`down` and `status` all read this one listing, so they never disagree about
 * which files run, or when.
 *
 * Several folders make one history: their migrations merged and sorted by the runner's order, files the order
 * cannot tell apart kept in folder order (dbmate, the one runner that reads several folders itself, does the same).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { DbcanonConfig } from '../config/schema.js';
import { DbcanonError } from '../errors.js';
import type { FileTexts } from '../io/file-texts.js';
import { type ChosenRunner, chooseRunner } from './runners/index.js';
import type { FolderEntry, MigrationParts, MigrationRunner, SkipReason } from './runners/runner.js';
import { readSqlFile, relative, type SqlFile } from './sql-file.js';

export interface MigrationFile extends SqlFile {
  /** What the runner calls the migration, and what `dbcanon migrate` records: the file name without `.sql`. */
  name: string;
  /** What the runner orders and records by (the numeric prefix, Flyway's version, drizzle's tag). */
  version: string;
  /** The runner's reading of the text: its Up and Down parts (read when first asked for). */
  readonly parts: MigrationParts;
}

/** A `.sql` file of a migrations folder that has no place in the history. */
export interface SkippedMigration {
  file: string;
  /** The runner's reason, or `duplicate-name`: a runner that records by name has that name from another folder. */
  reason: SkipReason | 'duplicate-name';
  /** For `duplicate-name`: the file that holds the name. */
  other?: string;
}

/** What in the history's order would go wrong with its runner (src/lint/rules/migration-order.ts words it). */
export type OrderProblem =
  /** A runner that records by version (Supabase, dbmate, goose, …) meets the version a second time. */
  | {
      kind: 'duplicate-version';
      file: string;
      version: string;
      other: string;
      /** The file reads as a script that undoes a migration (see undoesMigration): a new version would run it. */
      undoes?: true;
      /**
       * The first version no file uses that keeps the file where the runner applies it now (after `other`, before
       * the next version), when the version is all digits and one is free: `20250101000000` → `20250101000001`.
       * A version after the newest would move it behind later migrations that may build on it.
       */
      free?: string;
      /** The next version in the runner's order after this file's, if any (what `free` must stay below). */
      next?: string;
      /** When no version keeps the file's place: the first free one after it, which runs it after `next`. */
      later?: string;
    }
  /**
   * A runner that orders versions as numbers reads a date prefix of another length (`20251027` against
   * `20251101120000`) as a far smaller or larger number: `file` runs on the wrong side of `other` (and of
   * `count - 1` more), against what both names say.
   */
  | { kind: 'numeric-misorder'; file: string; other: string; runsEarly: boolean; count: number }
  /** drizzle: the journal entry's `when` is not later than the entry's before it (`other`). */
  | { kind: 'journal-time'; file: string; other: string };

export interface MigrationHistory {
  runner: MigrationRunner;
  /** Why this runner: `config "migrationRunner"` or the layout `auto` found. */
  because: string;
  /** In the order the runner applies them. */
  files: MigrationFile[];
  skipped: SkippedMigration[];
  orderProblems: OrderProblem[];
}

async function folderEntries(dir: string): Promise<FolderEntry[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => !e.name.startsWith('.'))
      .map((e) => ({ name: e.name, directory: e.isDirectory() }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new DbcanonError('IO_READ', `cannot read directory: ${(e as Error).message}`, {
      location: { file: dir },
    });
  }
}

function migrationFile(
  runner: MigrationRunner,
  file: SqlFile,
  name: string,
  version: string,
  noTransaction: boolean,
): MigrationFile {
  let parts: MigrationParts | undefined;
  return Object.defineProperties(file as MigrationFile, {
    name: { value: name, enumerable: true },
    version: { value: version, enumerable: true },
    parts: {
      enumerable: false,
      get() {
        if (!parts) {
          parts = runner.parts(file.text);
          if (noTransaction) parts = { ...parts, upNoTransaction: true, downNoTransaction: true };
        }
        return parts;
      },
    },
  });
}

const DATE = /^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d*$/;

/**
 * Date prefixes of another length than most (8 digits among 14): where a numeric order puts such a file on the
 * other side of a migration than its date does, it is reported once, with the first such migration.
 */
function numericMisorders(files: readonly MigrationFile[]): OrderProblem[] {
  const dated = files
    .map((f, index) => ({ f, index }))
    .filter(({ f }) => f.version.length >= 8 && f.version.length <= 17 && DATE.test(f.version));
  const lengths = new Map<number, number>();
  for (const { f } of dated) lengths.set(f.version.length, (lengths.get(f.version.length) ?? 0) + 1);
  const common = [...lengths].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
  const when = (v: string) => v.padEnd(17, '0');
  const out: OrderProblem[] = [];
  for (const d of dated) {
    if (d.f.version.length === common) continue;
    const conflicts = dated.filter(
      (g) =>
        g.f.version.length === common &&
        when(g.f.version) !== when(d.f.version) &&
        g.index < d.index !== when(g.f.version) < when(d.f.version),
    );
    const first = conflicts[0];
    if (!first) continue;
    out.push({
      kind: 'numeric-misorder',
      file: d.f.file,
      other: first.f.file,
      runsEarly: d.index < first.index,
      count: conflicts.length,
    });
  }
  return out;
}

/** `…_down.sql`, `…_rollback.sql`, `…_revert.sql`, `…_undo.sql`. */
const UNDO_NAME = /(?:^|[_.-])(?:down|rollback|revert|undo)\.sql$/i;

/**
 * A script that undoes a migration, kept beside it: its name says so and it drops more than it creates
 * (`20260509_feedback_rollback.sql` that adds a rollback feature is a migration like any other).
 */
function undoesMigration(f: MigrationFile): boolean {
  if (!UNDO_NAME.test(path.posix.basename(f.file))) return false;
  const count = (re: RegExp) => f.text.match(re)?.length ?? 0;
  return count(/^[ \t]*drop[ \t\n]/gim) > count(/^[ \t]*create[ \t\n]/gim);
}

/**
 * The smallest all-digit version above `file`'s, of the same length, that no file uses and that still puts the file
 * before `next` in the runner's order (versions as numbers, or whole file names as text for a file-name order):
 * renaming the file to it keeps the file where it runs now. Undefined when the version has other characters or
 * no such number is left.
 */
export function freeVersionAfter(
  file: { name: string; version: string },
  next: { name: string; version: string } | undefined,
  used: ReadonlySet<string>,
  numeric: boolean,
  normal: (v: string) => string = (v) => v,
): string | undefined {
  const { version } = file;
  if (!/^\d+$/.test(version) || !file.name.startsWith(version)) return undefined;
  const rest = file.name.slice(version.length);
  const before = (candidate: string) =>
    next === undefined ||
    (numeric && /^\d+$/.test(next.version)
      ? BigInt(candidate) < BigInt(next.version)
      : candidate + rest < next.name);
  // Each step passes a used version, so this ends within used.size + 1 steps.
  for (let n = BigInt(version) + 1n; ; n++) {
    const candidate = n.toString().padStart(version.length, '0');
    if (candidate.length > version.length || !before(candidate)) return undefined;
    if (!used.has(normal(candidate))) return candidate;
  }
}

function orderProblems(
  runner: MigrationRunner,
  files: readonly MigrationFile[],
  when: Map<MigrationFile, number>,
  recorded: (f: MigrationFile) => boolean,
) {
  const out: OrderProblem[] = [];
  if (runner.key === 'version') {
    const versioned = files.filter((f) => recorded(f) && f.version !== ''); // Flyway's repeatables have none
    const normal = (v: string) => (runner.numericVersions ? v.replace(/^0+(?=\d)/, '') : v);
    const used = new Set(versioned.map((f) => normal(f.version)));
    const first = new Map<string, string>();
    versioned.forEach((f, i) => {
      const v = normal(f.version);
      const other = first.get(v);
      if (!other) {
        first.set(v, f.file);
        return;
      }
      const nextFile = versioned.slice(i + 1).find((g) => normal(g.version) !== v);
      const base = (g: MigrationFile) => ({ name: path.posix.basename(g.file), version: g.version });
      const next = nextFile?.version;
      const numeric = runner.numericVersions;
      const free = freeVersionAfter(base(f), nextFile && base(nextFile), used, numeric, normal);
      const later = free ? undefined : freeVersionAfter(base(f), undefined, used, numeric, normal);
      for (const v of [free, later]) if (v) used.add(normal(v));
      out.push({
        kind: 'duplicate-version',
        file: f.file,
        version: f.version,
        other,
        ...(undoesMigration(f) ? { undoes: true as const } : {}),
        ...(free ? { free } : {}),
        ...(next ? { next } : {}),
        ...(later ? { later } : {}),
      });
    });
  }
  if (runner.numericVersions) out.push(...numericMisorders(files));
  let latest: { file: string; when: number } | null = null;
  for (const f of files) {
    const w = when.get(f);
    if (w === undefined) continue;
    if (latest && w <= latest.when) out.push({ kind: 'journal-time', file: f.file, other: latest.file });
    else latest = { file: f.file, when: w };
  }
  return out;
}

async function readHistory(
  root: string,
  config: DbcanonConfig,
  chosen: ChosenRunner,
  texts?: FileTexts,
): Promise<MigrationHistory> {
  const { runner } = chosen;
  const found: {
    abs: string;
    name: string;
    version: string;
    fileName: string;
    position?: number;
    when?: number;
    noTransaction: boolean;
    /** In a folder the runner itself reads (see ChosenRunner.folder). */
    recorded: boolean;
  }[] = [];
  const skipped: SkippedMigration[] = [];
  const byName = new Map<string, string>();
  for (const dir of config.migrations) {
    const abs = path.resolve(root, dir);
    const recorded = chosen.folder === undefined || chosen.folder === dir;
    for (const entry of runner.list(abs, await folderEntries(abs))) {
      const file = path.join(abs, entry.path);
      const rel = relative(root, file);
      if (entry.kind === 'skipped') {
        skipped.push({ file: rel, reason: entry.reason });
        continue;
      }
      if (runner.key === 'name') {
        const other = byName.get(entry.name);
        if (other) {
          skipped.push({ file: rel, reason: 'duplicate-name', other });
          continue;
        }
        byName.set(entry.name, rel);
      }
      found.push({
        abs: file,
        name: entry.name,
        version: entry.version,
        fileName: entry.path.split('/')[0] ?? entry.path,
        ...(entry.position !== undefined ? { position: entry.position } : {}),
        ...(entry.when !== undefined ? { when: entry.when } : {}),
        noTransaction: entry.noTransaction === true,
        recorded,
      });
    }
  }
  // Array#sort is stable: migrations the runner's order cannot tell apart stay in folder order.
  found.sort((a, b) => runner.compare(a, b));
  const when = new Map<MigrationFile, number>();
  const unrecorded = new Set<MigrationFile>();
  const files = found.map((f) => {
    const m = migrationFile(runner, readSqlFile(root, f.abs, texts), f.name, f.version, f.noTransaction);
    if (f.when !== undefined) when.set(m, f.when);
    if (!f.recorded) unrecorded.add(m);
    return m;
  });
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    runner,
    because: chosen.because,
    files,
    skipped,
    orderProblems: orderProblems(runner, files, when, (f) => !unrecorded.has(f)),
  };
}

/** Histories read within one run (one FileTexts), so that the replay and the rules list the folders once. */
const memo = new WeakMap<FileTexts, Map<string, Promise<MigrationHistory>>>();

/** The project's migration history, as its runner (config `migrationRunner`) reads its `migrations` folders. */
export function readMigrationHistory(
  root: string,
  config: DbcanonConfig,
  texts?: FileTexts,
): Promise<MigrationHistory> {
  const chosen = chooseRunner(root, config);
  if (!texts) return readHistory(root, config, chosen, texts);
  const key = JSON.stringify([root, config.migrations, chosen.runner.id]);
  const byKey = memo.get(texts) ?? new Map<string, Promise<MigrationHistory>>();
  memo.set(texts, byKey);
  const history = byKey.get(key) ?? readHistory(root, config, chosen, texts);
  byKey.set(key, history);
  return history;
}
