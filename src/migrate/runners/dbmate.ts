/**
 * dbmate (amacneil/dbmate, pkg/dbmate/db.go `FindMigrations` and pkg/dbmate/migration.go, read 2026-08):
 * - a migration is a file matching `^(\d+).*\.sql$` in any of its `--migrations-dir` folders; others are passed
 *   over; the files of every folder are sorted together by file name;
 * - the digits are the version, the primary key of `schema_migrations`;
 * - `-- migrate:up` and `-- migrate:down` lines split a file; each part runs in a transaction unless its marker
 *   line says `transaction:false`.
 */
import { markerLineText, splitAtMarkers } from '../sections.js';
import { byFileName, listSqlFiles, type MigrationRunner } from './runner.js';

const FILE = /^(\d+).*\.sql$/;
const UP = /--[ \t]*migrate:up(?=\s|$)/y;
const DOWN = /--[ \t]*migrate:down(?=\s|$)/y;
const NO_TRANSACTION = /(?:^|\s)transaction:false(?=\s|$)/;

export const dbmate: MigrationRunner = {
  id: 'dbmate',
  title: 'dbmate',
  pattern: '<digits>_<name>.sql',
  list: (_dir, entries) => listSqlFiles(entries, FILE),
  compare: byFileName,
  parts(text) {
    const { up, down } = splitAtMarkers(text, UP, DOWN);
    return {
      up,
      down,
      upNoTransaction: NO_TRANSACTION.test(markerLineText(text, up)),
      downNoTransaction: down !== null && NO_TRANSACTION.test(markerLineText(text, down)),
    };
  },
  transaction: 'migration',
  optOut: '`transaction:false` on its `-- migrate:up` line',
  key: 'version',
  numericVersions: false,
};
