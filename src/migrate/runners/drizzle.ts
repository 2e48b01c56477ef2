/**
 * drizzle-kit's migrations folder as drizzle-orm's migrator reads it (drizzle-team/drizzle-orm,
 * drizzle-orm/src/migrator.ts `readMigrationFiles` and pg-core/dialect.ts `migrate`):
 * - the migrations are the entries of `meta/_journal.json`, in the journal's order, each `<tag>.sql`; a `.sql`
 *   file no entry names is never applied;
 * - a file's statements are split at `--> statement-breakpoint` (a line comment to Postgres, so the file parses
 *   as it runs);
 * - a migration is pending when its entry's `when` is later than the `created_at` of the last one recorded, so an
 *   entry whose `when` is not later than the one before it is passed over on a database that ran that one;
 * - every pending migration of a run in one transaction, with no way to run one outside it
 *   (drizzle-team/drizzle-orm#860).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ListedEntry, MigrationRunner } from './runner.js';
import { wholeFile } from './runner.js';

interface JournalEntry {
  tag?: unknown;
  when?: unknown;
}

/** The journal's entries, or null when the folder has none that can be read. */
function readJournal(dir: string): JournalEntry[] | null {
  try {
    const journal = JSON.parse(readFileSync(path.join(dir, 'meta', '_journal.json'), 'utf8')) as {
      entries?: unknown;
    };
    return Array.isArray(journal.entries) ? (journal.entries as JournalEntry[]) : null;
  } catch {
    return null;
  }
}

export const drizzle: MigrationRunner = {
  id: 'drizzle',
  title: 'drizzle-kit',
  pattern: 'an entry of meta/_journal.json',
  list(dir, entries) {
    const journal = readJournal(dir) ?? [];
    const files = new Set(entries.filter((e) => !e.directory && e.name.endsWith('.sql')).map((e) => e.name));
    const out: ListedEntry[] = [];
    for (const [position, entry] of journal.entries()) {
      if (typeof entry.tag !== 'string' || !files.has(`${entry.tag}.sql`)) continue;
      files.delete(`${entry.tag}.sql`);
      out.push({
        kind: 'migration',
        path: `${entry.tag}.sql`,
        name: entry.tag,
        version: entry.tag,
        position,
        ...(typeof entry.when === 'number' ? { when: entry.when } : {}),
      });
    }
    for (const name of files) out.push({ kind: 'skipped', path: name, reason: 'not-in-journal' });
    return out;
  },
  compare: (a, b) => (a.position ?? 0) - (b.position ?? 0),
  parts: (text) => wholeFile(text),
  transaction: 'run',
  optOut: null,
  key: 'name',
  numericVersions: false,
};
