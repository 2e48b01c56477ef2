/**
 * The Supabase CLI (`supabase db push`, `db reset`, `migration up`), as its source reads a migrations folder
 * (supabase/cli, pkg/migration/list.go and file.go, read 2026-06):
 * - `ListLocalMigrations` takes the folder's entries in `fs.ReadDir` order, which is file-name order, skips
 *   directories, and skips (with a warning on stderr) every file not matching `^([0-9]+)_(.*)\.sql$`; a first
 *   file `<14 digits>_init.sql` older than 20211209000000 is skipped too (`shouldSkip`, compatibility);
 * - the version is the digits, the primary key of `supabase_migrations.schema_migrations`: a second file of one
 *   version fails when it is recorded;
 * - `ExecBatch` sends a file's statements and its history row as one pgconn batch, "implicitly transactional":
 *   Postgres runs it as one implicit transaction, so a BEGIN … COMMIT around the whole file changes nothing, a
 *   COMMIT inside it ends the atomicity there, and CREATE INDEX CONCURRENTLY works only alone in its file
 *   (supabase/cli#2898: "the only guaranteed way … is to execute it in its own migration file").
 * There is no Down part: the whole file runs.
 */
import { byFileName, compareFileNames, type ListedEntry, type MigrationRunner, wholeFile } from './runner.js';

const FILE = /^([0-9]+)_(.*)\.sql$/;
const LEGACY_INIT = /([0-9]{14})_init\.sql/;

export const supabase: MigrationRunner = {
  id: 'supabase',
  title: 'the Supabase CLI',
  pattern: '<digits>_<name>.sql',
  list(_dir, entries) {
    const out: ListedEntry[] = [];
    const sorted = [...entries].sort((a, b) => compareFileNames(a.name, b.name));
    for (const [i, e] of sorted.entries()) {
      if (e.directory || !e.name.endsWith('.sql')) continue;
      const legacy = LEGACY_INIT.exec(e.name);
      if (i === 0 && legacy && Number(legacy[1]) < 20211209000000) {
        out.push({ kind: 'skipped', path: e.name, reason: 'legacy-init' });
        continue;
      }
      const m = FILE.exec(e.name);
      if (!m) {
        out.push({ kind: 'skipped', path: e.name, reason: 'pattern' });
        continue;
      }
      out.push({
        kind: 'migration',
        path: e.name,
        name: e.name.slice(0, -'.sql'.length),
        version: m[1] ?? '',
      });
    }
    return out;
  },
  compare: byFileName,
  parts: (text) => wholeFile(text),
  transaction: 'implicit',
  optOut: null,
  key: 'version',
  numericVersions: false,
};
