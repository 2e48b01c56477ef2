/**
 * Flyway's SQL migrations (documentation.red-gate.com/fd, "Migrations" and "Script configuration"):
 * - `V<version>__<description>.sql` are versioned, the version's parts (split at `.` or `_`) compared as numbers;
 *   `U<version>__` files undo one (the Down part, kept apart); `R__<description>.sql` are repeatable and run after
 *   every versioned migration, in description order; other files are passed over;
 * - each migration runs in its own transaction unless its script configuration file (`<script>.sql.conf`) says
 *   `executeInTransaction=false`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  compareDecimal,
  compareFileNames,
  type ListedEntry,
  type MigrationRunner,
  wholeFile,
} from './runner.js';

const VERSIONED = /^V(\d+(?:[._]\d+)*)__.*\.sql$/;
const REPEATABLE = /^R__.*\.sql$/;
const IGNORED = /^[UB]\d+(?:[._]\d+)*__.*\.sql$/;
const NO_TRANSACTION = /^[ \t]*executeInTransaction[ \t]*=[ \t]*false[ \t]*$/m;

/** Flyway's version order: part by part, as numbers, a missing part read as 0. */
function compareVersions(a: string, b: string): number {
  const x = a.split(/[._]/);
  const y = b.split(/[._]/);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = compareDecimal(x[i] ?? '0', y[i] ?? '0');
    if (d !== 0) return d;
  }
  return 0;
}

function noTransaction(dir: string, file: string, entries: ReadonlySet<string>): boolean {
  if (!entries.has(`${file}.conf`)) return false;
  try {
    return NO_TRANSACTION.test(readFileSync(path.join(dir, `${file}.conf`), 'utf8'));
  } catch {
    return false;
  }
}

const isRepeatable = (name: string) => name.startsWith('R__');

export const flyway: MigrationRunner = {
  id: 'flyway',
  title: 'Flyway',
  pattern: 'V<version>__<description>.sql',
  list(dir, entries) {
    const names = new Set(entries.filter((e) => !e.directory).map((e) => e.name));
    const out: ListedEntry[] = [];
    for (const e of entries) {
      if (e.directory || !e.name.endsWith('.sql') || IGNORED.test(e.name)) continue;
      const v = VERSIONED.exec(e.name);
      const name = e.name.slice(0, -4);
      if (!v && !REPEATABLE.test(e.name)) {
        out.push({ kind: 'skipped', path: e.name, reason: 'pattern' });
        continue;
      }
      out.push({
        kind: 'migration',
        path: e.name,
        name,
        version: v?.[1] ?? '',
        ...(noTransaction(dir, e.name, names) ? { noTransaction: true } : {}),
      });
    }
    return out;
  },
  compare: (a, b) =>
    Number(isRepeatable(a.name)) - Number(isRepeatable(b.name)) ||
    compareVersions(a.version, b.version) ||
    compareFileNames(a.fileName, b.fileName),
  parts: (text) => wholeFile(text),
  transaction: 'migration',
  optOut: '`executeInTransaction=false` in its `.sql.conf` file',
  key: 'version',
  numericVersions: true,
};
