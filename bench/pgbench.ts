/**
 * What the SQL benchmarks share: a scratch database migrated like production, and pgbench runs of custom
 * scripts against it. Not a benchmark itself (bench/run.ts runs only *.bench.ts).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { migrateUp } from '../src/migrate/index.js';

export type BenchSql = postgres.Sql<Record<string, never>>;

export const ROOT = path.resolve(import.meta.dirname, '..');

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates a database with every migration and repeatable applied; `drop` removes it. */
export async function scratchDatabase(
  prefix: string,
): Promise<{ url: string; sql: BenchSql; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(adminUrl, name);
  await migrateUp({ databaseUrl: url, root: ROOT });
  const sql = postgres(url, { max: 4, onnotice: () => {} }) as unknown as BenchSql;
  return {
    url,
    sql,
    drop: async () => {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export function requirePgbench(): void {
  const r = spawnSync('pgbench', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(
      'pgbench is not on PATH: install the PostgreSQL client tools (e.g. postgresql-client)\n',
    );
    process.exit(2);
  }
}

/** Runs one pgbench script for `seconds` (or `transactions` per client) and returns its tps. */
export function pgbench(
  url: string,
  script: string,
  options: { clients: number; seconds?: number; transactions?: number; pgoptions?: string },
): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'dbcanon-bench-'));
  const file = path.join(dir, 'script.sql');
  writeFileSync(file, `${script}\n`);
  try {
    const args = [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(options.clients),
      '-j',
      String(Math.min(options.clients, 4)),
      ...(options.transactions !== undefined
        ? ['-t', String(options.transactions)]
        : ['-T', String(options.seconds ?? 5)]),
      '-f',
      file,
      url,
    ];
    const env = options.pgoptions ? { ...process.env, PGOPTIONS: options.pgoptions } : process.env;
    const r = spawnSync('pgbench', args, { encoding: 'utf8', env });
    const m = /tps = ([0-9.]+) \(without initial connection time\)/.exec(r.stdout);
    if (r.status !== 0 || !m) {
      throw new Error(`pgbench failed (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
    }
    return Number(m[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints rows as an aligned table. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return `${cells.map((r) => r.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ')).join('\n')}\n`;
}
