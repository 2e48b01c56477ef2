/**
 * The state of every migration and repeatable: the files on disk held against what the database recorded.
 * Pure; `migrationStatus` (index.ts) reads both sides and calls it, `migrate up` refuses on what it finds.
 */
import type { MigrationRecord } from '../lint/types.js';
import type { AppliedMigration, DatabaseRecords } from './bookkeeping.js';
import { compareMigrationNames, type MigrationFile, type SqlFile } from './files.js';

/**
 * `applied`: ran, file unchanged (or ran before dbcanon recorded checksums: `recordedChecksum` null);
 * `changed`: ran, but the file differs from what ran; `missing`: ran, file gone; `pending`: not run yet.
 */
export type MigrationState = 'applied' | 'changed' | 'missing' | 'pending';

export interface MigrationStatusEntry {
  name: string;
  /** Relative path, or null for a missing file. */
  file: string | null;
  state: MigrationState;
  appliedAt: Date | null;
  recordedChecksum: string | null;
  currentChecksum: string | null;
}

/** `pending`: never applied; `changed`: applied, file edited since; `missing`: applied, file gone. */
export type RepeatableState = 'applied' | 'changed' | 'pending' | 'missing';

export interface RepeatableStatusEntry {
  file: string;
  state: RepeatableState;
  recordedChecksum: string | null;
  currentChecksum: string | null;
}

export interface OrderProblem {
  /** The pending migration that sorts before an applied one. */
  pending: MigrationStatusEntry;
  /** The newest applied migration (in the runner's order). */
  newestApplied: AppliedMigration & { file: string | null };
}

export interface MigrationStatus {
  /** In the runner's order; missing ones sorted in by name. */
  migrations: MigrationStatusEntry[];
  repeatables: RepeatableStatusEntry[];
  /** Pending migrations older than the newest applied one. */
  outOfOrder: OrderProblem[];
}

/**
 * `files` in the runner's order (src/migrate/history.ts), which the status keeps: missing migrations are sorted in
 * by `compareNames` (the runner's order of two names; node-pg-migrate's by default), and a pending migration is out
 * of order when it comes before the last applied one in that order.
 */
export function computeStatus(
  files: MigrationFile[],
  repeatableFiles: SqlFile[],
  records: DatabaseRecords,
  compareNames: (a: string, b: string) => number = compareMigrationNames,
): MigrationStatus {
  const byName = new Map(files.map((f) => [f.name, f]));
  const appliedByName = new Map(records.applied.map((a) => [a.name, a]));
  const migrations: MigrationStatusEntry[] = [];
  for (const f of files) {
    const applied = appliedByName.get(f.name);
    const recorded = records.checksums.get(f.name) ?? null;
    migrations.push({
      name: f.name,
      file: f.file,
      state: !applied ? 'pending' : recorded !== null && recorded !== f.checksum ? 'changed' : 'applied',
      appliedAt: applied?.runOn ?? null,
      recordedChecksum: applied ? recorded : null,
      currentChecksum: f.checksum,
    });
  }
  for (const a of records.applied) {
    if (byName.has(a.name)) continue;
    const entry: MigrationStatusEntry = {
      name: a.name,
      file: null,
      state: 'missing',
      appliedAt: a.runOn,
      recordedChecksum: records.checksums.get(a.name) ?? null,
      currentChecksum: null,
    };
    const at = migrations.findIndex((m) => compareNames(a.name, m.name) < 0);
    migrations.splice(at === -1 ? migrations.length : at, 0, entry);
  }

  const outOfOrder: OrderProblem[] = [];
  const newestAt = migrations.findLastIndex((m) => m.state !== 'pending');
  const newest = newestAt === -1 ? undefined : appliedByName.get(migrations[newestAt]?.name ?? '');
  if (newest) {
    for (const m of migrations.slice(0, newestAt)) {
      if (m.state === 'pending') {
        outOfOrder.push({
          pending: m,
          newestApplied: { ...newest, file: byName.get(newest.name)?.file ?? null },
        });
      }
    }
  }

  const repeatables: RepeatableStatusEntry[] = repeatableFiles.map((f) => {
    const recorded = records.repeatables.get(f.file) ?? null;
    return {
      file: f.file,
      state: recorded === null ? 'pending' : recorded === f.checksum ? 'applied' : 'changed',
      recordedChecksum: recorded,
      currentChecksum: f.checksum,
    };
  });
  const present = new Set(repeatableFiles.map((f) => f.file));
  for (const [file, checksum] of records.repeatables) {
    if (!present.has(file)) {
      repeatables.push({ file, state: 'missing', recordedChecksum: checksum, currentChecksum: null });
    }
  }
  return { migrations, repeatables, outOfOrder };
}

/** Applied migrations in the order they ran, each with its recorded and its current checksum. */
export function migrationRecords(files: MigrationFile[], records: DatabaseRecords): MigrationRecord[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  return records.applied.map((a) => {
    const f = byName.get(a.name);
    return {
      name: a.name,
      file: f?.file ?? null,
      recordedChecksum: records.checksums.get(a.name) ?? null,
      currentChecksum: f?.checksum ?? null,
    };
  });
}
