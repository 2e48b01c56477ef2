/**
 * Helpers for the migrate integration tests: temporary project directories with migrations written into them,
 * a catalog snapshot to compare databases by, and running the built CLI as a child process.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterEach, beforeEach } from 'vitest';
import { DbcanonError } from '../../src/errors.js';
import { createDatabase } from '../support/database.js';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(REPO, 'bin/dbcanon.js');

export interface TempProject {
  root: string;
  /** Writes (or overwrites) a file relative to the root, creating its directory. */
  write(file: string, text: string): string;
  remove(file: string): void;
  /** Writes migrations/<name>.sql with both sections. */
  migration(name: string, up: string, down?: string): string;
  dispose(): void;
}

export function tempProject(): TempProject {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-migrate-'));
  const write = (file: string, text: string) => {
    const abs = path.join(root, file);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    return abs;
  };
  return {
    root,
    write,
    remove: (file) => unlinkSync(path.join(root, file)),
    migration: (name, up, down) =>
      write(
        `migrations/${name}.sql`,
        `-- Up Migration\n${up}\n${down === undefined ? '' : `-- Down Migration\n${down}\n`}`,
      ),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * Everything a migration can create in the user's schemas, as sorted text lines: relations, columns,
 * constraints, indexes, functions (with a hash of their body), triggers, views and policies.
 */
export async function catalogSnapshot(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ line: string }[]>`
      with ns as (
        select oid, nspname from pg_namespace
        where nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and nspname not like 'pg_temp%'
          and nspname not like 'pg_toast_temp%'
      )
      select 'relation ' || ns.nspname || '.' || c.relname || ' kind ' || c.relkind::text as line
        from pg_class c join ns on ns.oid = c.relnamespace
      union all
      select 'column ' || ns.nspname || '.' || c.relname || '.' || a.attname || ' ' ||
             format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end ||
             coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
        from pg_attribute a join pg_class c on c.oid = a.attrelid join ns on ns.oid = c.relnamespace
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where a.attnum > 0 and not a.attisdropped
      union all
      select 'constraint ' || ns.nspname || '.' || conname || ' ' || pg_get_constraintdef(co.oid)
        from pg_constraint co join ns on ns.oid = co.connamespace
      union all
      select 'index ' || pg_get_indexdef(i.indexrelid)
        from pg_index i join pg_class c on c.oid = i.indexrelid join ns on ns.oid = c.relnamespace
      union all
      select 'function ' || ns.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) ||
             ') ' || md5(coalesce(p.prosrc, ''))
        from pg_proc p join ns on ns.oid = p.pronamespace
      union all
      select 'trigger ' || pg_get_triggerdef(t.oid)
        from pg_trigger t join pg_class c on c.oid = t.tgrelid join ns on ns.oid = c.relnamespace
        where not t.tgisinternal
      union all
      select 'view ' || ns.nspname || '.' || c.relname || ' ' || pg_get_viewdef(c.oid)
        from pg_class c join ns on ns.oid = c.relnamespace where c.relkind in ('v', 'm')
      union all
      select 'policy ' || schemaname || '.' || tablename || '.' || policyname || ' ' || coalesce(qual, '')
        from pg_policies
      order by 1`;
    return rows.map((r) => r.line);
  } finally {
    await sql.end();
  }
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/dbcanon.js ...args` in `cwd` and collects its output. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface MigrateFixture {
  /** A fresh temporary project for each test. */
  readonly project: TempProject;
  /** A fresh empty database for each test. */
  readonly db: Awaited<ReturnType<typeof createDatabase>>;
}

/** Gives each test of the file its own temporary project and empty database, both removed after it. */
export function useMigrateFixture(): MigrateFixture {
  let project: TempProject | undefined;
  let db: Awaited<ReturnType<typeof createDatabase>> | undefined;
  beforeEach(async () => {
    project = tempProject();
    db = await createDatabase({ from: 'empty' });
  });
  afterEach(async () => {
    project?.dispose();
    await db?.drop();
  });
  return {
    get project() {
      if (!project) throw new Error('useMigrateFixture: only inside tests');
      return project;
    },
    get db() {
      if (!db) throw new Error('useMigrateFixture: only inside tests');
      return db;
    },
  };
}

/** Runs one query on a connection of its own (closed after it). */
export async function queryOnce<T extends object>(url: string, text: string): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return [...(await sql.unsafe<T[]>(text))];
  } finally {
    await sql.end();
  }
}

/** The DbcanonError `p` rejects with; fails the test when it resolves or rejects with anything else. */
export async function failure(p: Promise<unknown>): Promise<DbcanonError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DbcanonError) return e;
    throw e;
  }
  throw new Error('expected the run to fail');
}
