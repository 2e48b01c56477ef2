/**
 * `npm run bench -- migrate`: 200 generated migrations (a table, two indexes, a plpgsql function and a trigger
 * each) applied to an empty database by `dbcanon migrate up` (the CLI process, wall time) against the baseline
 * `psql -1 -f` of the same Up sections concatenated (three alternating runs, medians compared); then the cold start of `dbcanon --help` and
 * `dbcanon migrate status` (median of 10 runs). Uses DATABASE_URL or the local server; creates and drops its
 * own databases. Needs a built dist/ (`npm run build`) and psql on the PATH.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/dbcanon.js');
const COUNT = 200;
const RATIO_TARGET = 1.5;
const COLD_TARGET_S = 0.3;

const adminUrl = (() => {
  const u = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  u.pathname = '/postgres';
  return u.toString();
})();
const urlFor = (db: string) => {
  const u = new URL(adminUrl);
  u.pathname = `/${db}`;
  return u.toString();
};

function migration(i: number): { up: string; down: string } {
  const t = `item_${String(i).padStart(3, '0')}`;
  const ref =
    i > 1
      ? `,\n  parent_id bigint references item_${String(i - 1).padStart(3, '0')} (id) on delete set null`
      : '';
  const up = `-- ${t}: a table with its indexes, a function and a trigger that keeps updated_at
create table ${t} (
  id bigint generated always as identity primary key,
  tenant_id uuid not null,
  code text not null check (code ~ '^[A-Z]{3}-[0-9]+$'),
  status text not null default 'pending' check (status in ('pending', 'active', 'done', 'failed')),
  amount numeric(12, 2) not null default 0,
  payload jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()${ref},
  unique (tenant_id, code)
);
create index ix_${t}_status on ${t} (status, created_at desc);
create index ix_${t}_payload on ${t} using gin (payload);
comment on table ${t} is 'generated for the migrate benchmark (${i})';

create function ${t}_touch() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  if new.status = 'done' and old.status <> 'done' then
    new.payload := new.payload || jsonb_build_object('done_at', now());
  end if;
  return new;
end;
$$;
create trigger ${t}_touch before update on ${t} for each row execute function ${t}_touch();

create function ${t}_total(p_tenant uuid, p_status text default null) returns numeric
language sql stable as $$
  select coalesce(sum(amount), 0) from ${t}
  where tenant_id = p_tenant and (p_status is null or status = p_status)
$$;
`;
  const down = `drop function ${t}_total(uuid, text);\ndrop table ${t};\ndrop function ${t}_touch();\n`;
  return { up, down };
}

function timeIt(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  }
  return s;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function main() {
  if (!existsSync(path.join(ROOT, 'dist/cli/main.js'))) {
    process.stderr.write('dist/ is missing: run `npm run build` first\n');
    process.exit(2);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dbcanon-bench-'));
  mkdirSync(path.join(dir, 'migrations'));
  const ups: string[] = [];
  const base = Date.UTC(2024, 0, 1);
  for (let i = 1; i <= COUNT; i++) {
    const ts = new Date(base + i * 60_000).toISOString().replace(/\D/g, '').slice(0, 14);
    const { up, down } = migration(i);
    ups.push(up);
    writeFileSync(
      path.join(dir, 'migrations', `${ts}_item_${i}.sql`),
      `-- Up Migration\n${up}\n-- Down Migration\n${down}`,
    );
  }
  const concatenated = path.join(dir, 'all.sql');
  writeFileSync(concatenated, ups.join('\n'));

  // The machine is shared, so one pair of runs can be off by a factor of two: run three alternating pairs, each
  // on fresh databases, and compare the medians (every run is printed too).
  const ROUNDS = 3;
  const psqlRuns: number[] = [];
  const migrateRuns: number[] = [];
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const dbs: string[] = [];
  try {
    let migratedUrl = '';
    for (let round = 0; round < ROUNDS; round++) {
      const dbMigrate = `dbcanon_bench_migrate_${process.pid}_${round}`;
      const dbPsql = `dbcanon_bench_psql_${process.pid}_${round}`;
      for (const db of [dbMigrate, dbPsql]) {
        await admin.unsafe(`create database ${db} template template0`);
        dbs.push(db);
      }
      psqlRuns.push(
        timeIt('psql', ['-X', '-q', '-1', '-v', 'ON_ERROR_STOP=1', '-f', concatenated, urlFor(dbPsql)]),
      );
      migrateRuns.push(
        timeIt(process.execPath, [BIN, 'migrate', 'up'], {
          cwd: dir,
          env: { ...process.env, DATABASE_URL: urlFor(dbMigrate) },
        }),
      );
      const check = postgres(urlFor(dbMigrate), { max: 1, onnotice: () => {} });
      const [row] = await check`select count(*)::int as n from pgmigrations`;
      await check.end();
      if (row?.n !== COUNT) throw new Error(`expected ${COUNT} applied migrations, found ${row?.n}`);
      migratedUrl = urlFor(dbMigrate);
      if (round < ROUNDS - 1) {
        for (const db of [dbMigrate, dbPsql]) await admin.unsafe(`drop database ${db} with (force)`);
        dbs.length = 0;
      }
    }

    const env = { ...process.env, DATABASE_URL: migratedUrl };
    const helpRuns: number[] = [];
    const statusRuns: number[] = [];
    const nodeRuns: number[] = [];
    for (let i = 0; i < 10; i++) {
      nodeRuns.push(timeIt(process.execPath, ['-e', '0']));
      helpRuns.push(timeIt(process.execPath, [BIN, '--help']));
      statusRuns.push(timeIt(process.execPath, [BIN, 'migrate', 'status'], { cwd: dir, env }));
    }

    const psqlS = median(psqlRuns);
    const migrateS = median(migrateRuns);
    const ratio = migrateS / psqlS;
    const runs = (xs: number[]) => `runs ${xs.map((x) => x.toFixed(2)).join(', ')} s`;
    const rows: [string, string, string][] = [
      [
        `psql -X -1 -f all.sql (${COUNT} migrations concatenated), baseline`,
        `${psqlS.toFixed(3)} s`,
        runs(psqlRuns),
      ],
      [`node bin/dbcanon.js migrate up (${COUNT} migrations)`, `${migrateS.toFixed(3)} s`, runs(migrateRuns)],
      [
        'ratio migrate up / psql -1 (medians)',
        ratio.toFixed(2),
        `target <= ${RATIO_TARGET} ${ratio <= RATIO_TARGET ? 'met' : 'MISSED'}`,
      ],
      [
        'cold start floor: node -e 0 (median of 10), baseline',
        `${median(nodeRuns).toFixed(3)} s`,
        'what any Node CLI pays on this machine now',
      ],
      [
        'cold start: node bin/dbcanon.js --help (median of 10)',
        `${median(helpRuns).toFixed(3)} s`,
        `target <= ${COLD_TARGET_S} s ${median(helpRuns) <= COLD_TARGET_S ? 'met' : 'MISSED'}, ${(median(helpRuns) / median(nodeRuns)).toFixed(2)}x node -e 0`,
      ],
      [
        `cold start: node bin/dbcanon.js migrate status (${COUNT} applied, median of 10)`,
        `${median(statusRuns).toFixed(3)} s`,
        `target <= ${COLD_TARGET_S} s ${median(statusRuns) <= COLD_TARGET_S ? 'met' : 'MISSED'}, ${(median(statusRuns) / median(nodeRuns)).toFixed(2)}x node -e 0`,
      ],
    ];
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    for (const [a, b, c] of rows) process.stdout.write(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}\n`);
    process.stdout.write(
      `(${os.cpus().length} CPUs shared with other work, load average ${os.loadavg()[0]?.toFixed(1)} at the end: figures are noisy)\n`,
    );
  } finally {
    for (const db of dbs) await admin.unsafe(`drop database if exists ${db} with (force)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
