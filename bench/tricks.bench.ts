/**
 * `npm run bench -- tricks`: what each runtime trick of dbcanon pays, measured against a plain run in the same
 * session. Each variant is a fresh `dbcanon check --format json` process, cold (no `.dbcanon/`), run REPEATS times
 * in turn with the others so that a change in the machine's load touches all of them alike; the table gives
 * medians and the ratio to the plain run.
 *
 * - plain: V8's defaults (DBCANON_V8_DEFAULTS=1) and no code cache (DBCANON_NO_CODE_CACHE=1);
 * - V8 flags only (src/cli/v8-flags.ts);
 * - code cache only (src/code/code-cache.ts; its cache warmed by one run first);
 * - both, as the CLI runs.
 *
 * The repository is DBCANON_BENCH_REPO when set (e.g. a corpus repository set up with `dbcanon init`), else the
 * generated one of bench/check.bench.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from './generate-repo.js';
import { measure } from './measure-process.js';

const repo = path.resolve(import.meta.dirname, '..');
const REPEATS = Number(process.env.DBCANON_BENCH_REPEATS ?? 5);
const cli = [path.join(repo, 'bin/dbcanon.js'), 'check', '--format', 'json', '--output', '/dev/null'];

const VARIANTS = [
  {
    name: 'plain (V8 defaults, no code cache)',
    env: { DBCANON_V8_DEFAULTS: '1', DBCANON_NO_CODE_CACHE: '1' },
  },
  { name: 'V8 flags only', env: { DBCANON_NO_CODE_CACHE: '1' } },
  { name: 'code cache only', env: { DBCANON_V8_DEFAULTS: '1' } },
  { name: 'both (as the CLI runs)', env: {} },
] as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const given = process.env.DBCANON_BENCH_REPO;
  const dir = given ? path.resolve(given) : await mkdtemp(path.join(tmpdir(), 'dbcanon-bench-tricks-'));
  try {
    if (!given) await generate(dir);
    process.stdout.write(
      `repository: ${dir}${given ? '' : ' (generated)'}; ${REPEATS} cold runs per variant\n`,
    );
    // Warm both code caches (the CLI's flags and V8's defaults each have their own) and the OS file cache.
    for (const v of VARIANTS) measure(process.execPath, cli, dir, { ...process.env, ...v.env });
    const wall = VARIANTS.map(() => [] as number[]);
    const rss = VARIANTS.map(() => [] as number[]);
    for (let i = 0; i < REPEATS; i++) {
      for (const [k, v] of VARIANTS.entries()) {
        await rm(path.join(dir, '.dbcanon'), { recursive: true, force: true });
        const m = measure(process.execPath, cli, dir, { ...process.env, ...v.env });
        if (m.status !== 0 && m.status !== 1) throw new Error(`${v.name}: exit ${m.status}: ${m.stderr}`);
        wall[k]?.push(m.wallS);
        if (m.rssMb !== null) rss[k]?.push(m.rssMb);
      }
    }
    const base = median(wall[0] ?? []);
    process.stdout.write(
      '| variant | wall (median) | range | peak RSS | ratio to plain |\n|---|---|---|---|---|\n',
    );
    for (const [k, v] of VARIANTS.entries()) {
      const w = wall[k] ?? [];
      const r = rss[k] ?? [];
      process.stdout.write(
        `| ${v.name} | ${median(w).toFixed(2)} s | ${Math.min(...w).toFixed(2)}–${Math.max(...w).toFixed(2)} s | ` +
          `${r.length ? `${median(r).toFixed(0)} MB` : 'n/a'} | ${(median(w) / base).toFixed(2)} |\n`,
      );
    }
  } finally {
    if (!given) await rm(dir, { recursive: true, force: true });
  }
}

await main();
