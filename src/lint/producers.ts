/**
 * The real sources of a check, loaded lazily so that `dbcanon --help` never pays for the SQL parser or
 * ts-morph. Each producer lives with its subsystem; this file only wires them to the engine.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { DbcanonError } from '../errors.js';
import type { Producers } from './engine.js';

const notYet = (what: string) => async (): Promise<never> => {
  throw new DbcanonError('INPUT_INVALID', `${what} is not part of this build yet`);
};

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** `migrations/20250101000000_init.sql` → `20250101000000_init`, as the runner records it. */
const migrationName = (file: string) => path.basename(file).replace(/\.sql$/, '');

export const defaultProducers: Producers = {
  readDoc: async (root, config) => {
    // A project without the document gets the doc-required-sections finding, not an I/O error.
    if (!(await exists(path.resolve(root, config.doc)))) return null;
    const { loadDoc } = await import('../doc/read.js');
    return loadDoc(root, config);
  },

  docSchema: async (doc) => {
    const [{ docToSchemaModel }, { replaySql }] = await Promise.all([
      import('../doc/doc-schema.js'),
      import('../sql/replay.js'),
    ]);
    return docToSchemaModel(doc, replaySql);
  },

  replayMigrations: async (root, config) => {
    const { replayMigrations } = await import('../sql/replay.js');
    const result = await replayMigrations(root, config);
    const versionedDirs = config.migrations.map((d) => path.normalize(d) + path.sep);
    const versioned = result.files.filter((f) => versionedDirs.some((d) => path.normalize(f).startsWith(d)));
    return {
      model: result.model,
      files: versioned.map((file) => ({ file, name: migrationName(file) })),
      filesRead: result.files.length,
      // Notes (a skipped psql meta-command) are not failures.
      problems: result.problems
        .filter((p) => p.severity !== 'note')
        .map(({ file, line, column, message }) => ({ file, line, column, message })),
    };
  },

  scanCode: async () => null,

  introspect: async (databaseUrl) => {
    const [{ withConnection }, { introspect }] = await Promise.all([
      import('../db/connect.js'),
      import('../db/introspect.js'),
    ]);
    // `check --db` must never write: every catalog query runs inside a READ ONLY transaction.
    return withConnection(
      databaseUrl,
      (sql) =>
        sql.begin('read only', (tx) =>
          introspect(tx as unknown as Parameters<typeof introspect>[0]),
        ) as Promise<Awaited<ReturnType<typeof introspect>>>,
      { max: 1, applicationName: 'dbcanon check' },
    );
  },

  readAppliedMigrations: notYet('reading applied migrations'),
};
