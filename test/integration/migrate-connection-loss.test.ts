/**
 * `migrate up` whose server process is terminated mid-run, at varying moments: each run must end with exit 1
 * and one DB_CONNECT error (no stack, no TypeError from the driver, no silent exit, no hang), and nothing of the
 * run may be committed. Every run is bounded by its own timeout, so this test cannot hang either.
 */
import { spawn } from 'node:child_process';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../support/database.js';
import { BIN, type TempProject, tempProject } from './migrate-support.js';

const RUNS = 10;
const RUN_TIMEOUT_MS = 20_000;
const MIGRATIONS = 200;

interface Outcome {
  run: number;
  delayMs: number;
  killed: number;
  code: number | string | null;
  ms: number;
  stderr: string;
  committed: number;
}

let project: TempProject;

beforeAll(() => {
  project = tempProject();
  for (let i = 0; i < MIGRATIONS; i++) {
    const sleep = i % 50 === 25 ? 'select pg_sleep(0.2);\n' : '';
    project.migration(
      `${20240101000000 + i}_m${i}`,
      `create table t${i} (id int primary key, v text check (v <> ''));\ncreate index on t${i} (v);\n${sleep}`,
      `drop table t${i};`,
    );
  }
  // The run always lasts long enough for the latest kill to land in it.
  project.write('policies/zz_slow.sql', 'select pg_sleep(5);\n');
});

afterAll(() => project?.dispose());

async function killRun(run: number, delayMs: number): Promise<Outcome> {
  const db = await createDatabase({ from: 'empty' });
  const admin = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, 'migrate', 'up'], {
      cwd: project.root,
      env: { ...process.env, DATABASE_URL: db.url },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    const exited = new Promise<number | string | null>((resolve) => {
      child.on('close', (code, signal) => resolve(code ?? signal));
    });
    const timer = new Promise<string>((resolve) => setTimeout(() => resolve('TIMEOUT'), RUN_TIMEOUT_MS));
    const session = () => admin<{ pid: number }[]>`
      select pid from pg_stat_activity
      where application_name = 'dbcanon migrate' and datname = current_database()`;
    // Wait for the run's session, then for the moment chosen for this run.
    while ((await session()).length === 0 && Date.now() - started < RUN_TIMEOUT_MS) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, delayMs));
    const killed = await admin<{ ok: boolean }[]>`
      select pg_terminate_backend(pid) as ok from pg_stat_activity
      where application_name = 'dbcanon migrate' and datname = current_database()`;
    const code = await Promise.race([exited, timer]);
    if (code === 'TIMEOUT') child.kill('SIGKILL');
    const [table] = await admin<{ t: string | null }[]>`select to_regclass('pgmigrations')::text as t`;
    const [row] = table?.t
      ? await admin<{ n: number }[]>`select count(*)::int as n from pgmigrations`
      : [{ n: 0 }];
    return {
      run,
      delayMs,
      killed: killed.length,
      code,
      ms: Date.now() - started,
      stderr,
      committed: row?.n ?? -1,
    };
  } finally {
    await admin.end();
    await db.drop();
  }
}

describe('migrate up losing its connection', () => {
  it(
    `${RUNS} runs terminated at varying moments: each exits 1 with one DB_CONNECT error and commits nothing`,
    async () => {
      const outcomes: Outcome[] = [];
      for (let run = 0; run < RUNS; run++) outcomes.push(await killRun(run, run * 250));
      const summary = outcomes.map(
        (o) =>
          `run ${o.run} (kill after ${o.delayMs} ms): exit ${o.code} in ${o.ms} ms, committed ${o.committed}; ` +
          (o.stderr.split('\n').find((l) => l.includes('error ')) ?? o.stderr.slice(0, 200)),
      );
      console.log(summary.join('\n'));
      for (const o of outcomes) {
        const label = summary[o.run];
        expect(o.killed, label).toBe(1);
        expect(o.code, label).toBe(1);
        expect(o.stderr, label).toContain('error DB_CONNECT: the connection to');
        expect(o.stderr, label).toContain('was lost during the migration run');
        expect(o.stderr, label).toContain('nothing of this run was committed');
        expect(o.stderr, label).not.toMatch(/\n\s+at |TypeError/);
        expect(o.stderr.match(/error /g), label).toHaveLength(1);
        expect(o.committed, label).toBe(0);
      }
    },
    RUNS * (RUN_TIMEOUT_MS + 10_000),
  );
});
