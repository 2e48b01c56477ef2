/**
 * goose (pressly/goose, provider_collect.go, migration.go `NumericComponent` and internal/sqlparser/parser.go,
 * read 2026-07):
 * - a migration is `<version>_<name>.sql` whose version parses as a number above zero; other files are passed
 *   over; numeric order; a second file of one version is refused;
 * - `-- +goose Up` and `-- +goose Down` split a file (`StatementBegin`/`StatementEnd` group a statement, and are
 *   line comments to Postgres);
 * - each migration runs in a transaction unless the file says `-- +goose NO TRANSACTION`.
 */
import { splitAtMarkers } from '../sections.js';
import { byNumericVersion, listSqlFiles, type MigrationRunner } from './runner.js';

const FILE = /^0*([1-9]\d*)_.*\.sql$/;
const UP = /--[ \t]*\+goose[ \t]+up\b/iy;
const DOWN = /--[ \t]*\+goose[ \t]+down\b/iy;
const NO_TRANSACTION = /^[ \t]*--[ \t]*\+goose[ \t]+no[ \t]+transaction\b/im;

export const goose: MigrationRunner = {
  id: 'goose',
  title: 'goose',
  pattern: '<version>_<name>.sql',
  list: (_dir, entries) => listSqlFiles(entries, FILE),
  compare: byNumericVersion,
  parts(text) {
    const { up, down } = splitAtMarkers(text, UP, DOWN);
    const none = NO_TRANSACTION.test(text);
    return { up, down, upNoTransaction: none, downNoTransaction: none };
  },
  transaction: 'migration',
  optOut: 'a line `-- +goose NO TRANSACTION`',
  key: 'version',
  numericVersions: true,
};
