/**
 * node-pg-migrate's SQL migrations, which `dbcanon migrate` applies itself and records in node-pg-migrate's table
 * (salsita/node-pg-migrate, src/migration.ts, src/utils/fileNameUtils.ts and src/sqlMigration.ts, read 2026-08):
 * - every file of the folder but dot files (default `ignorePattern` `^\..*`); dbcanon reads the `.sql` ones and
 *   wants `<digits>_<name>.sql` (node-pg-migrate stops the whole run on a file without a numeric prefix);
 * - ordered by the numeric prefix, 17 digits read as a UTC timestamp with milliseconds, then by name
 *   (`localeCompare` ignoring punctuation); the file name without its extension is what it records;
 * - `-- Up Migration` / `-- Down Migration` line comments split a file (src/migrate/sections.ts);
 * - each migration in its own transaction; dbcanon runs a section marked `-- dbcanon:no-transaction` in
 *   autocommit (src/migrate/transaction-control.ts).
 */
import { splitMigration } from '../sections.js';
import { noTransactionMarker } from '../transaction-control.js';
import { listSqlFiles, type MigrationRunner } from './runner.js';

const FILE = /^(\d+)_[^/\\]+\.sql$/;

/**
 * The numeric prefix of a migration name, as node-pg-migrate orders by it: 17 digits are a UTC timestamp with
 * milliseconds, anything else is a plain number.
 */
function numericPrefix(name: string): number {
  const prefix = /^\d+/.exec(name)?.[0] ?? '';
  if (prefix.length === 17) {
    const p = (a: number, b: number) => prefix.slice(a, b);
    return new Date(
      `${p(0, 4)}-${p(4, 6)}-${p(6, 8)}T${p(8, 10)}:${p(10, 12)}:${p(12, 14)}.${p(14, 17)}Z`,
    ).valueOf();
  }
  return Number(prefix);
}

/** Orders migration names as node-pg-migrate does: by numeric prefix, then by name. */
export function compareMigrationNames(a: string, b: string): number {
  return (
    numericPrefix(a) - numericPrefix(b) ||
    a.localeCompare(b, undefined, {
      usage: 'sort',
      numeric: true,
      sensitivity: 'variant',
      ignorePunctuation: true,
    })
  );
}

export const nodePgMigrate: MigrationRunner = {
  id: 'node-pg-migrate',
  title: '`dbcanon migrate` (node-pg-migrate’s format)',
  pattern: '<digits>_<name>.sql',
  list: (_dir, entries) => listSqlFiles(entries, FILE),
  compare: (a, b) => compareMigrationNames(a.name, b.name),
  parts(text) {
    const { up, down } = splitMigration(text);
    return {
      up,
      down,
      upNoTransaction: noTransactionMarker(up.sql) !== null,
      downNoTransaction: down !== null && noTransactionMarker(down.sql) !== null,
    };
  },
  transaction: 'migration',
  optOut:
    'a line `-- dbcanon:no-transaction` in its section (its statements then run one by one in autocommit)',
  key: 'name',
  numericVersions: true,
};
