/**
 * Introspection of a database with 500 tables (10 columns, 2 indexes and 1 policy each): wall time of one
 * introspect() and the number of statements it sent, counted by the driver (postgres.js `debug` hook), not by
 * introspect itself. Baselines measured in the same run: the same introspect() on a 5-table database (the
 * query count must not grow with the schema), and a per-table information_schema read of the same 500 tables
 * (what a straightforward introspector does).
 *
 * It also times `dbcanon check --db` as a user runs it (the built CLI, a new process, in a copy of this
 * repository) against the 500-table database: introspection plus everything else a check does, once as in a
 * fresh clone and once with the code scan's cache from that first run.
 *
 * Server: DATABASE_URL, else an embedded one (as the tests find it). Target: <= 1.0 s, constant query count.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { Sql } from '../src/db/connect.js';
import { introspectCounted } from '../src/db/introspect.js';
import { findServer, urlFor } from '../test/support/server.js';
import { measure as measureProcess } from './measure-process.js';

const ROOT = path.resolve(import.meta.dirname, '..');

const TABLES = 500;
const SMALL = 5;
const TARGET_SECONDS = 1.0;

function ddl(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = `bench_table_${i}`;
    parts.push(
      `create table ${t} (id bigint generated always as identity primary key, tenant_id uuid not null,` +
        ` name text not null, status text not null default 'active' check (status in ('active', 'done')),` +
        ` amount numeric(10,2) default 0, tags text[] default '{}', meta jsonb not null default '{}',` +
        ` note varchar(200), created_at timestamptz not null default now(), updated_at timestamptz);`,
      `create index ix_${t}_tenant on ${t} (tenant_id);`,
      `alter table ${t} enable row level security;`,
      `create policy "Tenant members read" on ${t} for select using (tenant_id = (current_setting('request.jwt.claims', true)::jsonb ->> 'tenant_id')::uuid);`,
    );
  }
  return parts.join('\n');
}

async function measure(
  url: string,
): Promise<{ seconds: number; queries: number; reported: number; tables: number }> {
  let statements = 0;
  const sql = postgres(url, { max: 1, onnotice: () => {}, debug: () => void statements++ }) as unknown as Sql;
  try {
    await sql`select 1`; // connect outside the timing
    statements = 0;
    const t0 = performance.now();
    const { model, queries } = await introspectCounted(sql);
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, queries: statements, reported: queries, tables: model.tables.length };
  } finally {
    await sql.end();
  }
}

async function naivePerTable(url: string): Promise<{ seconds: number; queries: number }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select 1`;
    const t0 = performance.now();
    const tables = await sql`select table_name from information_schema.tables where table_schema = 'public'`;
    let queries = 1;
    for (const t of tables) {
      await sql`select column_name, data_type, is_nullable, column_default from information_schema.columns
                where table_schema = 'public' and table_name = ${t.table_name} order by ordinal_position`;
      await sql`select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = ${t.table_name}`;
      await sql`select policyname, qual from pg_policies where schemaname = 'public' and tablename = ${t.table_name}`;
      queries += 3;
    }
    return { seconds: (performance.now() - t0) / 1000, queries };
  } finally {
    await sql.end();
  }
}

const server = await findServer();
const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
const names = {
  big: `dbcanon_bench_${randomBytes(4).toString('hex')}`,
  small: `dbcanon_bench_${randomBytes(4).toString('hex')}`,
};
try {
  for (const [name, n] of [
    [names.big, TABLES],
    [names.small, SMALL],
  ] as const) {
    await admin.unsafe(`create database ${name}`);
    const db = postgres(urlFor(server.adminUrl, name), { max: 1, onnotice: () => {} });
    await db.unsafe(ddl(n));
    await db.end();
  }
  // One warm-up on the small database loads the SQL parser (WASM) so that it is not billed to either run.
  await measure(urlFor(server.adminUrl, names.small));
  const big = await measure(urlFor(server.adminUrl, names.big));
  const small = await measure(urlFor(server.adminUrl, names.small));
  const naive = await naivePerTable(urlFor(server.adminUrl, names.big));
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  }
  // The CLI runs in a fresh copy of this repository's tracked files: first as in a new clone (no scan cache),
  // then again with the cache that run wrote, as every later check in a checkout finds it.
  const copy = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-bench-repo-'));
  const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0');
  for (const f of tracked.filter(Boolean))
    cpSync(path.join(ROOT, f), path.join(copy, f), { recursive: true });
  const checkDb = () =>
    measureProcess(
      process.execPath,
      [
        path.join(ROOT, 'bin', 'dbcanon.js'),
        'check',
        '--db',
        urlFor(server.adminUrl, names.big),
        '--format',
        'json',
      ],
      copy,
    );
  const cliFirst = checkDb();
  const cli = checkDb();
  rmSync(copy, { recursive: true, force: true });
  const cliSummary = (() => {
    try {
      const s = JSON.parse(cli.stdout).summary as { errors: number; warnings: number };
      return `exit ${cli.status}, ${s.errors} errors / ${s.warnings} warnings (the 500 tables are undocumented)`;
    } catch {
      return `exit ${cli.status}: ${cli.stderr.trim().split('\n')[0] ?? ''}`;
    }
  })();

  const rows = [
    ['introspect(), 500 tables', `${big.seconds.toFixed(3)} s`, String(big.queries), String(big.tables)],
    [
      'baseline: introspect(), 5 tables',
      `${small.seconds.toFixed(3)} s`,
      String(small.queries),
      String(small.tables),
    ],
    [
      'baseline: per-table information_schema, 500 tables',
      `${naive.seconds.toFixed(3)} s`,
      String(naive.queries),
      String(TABLES),
    ],
  ];
  process.stdout.write(
    `server: ${server.kind}; 500 tables x (10 columns, 2 indexes, 1 policy); one run each\n`,
  );
  const w = [52, 10, 9, 7];
  process.stdout.write(
    `${['run', 'wall', 'queries', 'tables'].map((h, i) => h.padEnd(w[i] ?? 8)).join(' ')}\n`,
  );
  for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(w[i] ?? 8)).join(' ')}\n`);
  process.stdout.write(
    `dbcanon check --db (a copy of this repo vs the 500-table database), new CLI process each:\n` +
      `  scan cache warm (every run after the first): ${cli.wallS.toFixed(3)} s wall, ` +
      `${cli.rssMb?.toFixed(0) ?? '?'} MB peak RSS; ${cliSummary}\n` +
      `  first run in a fresh clone (no scan cache): ${cliFirst.wallS.toFixed(3)} s wall, ` +
      `${cliFirst.rssMb?.toFixed(0) ?? '?'} MB peak RSS\n` +
      `  command: node bin/dbcanon.js check --db <url of the 500-table database> --format json\n`,
  );
  process.stdout.write(
    `ratio introspect/per-table baseline: ${(big.seconds / naive.seconds).toFixed(3)} (wall), ` +
      `${big.queries}/${naive.queries} (queries)\n` +
      `queries 500 vs 5 tables: ${big.queries} vs ${small.queries} (introspect counted ${big.reported}) -> ` +
      `${big.queries === small.queries ? 'constant' : 'NOT constant'}\n` +
      `target: <= ${TARGET_SECONDS.toFixed(1)} s and a constant query count -> ` +
      `${big.seconds <= TARGET_SECONDS && big.queries === small.queries ? 'met' : 'NOT met'}\n` +
      `load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores (shared machine: wall times are noisy)\n`,
  );
  if (big.tables !== TABLES) throw new Error(`expected ${TABLES} tables, introspected ${big.tables}`);
} finally {
  for (const name of Object.values(names)) await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
  await server.stop();
}
