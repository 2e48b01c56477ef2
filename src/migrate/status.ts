/**
 * The state of every migration and repeatable: the files on disk held against what the database recorded.
 * Pure; `migrationStatus` (index.ts) reads both sides and calls it, `migrate up` refuses on what it finds.
 */
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
  /** The newest applied migration (in file order). */
  newestApplied: AppliedMigration & { file: string | null };
}

export interface MigrationStatus {
  /** In file order; missing ones sorted in by name. */
  migrations: MigrationStatusEntry[];
  repeatables: RepeatableStatusEntry[];
  /** Pending migrations older than the newest applied one. */
  outOfOrder: OrderProblem[];
}

export function computeStatus(
  files: MigrationFile[],
  repeatableFiles: SqlFile[],
  records: DatabaseRecords,
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
    migrations.push({
      name: a.name,
      file: null,
      state: 'missing',
      appliedAt: a.runOn,
      recordedChecksum: records.checksums.get(a.name) ?? null,
      currentChecksum: null,
    });
  }
  migrations.sort((a, b) => compareMigrationNames(a.name, b.name));

  const outOfOrder: OrderProblem[] = [];
  const newest = records.applied.reduce<AppliedMigration | null>(
    (max, a) => (max === null || compareMigrationNames(a.name, max.name) > 0 ? a : max),
    null,
  );
  if (newest) {
    for (const m of migrations) {
      if (m.state === 'pending' && compareMigrationNames(m.name, newest.name) < 0) {
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
