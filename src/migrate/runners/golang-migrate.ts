/**
 * golang-migrate (`migrate -path DIR up`) with its postgres driver (golang-migrate/migrate, source/parse.go,
 * source/migration.go, database/postgres/README.md, read 2026-07):
 * - a file is `^([0-9]+)_(.*)\.(down|up)\.(.*)$`; others are passed over; the `.down.sql` file is the Down part;
 * - the version is the number, in numeric order; a second `up` file of one version is refused;
 * - a file is sent as one `Exec`, which Postgres runs as one implicit transaction ("running multiple SQL
 *   statements in one Exec executes them inside a transaction"); CREATE INDEX CONCURRENTLY needs "a separate
 *   migration file".
 */
import { byNumericVersion, listSqlFiles, type MigrationRunner, wholeFile } from './runner.js';

const FILE = /^([0-9]+)_(.*)\.(down|up)\.(.*)$/;

export const golangMigrate: MigrationRunner = {
  id: 'golang-migrate',
  title: 'golang-migrate',
  pattern: '<version>_<name>.up.sql',
  list: (_dir, entries) =>
    listSqlFiles(entries, FILE, (m) =>
      m[3] === 'up' ? { name: `${m[1]}_${m[2]}`, version: m[1] ?? '' } : null,
    ),
  compare: byNumericVersion,
  parts: (text) => wholeFile(text),
  transaction: 'implicit',
  optOut: null,
  key: 'version',
  numericVersions: true,
};
