/**
 * `migrate new NAME`: writes `YYYYMMDDHHMMSS_snake_name.sql` (UTC) with both section markers into the first
 * migrations dir. Callers that add more (the `--table` stub of DATABASE_SCHEMA.md) build on the returned path.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DbcanonConfig } from '../config/schema.js';
import { DbcanonError } from '../errors.js';
import { listRunnableMigrations } from './files.js';

export const MIGRATION_TEMPLATE = '-- Up Migration\n\n\n-- Down Migration\n\n';

export interface NewMigrationOptions {
  root: string;
  config: DbcanonConfig;
  /** Any words; written as snake_case (`Add users` → `add_users`). */
  name: string;
  /** The clock, for tests. */
  now?: Date;
  /** Work out the path (and check the name) without writing anything. */
  dryRun?: boolean;
}

export function snakeName(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function timestamp(d: Date): string {
  return d.toISOString().replace(/\D/g, '').slice(0, 14);
}

function fromTimestamp(ts: string): Date {
  const p = (a: number, b: number) => ts.slice(a, b);
  return new Date(`${p(0, 4)}-${p(4, 6)}-${p(6, 8)}T${p(8, 10)}:${p(10, 12)}:${p(12, 14)}Z`);
}

/** Writes the new migration file (unless `dryRun`) and returns its absolute path. */
export async function newMigration(options: NewMigrationOptions): Promise<string> {
  const { root, config } = options;
  const snake = snakeName(options.name);
  if (!snake) {
    throw new DbcanonError('CLI_USAGE', `'${options.name}' is not a usable migration name`, {
      hint: 'name it after what it does, in words or snake_case: `dbcanon migrate new add_users`',
    });
  }
  // The runnable listing: a project whose runner writes its own files (goose, Prisma, …) is told to use it.
  const existing = (await listRunnableMigrations(root, config)).files;
  const same = existing.find((m) => m.name.replace(/^\d+_/, '') === snake);
  if (same) {
    throw new DbcanonError('MIGRATE_EXISTS', `a migration named '${snake}' exists already`, {
      location: { file: same.file },
      hint: 'pick a name that says what this migration does differently',
    });
  }
  // A new migration always sorts last, even when the clock is behind the newest file (or two are made in one
  // second): otherwise `migrate up` would refuse it as out of order.
  let ts = timestamp(options.now ?? new Date());
  const newest = existing
    .map((m) => /^\d{14}(?=_)/.exec(m.name)?.[0])
    .filter((p): p is string => p !== undefined)
    .sort()
    .at(-1);
  if (newest && newest >= ts) ts = timestamp(new Date(fromTimestamp(newest).getTime() + 1000));

  const dir = path.resolve(root, config.migrations[0] ?? 'migrations');
  const file = path.join(dir, `${ts}_${snake}.sql`);
  if (options.dryRun) return file;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(file, MIGRATION_TEMPLATE, { flag: 'wx' });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EEXIST') {
      throw new DbcanonError('MIGRATE_EXISTS', `${path.basename(file)} exists already`, {
        location: { file: path.relative(root, file) },
      });
    }
    throw new DbcanonError('IO_WRITE', `cannot write the migration: ${err.message}`, {
      location: { file: path.relative(root, file) },
    });
  }
  return file;
}
