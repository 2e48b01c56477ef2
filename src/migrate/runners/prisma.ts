/**
 * Prisma Migrate (`prisma migrate deploy` / `dev`), as prisma-engines reads prisma/migrations
 * (schema-engine/connectors/schema-connector/src/migrations_directory.rs, `list_migrations`):
 * - one folder per migration, `<timestamp>_<name>/migration.sql`, the folders in name order; files beside them
 *   (`migration_lock.toml`) are not migrations;
 * - the folder name is what `_prisma_migrations.migration_name` records;
 * - the script is sent as one multi-statement query, which Postgres runs as one implicit transaction: a single
 *   CREATE INDEX CONCURRENTLY works alone in its migration and fails beside other statements (prisma/prisma#14456).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { byFileName, type ListedEntry, type MigrationRunner, wholeFile } from './runner.js';

export const prisma: MigrationRunner = {
  id: 'prisma',
  title: 'Prisma Migrate',
  pattern: '<timestamp>_<name>/migration.sql',
  list(dir, entries) {
    const out: ListedEntry[] = [];
    for (const e of entries) {
      if (e.directory) {
        if (!existsSync(path.join(dir, e.name, 'migration.sql'))) continue;
        out.push({ kind: 'migration', path: `${e.name}/migration.sql`, name: e.name, version: e.name });
      } else if (e.name.endsWith('.sql')) out.push({ kind: 'skipped', path: e.name, reason: 'pattern' });
    }
    return out;
  },
  compare: byFileName,
  parts: (text) => wholeFile(text),
  transaction: 'implicit',
  optOut: null,
  key: 'name',
  numericVersions: false,
};
