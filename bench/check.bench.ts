/**
 * `npm run bench -- check`: `dbcanon check` cold (a fresh CLI process, one run) on a generated repository with
 * 500 migrations (about 5 MB of SQL), a 100-table document and the 100 TypeScript files its "Used by" lines name. Prints wall time and peak RSS (from
 * /usr/bin/time -v), with squawk (a Postgres migration linter) over the same files as context, and an
 * in-process breakdown of where the time goes (libpg-query parse, replay, document, rules).
 * Targets: <= 1.0 s wall, <= 300 MB peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generate, MIGRATIONS, TABLES } from './generate-repo.js';
import { measure } from './measure-process.js';

const repo = path.resolve(import.meta.dirname, '..');
const TARGET_WALL_S = 1.0;
const TARGET_RSS_MB = 300;
const REPEATS = 9;

const fmt = (n: number | null, digits = 2) => (n === null ? 'n/a' : n.toFixed(digits));

async function main(): Promise<void> {
  process.stdout.write('building dist/ (the CLI is measured as users run it)…\n');
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repo, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);

  // DBCANON_BENCH_DIR keeps the generated repository (for profiling `dbcanon check` on it by hand).
  const keep = process.env.DBCANON_BENCH_DIR;
  const dir = keep ? path.resolve(keep) : await mkdtemp(path.join(tmpdir(), 'dbcanon-bench-check-'));
  if (keep) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
  }
  try {
    const bytes = await generate(dir);
    const files = (await import('node:fs/promises')).readdir(path.join(dir, 'migrations'));
    const migrationFiles = (await files).map((f) => path.join('migrations', f));
    process.stdout.write(
      `generated ${MIGRATIONS} migrations (${(bytes / 1024 / 1024).toFixed(2)} MB of SQL), a ${TABLES}-table document and ${TABLES + 1} TypeScript files in ${dir}\n`,
    );

    // Node's own start-up, the floor under any CLI written in it.
    const node = measure(process.execPath, ['-e', ''], dir);
    // The first run on a machine also compiles the TypeScript compiler (no V8 code cache yet, see
    // src/code/code-cache.ts); later cold runs, in any project, find that cache. Both without the scan cache.
    const checkArgs = [path.join(repo, 'bin/dbcanon.js'), 'check', '--format', 'json'];
    const first = measure(process.execPath, checkArgs, dir, { ...process.env, DBCANON_NO_CODE_CACHE: '1' });
    await rm(path.join(dir, '.dbcanon'), { recursive: true, force: true });
    measure(process.execPath, checkArgs, dir);
    await rm(path.join(dir, '.dbcanon'), { recursive: true, force: true });
    const check = measure(process.execPath, checkArgs, dir);
    // One run is what the target names; on shared cores it swings by a quarter, so more cold runs give its spread.
    const repeats: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      await rm(path.join(dir, '.dbcanon'), { recursive: true, force: true });
      repeats.push(measure(process.execPath, checkArgs, dir).wallS);
    }
    repeats.sort((a, b) => a - b);
    const median = repeats[Math.floor(repeats.length / 2)] as number;
    let findings = 'n/a';
    try {
      const doc = JSON.parse(check.stdout);
      findings = `${doc.summary.errors} errors, ${doc.summary.warnings} warnings, ${doc.summary.tables} tables, ${doc.summary.files} files`;
    } catch {
      findings = `no JSON (exit ${check.status}): ${check.stderr.trim().split('\n')[0] ?? ''}`;
    }
    const squawkBin = path.join(repo, 'node_modules/.bin/squawk');
    const squawk = existsSync(squawkBin)
      ? measure(squawkBin, ['--reporter', 'gcc', ...migrationFiles], dir)
      : null;
    const squawkNote =
      squawk === null
        ? 'squawk-cli is not installed'
        : squawk.status !== null && squawk.status <= 1
          ? `exit ${squawk.status}, ${squawk.stdout.split('\n').filter(Boolean).length} lines of findings`
          : `did not run here: exit ${squawk.status}, ${squawk.stderr.trim().split('\n')[0] ?? ''}`;

    // Where the time goes, in this process (warm module cache after the first step).
    const { parseConfig } = await import('../src/config/load.js');
    const config = parseConfig({});
    // Each step starts without the parse memo, so each pays for its own parsing as it would alone.
    const { loadSqlParser, parseTree, clearParseMemo } = await import('../src/sql/parser.js');
    let t = performance.now();
    await loadSqlParser();
    const loadMs = performance.now() - t;
    const texts = await Promise.all(migrationFiles.map((f) => readFile(path.join(dir, f), 'utf8')));
    t = performance.now();
    for (const text of texts) parseTree(text);
    const parseMs = performance.now() - t;
    clearParseMemo();
    const { defaultProducers } = await import('../src/lint/producers.js');
    t = performance.now();
    await defaultProducers.replayMigrations(dir, config);
    const replayMs = performance.now() - t;
    clearParseMemo();
    t = performance.now();
    const doc = await defaultProducers.readDoc(dir, config);
    const readDocMs = performance.now() - t;
    t = performance.now();
    if (doc) await defaultProducers.docSchema(doc, dir, config);
    const docSchemaMs = performance.now() - t;
    clearParseMemo();
    const { scanCode } = await import('../src/code/scan.js');
    t = performance.now();
    await scanCode(dir, config, { cache: false });
    const scanMs = performance.now() - t;
    clearParseMemo();
    const { runCheck } = await import('../src/lint/engine.js');
    t = performance.now();
    await runCheck({ root: dir, config });
    const totalMs = performance.now() - t;

    const rows: [string, string][] = [
      ['command', `cd <repo> && node bin/dbcanon.js check --format json   (cwd = generated repo)`],
      ['dbcanon check: wall (s), cold, one run', fmt(check.wallS)],
      [
        `dbcanon check: ${REPEATS} more cold runs: median / min / max (s)`,
        `${fmt(median)} / ${fmt(repeats[0] ?? null)} / ${fmt(repeats[repeats.length - 1] ?? null)}`,
      ],
      ['dbcanon check: peak RSS (MB)', fmt(check.rssMb, 1)],
      [
        'first run on the machine (no V8 code cache): wall (s) / RSS (MB)',
        `${fmt(first.wallS)} / ${fmt(first.rssMb, 1)}`,
      ],
      ['dbcanon check: exit / result', `${check.status} / ${findings}`],
      ['target', `<= ${TARGET_WALL_S.toFixed(1)} s wall, <= ${TARGET_RSS_MB} MB RSS`],
      ['baseline: node -e "" wall (s) / RSS (MB)', `${fmt(node.wallS)} / ${fmt(node.rssMb, 1)}`],
      [
        'context: squawk over the same 500 files, wall (s) / RSS (MB)',
        squawk ? `${fmt(squawk.wallS)} / ${fmt(squawk.rssMb, 1)}` : 'n/a',
      ],
      ['context: squawk', squawkNote],
      ['ratio dbcanon / squawk (wall)', squawk ? fmt(check.wallS / squawk.wallS) : 'n/a'],
      ['ratio dbcanon / node start-up (wall)', fmt(check.wallS / node.wallS)],
      ['in-process: libpg-query WASM load (ms)', fmt(loadMs, 0)],
      ['in-process: libpg-query parse of all 500 files (ms)', fmt(parseMs, 0)],
      ['in-process: replayMigrations incl. parse (ms)', fmt(replayMs, 0)],
      ['in-process: read + parse document (ms)', fmt(readDocMs, 0)],
      ['in-process: document SQL -> SchemaModel (ms)', fmt(docSchemaMs, 0)],
      ['in-process: code scan, no cache: 101 TS + 500 SQL files (ms)', fmt(scanMs, 0)],
      ['in-process: whole runCheck, warm (ms)', fmt(totalMs, 0)],
      [
        'verdict',
        `${check.wallS <= TARGET_WALL_S ? 'meets' : 'MISSES'} the wall target (median of ${REPEATS}: ${median <= TARGET_WALL_S ? 'meets' : 'MISSES'}), ${check.rssMb !== null && check.rssMb <= TARGET_RSS_MB ? 'meets' : 'MISSES'} the RSS target (2 shared cores: figures are noisy)`,
      ],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
    if (check.status !== 0 && check.status !== 1) process.stdout.write(`check stderr:\n${check.stderr}\n`);
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}

await main();
