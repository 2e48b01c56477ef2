/**
 * `dbcanon migrate new NAME --table T`: the migration that creates T and T's entry in the schema document,
 * written together — the document's own rule "update this file in the same commit" made the default.
 *
 * The document's new text is computed before anything is written; if writing the document fails, the new
 * migration file is removed again, so the two never disagree.
 */
import { unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DbcanonConfig } from '../config/schema.js';
import { DbcanonError } from '../errors.js';
import { newMigration } from '../migrate/new-migration.js';
import { quoteIdent } from '../model/types.js';
import { parseDoc } from './parse.js';
import { readDoc, writeDoc } from './read.js';
import { type SyncChange, syncDoc } from './sync.js';

export interface NewTableOptions {
  root: string;
  config: DbcanonConfig;
  /** Migration name, any words. */
  name: string;
  /** Table to create: `name` or `schema.name`. */
  table: string;
  /** The clock, for tests. */
  now?: Date;
}

export interface NewTableResult {
  /** Absolute path of the migration written. */
  migration: string;
  /** The document, relative to the root, when it was updated; null when it does not exist or already had T. */
  doc: string | null;
  changes: SyncChange[];
  /** Why the document was not updated, when it was not. */
  note: string | null;
}

const TABLE_NAME = /^(?:([a-z_][a-z0-9_$]*)\.)?([a-z_][a-z0-9_$]*)$/;

/** The starting point of a new table: a uuid key and a creation time, as the document's conventions ask. */
export function tableMigrationSql(table: string): string {
  const m = TABLE_NAME.exec(table) as RegExpExecArray;
  const qualified = m[1] ? `${quoteIdent(m[1])}.${quoteIdent(m[2] as string)}` : quoteIdent(m[2] as string);
  return [
    '-- Up Migration',
    `CREATE TABLE ${qualified} (`,
    '  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),',
    '  created_at TIMESTAMPTZ NOT NULL DEFAULT now()',
    ');',
    '',
    '-- Down Migration',
    `DROP TABLE ${qualified};`,
    '',
  ].join('\n');
}

export async function newTableMigration(options: NewTableOptions): Promise<NewTableResult> {
  const { root, config, table } = options;
  if (!TABLE_NAME.test(table)) {
    throw new DbcanonError('CLI_USAGE', `'${table}' is not a table name dbcanon can create`, {
      hint: 'use lower-case snake_case, optionally schema-qualified: --table user_offers or --table app.user_offers',
    });
  }
  const sql = tableMigrationSql(table);

  // Work out the document's new text first, so nothing is written when it cannot be.
  let docUpdate: { file: string; path: string; text: string; changes: SyncChange[] } | null = null;
  let note: string | null = null;
  let doc: Awaited<ReturnType<typeof readDoc>> | null = null;
  try {
    doc = await readDoc(root, config);
  } catch (e) {
    if (!(e instanceof DbcanonError && e.code === 'IO_READ')) throw e;
    note = `${config.doc} does not exist, so only the migration was written`;
  }
  if (doc) {
    const parsed = await parseDoc(doc.text, doc.file);
    const bare = table.startsWith('public.') ? table.slice('public.'.length) : table;
    if (parsed.tables.some((t) => t.name === bare || t.name === table)) {
      note = `${doc.file} already documents ${table}; it was left as it is`;
    } else if (!doc.validUtf8) {
      note = `${doc.file} is not valid UTF-8, so it was not rewritten`;
    } else {
      const { replaySql } = await import('../sql/replay.js');
      const upSql = sql.slice(0, sql.indexOf('-- Down Migration'));
      const replayed = await replaySql([{ file: 'new migration', sql: upSql }]);
      const today = (options.now ?? new Date()).toISOString().slice(0, 10);
      const result = await syncDoc(doc.text, doc.file, replayed.model, { today, config });
      docUpdate = { file: doc.file, path: doc.path, text: result.text, changes: result.changes };
    }
  }

  const migration = await newMigration({ root, config, name: options.name, now: options.now });
  try {
    await writeFile(migration, sql, 'utf8');
    if (docUpdate) await writeDoc(docUpdate, docUpdate.text);
  } catch (e) {
    await unlink(migration).catch(() => {});
    if (e instanceof DbcanonError) throw e;
    throw new DbcanonError(
      'IO_WRITE',
      `cannot write ${path.relative(root, migration)}: ${(e as Error).message}`,
      {
        location: { file: path.relative(root, migration) },
      },
    );
  }
  return { migration, doc: docUpdate?.file ?? null, changes: docUpdate?.changes ?? [], note };
}
